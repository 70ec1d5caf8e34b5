"""Triage safety over the seeded runner's knee self-check.

The expected outcome comes from an oracle (tests/intake/selfcheck_expectations.py) written
straight from shared/clinical/knee-red-flags.md, not from the seeded rules, so a rule that
is missing, mistyped or in the wrong outcome fails these tests.

The whole answer space is about 3.3 billion combinations, too many to list, so:
- every combination of the injury steps (steps 1-3) is enumerated, with the full
  kneecap-pain pattern answered as well (the strongest pull towards self-treatment);
- every combination of the warning-sign steps (steps 5-6, with each age) likewise;
- every combination of the pattern questions (where it hurts, what makes it worse,
  building pain, noises, pain 0-10) is enumerated with no red flag and with each
  single red-flag answer, and every pair of red-flag answers with and without the
  pattern;
- hypothesis draws answers from the whole space, hidden questions included.
"""

import itertools
from collections.abc import Iterator, Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import selfcheck
from intake.models import QuestionKind, Questionnaire
from intake.triage import QuestionnaireSpec, is_visible, triage
from tests.intake.selfcheck_client import CALM, SLUG
from tests.intake.selfcheck_expectations import (
    BOOK,
    INJURY_FOLLOW_UPS,
    RED_FLAG_ANSWERS,
    SD,
    E,
    expected_outcome,
    has_red_flag,
)

SAFETY_NET = "Red-flag answer (safety net)"
PATTERN_QUESTIONS = {"where", "worse_with", "builds", "noises", "pain"}
FULL_PATTERN = {
    "where": ["kneecap"],
    "worse_with": ["stairs_down", "stairs_up", "downhill"],
    "builds": ["yes"],
    "noises": ["yes"],
    "pain": ["10"],
}


@pytest.fixture
def spec(db) -> QuestionnaireSpec:
    return selfcheck.load_spec(Questionnaire.objects.with_content().get(slug=SLUG))


def all_answers(question) -> list[list[str]]:
    """Every answer a patient can give to one question."""
    values = [value for value, _ in question.options()]
    if question.kind == QuestionKind.MULTIPLE:
        return [
            list(subset)
            for size in range(len(values) + 1)
            for subset in itertools.combinations(values, size)
        ]
    return [[value] for value in values]


def combinations(
    spec: QuestionnaireSpec, vary: set[str], fixed: Mapping[str, list[str]]
) -> Iterator[dict[str, list[str]]]:
    """Every answer set where the `vary` questions take every value, in the order asked.

    A question hidden by earlier answers is not answered, so no combination is
    listed twice.
    """

    def extend(index: int, answers: dict[str, list[str]]) -> Iterator[dict[str, list[str]]]:
        if index == len(spec.questions):
            yield answers
            return
        question = spec.questions[index]
        if not is_visible(question, answers):
            yield from extend(index + 1, answers)
            return
        options = all_answers(question) if question.key in vary else [fixed[question.key]]
        for option in options:
            yield from extend(index + 1, {**answers, question.key: option})

    yield from extend(0, {})


def calm() -> dict[str, list[str]]:
    return {key: value if isinstance(value, list) else [value] for key, value in CALM.items()}


def check(spec: QuestionnaireSpec, answers: dict[str, list[str]]) -> None:
    result = triage(questions=spec.questions, rules=spec.rules, answers=answers)
    expected = expected_outcome(answers)
    assert result.outcome == expected, (answers, result.rule_name)
    if expected in (E, SD):
        # The seeded rules catch every red flag themselves; the safety net is a spare.
        assert not result.rule_name.startswith(SAFETY_NET), (answers, result.rule_name)


def test_every_question_is_classified_for_these_tests(spec):
    """A question added to the seed must be placed in the oracle before these tests pass."""
    keys = {question.key for question in spec.questions}
    red_flag_keys = {key for key, _ in RED_FLAG_ANSWERS}
    assert keys == set(CALM) and keys >= red_flag_keys | PATTERN_QUESTIONS


def test_every_red_flag_in_the_clinical_reference_is_asked(spec):
    for key, value in RED_FLAG_ANSWERS:
        question = next(q for q in spec.questions if q.key == key)
        assert value in question.values, (key, value)


def test_every_combination_of_the_injury_steps(spec):
    vary = {"age", "injury", "where"} | INJURY_FOLLOW_UPS
    checked = 0
    for answers in combinations(spec, vary, {**calm(), **FULL_PATTERN}):
        check(spec, answers)
        checked += 1
    assert checked == 3 * 4 * (1 + 2**9)  # age × where × (no injury, or 9 yes/no follow-ups)


def test_every_combination_of_the_warning_sign_steps(spec):
    vary = {
        "age",
        "locking",
        "giving_way",
        "swelling",
        "hot_red",
        "fever",
        "calf",
        "night_pain",
        "weight_cancer",
        "other_joints",
        "nerves",
        "limp_hip",
    }
    checked = 0
    for answers in combinations(spec, vary, {**calm(), **FULL_PATTERN}):
        check(spec, answers)
        checked += 1
    # age (under 16 adds the limp question) × locking × giving way × swelling ×
    # hot knee (adds fever) × five yes/no questions
    assert checked == (2 + 1 + 1) * 2 * 3 * 2 * (1 + 2) * 2**5


def red_flag_profiles() -> list[dict[str, list[str]]]:
    """Each red-flag answer alone, with the earlier answers that make it asked."""
    profiles = []
    for key, value in sorted(RED_FLAG_ANSWERS):
        profile = {key: [value]}
        if key in INJURY_FOLLOW_UPS:
            profile["injury"] = ["yes"]
        if key == "fever":
            profile["hot_red"] = ["yes"]
        if key == "limp_hip":
            profile["age"] = ["under_16"]
        profiles.append(profile)
    profiles.append({"injury": ["yes"], "age": ["55_or_over"]})
    return profiles


def test_every_pattern_answer_with_no_red_flag_and_with_each_red_flag(spec):
    profiles = [{}, *red_flag_profiles()]
    checked = 0
    for profile in profiles:
        for answers in combinations(spec, PATTERN_QUESTIONS, {**calm(), **profile}):
            assert has_red_flag(answers) == bool(profile)
            check(spec, answers)
            checked += 1
    pattern_combinations = 4 * 2**3 * 2 * 2 * 11  # where × worse-with subsets × 2 yes/no × pain
    assert checked == len(profiles) * pattern_combinations == 22 * 1408


def test_every_pair_of_red_flags_with_and_without_the_pattern(spec):
    checked = 0
    for first, second in itertools.combinations(red_flag_profiles(), 2):
        for pattern in ({}, FULL_PATTERN):
            answers = {**calm(), **pattern, **first, **second}
            if first.get("age", second.get("age")) != second.get("age", first.get("age")):
                continue  # under 16 and 55 or older cannot both be true
            check(spec, answers)
            checked += 1
    assert checked > 400


def test_noisy_knees_alone_get_reassurance_not_alarm(spec):
    answers = {**calm(), "noises": ["yes"]}
    result = triage(questions=spec.questions, rules=spec.rules, answers=answers)
    assert result.outcome == BOOK
    assert "Noisy knees do not mean further damage" in result.explanation
    assert "don't sweat it" in result.explanation
    assert "911" not in result.explanation and "doctor" not in result.explanation


def answer_strategy(spec: QuestionnaireSpec):
    """Any answer to every question, hidden ones too (triage must ignore those)."""
    return st.fixed_dictionaries(
        {question.key: st.sampled_from(all_answers(question)) for question in spec.questions}
    )


@pytest.mark.django_db
def test_any_answers_from_the_whole_space_match_the_clinical_reference():
    spec = selfcheck.load_spec(Questionnaire.objects.with_content().get(slug=SLUG))

    @settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers=answer_strategy(spec))
    def run(answers):
        check(spec, answers)

    run()
