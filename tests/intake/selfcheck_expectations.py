"""The clinical oracle for the runner's knee red flags, shared by the self-check's and the
before-visit form's safety tests.

It is written here straight from shared/clinical/knee-red-flags.md, not from the seeded
rules, so a rule that is missing, mistyped or in the wrong outcome fails both.
"""

from collections.abc import Mapping

from intake.models import TriageOutcome

E = TriageOutcome.EMERGENCY
SD = TriageOutcome.SEE_DOCTOR
PFP = TriageOutcome.PATELLOFEMORAL
BOOK = TriageOutcome.BOOK_EVALUATION

INJURY_FOLLOW_UPS = {
    "out_of_place",
    "lift_leg",
    "tendon_gap",
    "foot_colour",
    "walk_then",
    "walk_now",
    "fast_swelling",
    "bone_tender",
    "bend_90",
}
# knee-red-flags.md, one answer each: (question, answer) -> outcome it calls for.
EMERGENCY_ANSWERS = {
    ("out_of_place", "yes"),  # deformity: fracture or dislocation
    ("lift_leg", "no"),  # cannot straighten against gravity: tendon rupture
    ("tendon_gap", "yes"),  # gap above or below the kneecap: tendon rupture
    ("foot_colour", "yes"),  # cold, pale, blue or numb foot: circulation or nerve damage
    ("fever", "yes"),  # asked only for a hot, red, swollen knee: joint infection
}
SEE_DOCTOR_ANSWERS = {
    ("walk_then", "no"),  # Ottawa: could not take four steps
    ("walk_now", "no"),
    ("bone_tender", "yes"),  # Ottawa: kneecap or fibular head tenderness
    ("bend_90", "no"),  # Ottawa: cannot bend to a right angle
    ("fast_swelling", "yes"),  # swelling within hours of an injury: bleeding in the joint
    ("locking", "yes"),
    ("giving_way", "often"),
    ("swelling", "yes"),  # swelling with no clear reason, or that keeps coming back
    ("hot_red", "yes"),
    ("calf", "yes"),  # possible blood clot
    ("night_pain", "yes"),
    ("weight_cancer", "yes"),
    ("other_joints", "yes"),  # inflammatory arthritis
    ("nerves", "yes"),  # from the back
    ("limp_hip", "yes"),  # asked only under 16: the hip referring pain
}
RED_FLAG_ANSWERS = EMERGENCY_ANSWERS | SEE_DOCTOR_ANSWERS


def is_asked(key: str, answers: Mapping[str, list[str]]) -> bool:
    if key in INJURY_FOLLOW_UPS:
        return answers.get("injury") == ["yes"]
    if key == "fever":
        return answers.get("hot_red") == ["yes"]
    if key == "limp_hip":
        return answers.get("age") == ["under_16"]
    return True


def said(answers: Mapping[str, list[str]], key: str, value: str) -> bool:
    return is_asked(key, answers) and value in answers.get(key, [])


def expected_outcome(answers: Mapping[str, list[str]]) -> TriageOutcome:
    """The oracle: knee-red-flags.md's decision rules, in their fixed order."""
    if any(said(answers, key, value) for key, value in EMERGENCY_ANSWERS) or all(
        said(answers, key, value)
        for key, value in [("walk_then", "no"), ("walk_now", "no"), ("fast_swelling", "yes")]
    ):
        return E
    older_injured = said(answers, "injury", "yes") and said(answers, "age", "55_or_over")
    if older_injured or any(said(answers, key, value) for key, value in SEE_DOCTOR_ANSWERS):
        return SD
    worse = answers.get("worse_with", [])
    signs = [
        "stairs_down" in worse or "stairs_up" in worse,
        "downhill" in worse,
        said(answers, "builds", "yes"),
    ]
    if said(answers, "where", "kneecap") and sum(signs) >= 2:
        return PFP
    return BOOK


def has_red_flag(answers: Mapping[str, list[str]]) -> bool:
    return expected_outcome(answers) in (E, SD)
