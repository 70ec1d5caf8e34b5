"""The safety questions of every body area and the general screening, against an oracle
written from shared/clinical/red-flags-by-region.md (not from the seeded rules): each
red-flag answer alone reaches its outcome, several areas ask each question once, and any
red flag wins, Emergency first."""

import pytest

from intake.models import Questionnaire, TriageOutcome
from intake.previsit import safety_questions, safety_spec
from intake.triage import triage

pytestmark = pytest.mark.django_db

E, SD = TriageOutcome.EMERGENCY, TriageOutcome.SEE_DOCTOR

# The reference's items: ID -> (its body area, Emergency or See a doctor first, same day).
REFERENCE = {
    **{f"G-E{n}": ("general", E, True) for n in range(1, 7)},
    "G-D1": ("general", SD, False),
    "G-D2": ("general", SD, True),
    "G-D3": ("general", SD, False),
    "G-D4": ("general", SD, True),
    "G-D5": ("general", SD, True),
    "G-D6": ("general", SD, False),
    "G-D7": ("general", SD, True),
    "G-D8": ("general", SD, True),
    **{f"LB-E{n}": ("low_back", E, True) for n in range(1, 6)},
    "LB-D1": ("low_back", SD, False),
    "LB-D2": ("low_back", SD, True),
    "LB-D3": ("low_back", SD, False),
    **{f"N-E{n}": ("neck", E, True) for n in range(1, 4)},
    "N-D1": ("neck", SD, True),
    "N-D2": ("neck", SD, False),
    "N-D3": ("neck", SD, False),
    **{f"S-E{n}": ("shoulder", E, True) for n in range(1, 5)},
    "S-D1": ("shoulder", SD, False),
    "S-D2": ("shoulder", SD, False),
    "S-D3": ("shoulder", SD, True),
    "S-D4": ("shoulder", SD, False),
    "S-D5": ("shoulder", SD, True),
    **{f"H-E{n}": ("hip", E, True) for n in range(1, 5)},
    "H-D1": ("hip", SD, False),
    "H-D2": ("hip", SD, True),
    "H-D3": ("hip", SD, False),
    "H-D4": ("hip", SD, True),
    "H-D5": ("hip", SD, False),
    **{f"A-E{n}": ("ankle_foot", E, True) for n in range(1, 4)},
    "A-D1": ("ankle_foot", SD, True),
    "A-D2": ("ankle_foot", SD, True),
    "A-D3": ("ankle_foot", SD, False),
    "A-D4": ("ankle_foot", SD, True),
    **{f"W-E{n}": ("elbow_hand", E, True) for n in range(1, 5)},
    "W-D1": ("elbow_hand", SD, True),
    "W-D2": ("elbow_hand", SD, False),
}
# Items that only apply to some patients, asked after a Yes that says so.
ONLY_AFTER = {
    **dict.fromkeys(["G-E5", "G-E6", "G-D7", "G-D8"], "pregnant_recent"),
    **dict.fromkeys(["H-E2", "H-D2"], "age_8_to_16"),
    **dict.fromkeys(["A-E3", "A-D4"], "diabetes"),
}
AREAS = ["low_back", "neck", "shoulder", "hip", "ankle_foot", "elbow_hand"]


def key(ref: str) -> str:
    return ref.lower().replace("-", "_")


def all_no(area: str) -> dict[str, list[str]]:
    spec = safety_spec(areas=[area])
    return {question.key: ["no"] for question in safety_questions(spec)}


def decide(areas: list[str], answers: dict[str, list[str]]):
    spec = safety_spec(areas=areas)
    return triage(questions=spec.questions, rules=spec.rules, answers=answers)


def test_every_item_of_the_reference_is_asked_once_with_its_id_as_the_rule_name():
    spec = safety_spec(areas=AREAS)
    names = [rule.name for rule in spec.rules if rule.name[:1] in "GLNSHAW" and "-" in rule.name]
    refs = [name.split(" ", 1)[0] for name in names]

    assert sorted(refs) == sorted(REFERENCE)
    keys = [question.key for question in spec.questions]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("ref", sorted(REFERENCE))
def test_each_red_flag_answer_alone_reaches_its_outcome(ref):
    area, outcome, same_day = REFERENCE[ref]
    answers = all_no(area)
    if ref in ONLY_AFTER:
        answers[ONLY_AFTER[ref]] = ["yes"]
    answers[key(ref)] = ["yes"]

    result = decide([area], answers)

    assert result.outcome == outcome
    assert result.fired[0].startswith(f"{ref} ")
    assert result.same_day == same_day


@pytest.mark.parametrize("area", ["general", *AREAS])
def test_all_no_flags_nothing(area):
    assert decide([area], all_no(area)).outcome == TriageOutcome.BOOK_EVALUATION


@pytest.mark.parametrize("ref", sorted(ONLY_AFTER))
def test_an_item_for_some_patients_counts_only_after_the_yes_that_asks_it(ref):
    area = REFERENCE[ref][0]
    answers = {**all_no(area), key(ref): ["yes"]}  # the question before it says No

    assert decide([area], answers).outcome == TriageOutcome.BOOK_EVALUATION


def test_a_shoulder_patient_gets_the_general_and_shoulder_questions_not_the_knees():
    asked = {question.key for question in safety_questions(safety_spec(areas=["shoulder"]))}

    assert {"g_e1", "g_d4", "s_e1", "s_d5"} <= asked
    assert not asked & {"calf", "locking", "lb_e1", "h_e1"}


def test_other_or_not_sure_gets_the_general_screening_only():
    other = {q.key for q in safety_questions(safety_spec(areas=["other"]))}
    nothing = {q.key for q in safety_questions(safety_spec(areas=[]))}

    assert other == nothing
    assert {key(ref) for ref, (area, _, _) in REFERENCE.items() if area == "general"} <= other
    assert all(k.startswith("g_") or k == "pregnant_recent" for k in other)


def test_several_areas_ask_each_question_once_general_first():
    spec = safety_spec(areas=["neck", "shoulder", "knee", "shoulder", "neck"])
    keys = [question.key for question in safety_questions(spec)]

    assert len(keys) == len(set(keys))
    assert keys[0] == "g_e1"
    assert {"n_e1", "s_e1", "locking"} <= set(keys)
    assert spec.slug == "safety-general,runners-knee,safety-neck,safety-shoulder"


def test_any_red_flag_wins_and_every_rule_that_fired_is_named():
    answers = {**all_no("neck"), **all_no("shoulder"), "s_d2": ["yes"], "g_d6": ["yes"]}
    see_doctor = decide(["neck", "shoulder"], answers)
    emergency = decide(["neck", "shoulder"], {**answers, "n_e2": ["yes"]})

    assert see_doctor.outcome == SD
    assert [name.split()[0] for name in see_doctor.fired] == ["G-D6", "S-D2"]
    assert not see_doctor.same_day
    assert emergency.outcome == E
    assert [name.split()[0] for name in emergency.fired] == ["N-E2", "G-D6", "S-D2"]


def test_the_knees_under_16_limp_item_is_same_day_like_the_hips():
    spec = safety_spec(areas=["knee"])
    answers = {q.key: ["no"] for q in safety_questions(spec)}
    answers.update(age=["under_16"], limp_hip=["yes"])

    result = triage(questions=spec.questions, rules=spec.rules, answers=answers)

    assert result.outcome == SD
    assert result.same_day
    assert "X-ray today" in result.explanation


def test_the_safety_sets_are_not_listed_as_self_checks(client):
    page = client.get("/check/").content.decode()

    assert Questionnaire.objects.filter(safety_area="shoulder", published=False).exists()
    assert "Safety questions" not in page
    assert client.get("/check/safety-shoulder/").status_code == 404


def test_sets_wait_for_a_clinicians_sign_off_who_and_when(client, group_member):
    clinician = group_member("Clinician")
    clinician.first_name, clinician.last_name = "Dana", "Lee"
    clinician.save()
    client.force_login(clinician)
    shoulder = Questionnaire.objects.get(slug="safety-shoulder")

    before = client.get("/admin/intake/questionnaire/").content.decode()
    response = client.post(
        "/admin/intake/questionnaire/",
        {"action": "sign_off", "_selected_action": [shoulder.pk]},
        follow=True,
    )

    assert before.count("Awaiting clinical sign-off") >= 7  # the knee's self-check too
    shoulder.refresh_from_db()
    assert shoulder.signed_off_by == clinician
    assert shoulder.signed_off_at is not None
    page = response.content.decode()
    assert "Signed off by Dana Lee on" in page
    assert (
        page.count("Awaiting clinical sign-off") == before.count("Awaiting clinical sign-off") - 1
    )


def test_a_clinician_trying_a_set_in_the_admin_sees_every_rule_that_fired(client, group_member):
    shoulder = Questionnaire.objects.get(slug="safety-shoulder")
    client.force_login(group_member("Clinician"))

    response = client.post(
        f"/admin/intake/questionnaire/{shoulder.pk}/test/", {"s_e2": "yes", "s_d5": "yes"}
    )

    body = response.content.decode()
    assert "Outcome: Emergency" in body
    assert "Every urgent rule that fired" in body
    assert "S-E2 Possible dislocation or fracture" in body
    assert "S-D5 Possible blood clot in the arm" in body
