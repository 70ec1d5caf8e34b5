"""The triage function on small hand-made questionnaires: order, conditions, safety net."""

import threading

import pytest
from django.db import connection

from intake.models import OutcomeTally, QuestionKind, Questionnaire, TriageOutcome
from intake.triage import (
    FALLBACK_RULE,
    ChoiceSpec,
    QuestionSpec,
    RuleSpec,
    triage,
)

E = TriageOutcome.EMERGENCY
SD = TriageOutcome.SEE_DOCTOR
PFP = TriageOutcome.PATELLOFEMORAL
BOOK = TriageOutcome.BOOK_EVALUATION


def yes_no(key, step=1, flag="", red="", show_if=("", frozenset())):
    return QuestionSpec(
        key=key,
        text=f"{key}?",
        kind=QuestionKind.YES_NO,
        step=step,
        choices=(
            ChoiceSpec("yes", "Yes", frozenset({flag} if flag else ()), red),
            ChoiceSpec("no", "No"),
        ),
        show_if_key=show_if[0],
        show_if_values=frozenset(show_if[1]),
    )


QUESTIONS = (
    yes_no("kneecap", flag="kneecap"),
    yes_no("stairs", flag="stairs"),
    yes_no("injury", flag="injury"),
    yes_no("deformity", step=2, flag="deformity", red="emergency", show_if=("injury", {"yes"})),
    yes_no("calf", step=2, flag="calf", red="see_doctor"),
    QuestionSpec(key="pain", text="Pain?", kind=QuestionKind.PAIN_SCALE, step=3),
)
PATTERN = RuleSpec(
    name="Pattern",
    outcome=PFP,
    explanation="p",
    any_flags=frozenset({"kneecap", "stairs"}),
    any_at_least=2,
)
CALF = RuleSpec(name="Calf", outcome=SD, explanation="c", any_flags=frozenset({"calf"}))
DEFORMITY = RuleSpec(
    name="Deformity", outcome=E, explanation="d", all_flags=frozenset({"deformity"})
)
STRONG_PAIN = RuleSpec(name="Strong pain", outcome=BOOK, explanation="s", pain_at_least=7)
RULES = (STRONG_PAIN, PATTERN, CALF, DEFORMITY)  # deliberately not in priority order


def decide(rules=RULES, **answers):
    return triage(questions=QUESTIONS, rules=rules, answers={k: [v] for k, v in answers.items()})


def test_outcomes_are_tried_most_urgent_first_whatever_order_the_rules_come_in():
    result = decide(kneecap="yes", stairs="yes", calf="yes", pain="9")
    assert (result.outcome, result.rule_name) == (SD, "Calf")
    assert decide(kneecap="yes", stairs="yes", pain="9").rule_name == "Pattern"
    assert decide(pain="9").rule_name == "Strong pain"


def test_within_an_outcome_the_lower_order_is_tried_first():
    first = RuleSpec(
        name="First", outcome=SD, explanation="", order=1, any_flags=frozenset({"calf"})
    )
    second = RuleSpec(
        name="Second", outcome=SD, explanation="", order=2, any_flags=frozenset({"calf"})
    )
    assert decide(rules=(second, first), calf="yes").rule_name == "First"


def test_at_least_n_of_any_flags_and_pain_thresholds():
    assert decide(kneecap="yes").outcome == BOOK
    assert decide(kneecap="yes", stairs="yes").outcome == PFP
    assert decide(pain="6").rule_name == FALLBACK_RULE
    assert decide(pain="7").rule_name == "Strong pain"


def test_nothing_matching_falls_back_to_book_an_evaluation():
    result = decide(kneecap="no")
    assert (result.outcome, result.rule_name) == (BOOK, FALLBACK_RULE)


def test_an_answer_to_a_question_not_asked_does_not_count():
    assert decide(injury="no", deformity="yes").outcome == BOOK
    assert decide(injury="yes", deformity="yes").outcome == E


def test_a_red_flag_answer_wins_even_when_its_rule_is_missing():
    result = decide(rules=(PATTERN,), kneecap="yes", stairs="yes", calf="yes")
    assert result.outcome == SD
    assert result.rule_name.startswith("Red-flag answer (safety net)")
    emergency = decide(rules=(PATTERN, CALF), injury="yes", deformity="yes", calf="yes")
    assert emergency.outcome == E


def test_a_rule_without_conditions_never_matches():
    empty = RuleSpec(name="Empty", outcome=E, explanation="")
    assert decide(rules=(empty,), kneecap="yes").outcome == BOOK


def test_unknown_answer_values_are_ignored():
    assert decide(calf="maybe").outcome == BOOK


@pytest.mark.django_db(transaction=True)
def test_the_tally_counts_every_result_when_patients_finish_at_once():
    """One atomic upsert per result: no count is lost when requests race."""
    questionnaire = Questionnaire.objects.create(title="Race", slug="race", intro="x")
    threads, per_thread, errors = 8, 10, []

    def finish_many():
        try:
            for _ in range(per_thread):
                OutcomeTally.objects.bump(questionnaire=questionnaire, outcome=SD)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=finish_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert OutcomeTally.objects.get(outcome=SD).count == threads * per_thread


@pytest.mark.django_db
def test_the_tally_keeps_one_row_per_questionnaire_outcome_and_day():
    questionnaire = Questionnaire.objects.get(slug="runners-knee")
    for _ in range(3):
        OutcomeTally.objects.bump(questionnaire=questionnaire, outcome=PFP)
    OutcomeTally.objects.bump(questionnaire=questionnaire, outcome=E)
    assert dict(OutcomeTally.objects.values_list("outcome", "count")) == {PFP: 3, E: 1}
