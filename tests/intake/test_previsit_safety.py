"""The safety section for a knee patient: the self-check's red-flag questions asked again,
decided by the same `triage()`, with the self-check safety tests' expectations (the oracle in
tests/intake/selfcheck_expectations.py, written from shared/clinical/knee-red-flags.md, not
from the seeded rules). The other body areas are in test_previsit_safety_areas.py."""

import pytest

from intake.models import PreVisit, Questionnaire, TriageOutcome
from intake.previsit import safety_questions, safety_spec
from tests.intake.previsit_support import (
    CALM_SAFETY,
    book,
    fill_first_visit,
    form_of,
    knee_form,
    section_url,
)
from tests.intake.selfcheck_expectations import (
    EMERGENCY_ANSWERS,
    INJURY_FOLLOW_UPS,
    RED_FLAG_ANSWERS,
    SEE_DOCTOR_ANSWERS,
    expected_outcome,
)

pytestmark = pytest.mark.django_db

# What a question needs asked first, so a red-flag follow-up is shown as in the self-check.
PARENT = {"fever": ("hot_red", "yes"), "limp_hip": ("age", "under_16")}


def with_answer(key: str, value: str) -> dict[str, str]:
    answers = dict(CALM_SAFETY)
    if key in INJURY_FOLLOW_UPS:
        answers["injury"] = "yes"
    if key in PARENT:
        parent, parent_value = PARENT[key]
        answers[parent] = parent_value
    answers[key] = value
    return answers


def test_every_red_flag_question_of_the_self_check_is_asked():
    asked = {question.key for question in safety_questions(safety_spec(areas=["knee"]))}
    assert {key for key, _ in RED_FLAG_ANSWERS} <= asked


@pytest.mark.parametrize(("key", "value"), sorted(RED_FLAG_ANSWERS))
def test_each_red_flag_answer_gets_the_self_checks_outcome_and_flags_the_visit(client, key, value):
    previsit = knee_form(client)
    answers = with_answer(key, value)
    expected = expected_outcome({k: [v] for k, v in answers.items()})
    assert expected in (TriageOutcome.EMERGENCY, TriageOutcome.SEE_DOCTOR)

    response = client.post(section_url(previsit, "safety"), answers, follow=True)

    previsit.refresh_from_db()
    assert previsit.red_flag_outcome == expected
    assert previsit.needs_review
    page = response.content.decode()
    assert "{#" not in page
    if (key, value) in EMERGENCY_ANSWERS:
        assert "Get emergency care now" in page
        assert "Call 911 or go to the nearest emergency department now." in page
    else:
        assert (key, value) in SEE_DOCTOR_ANSWERS
        assert "See a doctor first" in page


def test_an_older_patient_after_an_injury_is_sent_to_a_doctor(client):
    previsit = knee_form(client)
    answers = {**with_answer("walk_then", "yes"), "age": "55_or_over"}

    client.post(section_url(previsit, "safety"), answers)

    previsit.refresh_from_db()
    assert previsit.red_flag_outcome == TriageOutcome.SEE_DOCTOR


def test_calm_answers_flag_nothing_and_move_on(client):
    previsit = knee_form(client)

    response = client.post(section_url(previsit, "safety"), CALM_SAFETY)

    assert response["Location"] == section_url(previsit, "measures")
    previsit.refresh_from_db()
    assert previsit.red_flag_outcome == ""
    assert not previsit.needs_review


def test_a_hidden_follow_ups_red_flag_answer_does_not_count(client):
    """Fever is asked only for a hot, red knee, as in the self-check."""
    previsit = knee_form(client)

    client.post(section_url(previsit, "safety"), {**CALM_SAFETY, "fever": "yes"})

    previsit.refresh_from_db()
    assert not previsit.needs_review


def test_answering_again_without_a_red_flag_keeps_the_visit_flagged(client):
    previsit = knee_form(client)
    client.post(section_url(previsit, "safety"), with_answer("calf", "yes"))

    client.post(section_url(previsit, "safety"), CALM_SAFETY)

    previsit.refresh_from_db()
    assert previsit.needs_review
    assert previsit.red_flag_outcome == TriageOutcome.SEE_DOCTOR


def test_the_rest_of_the_form_can_still_be_finished_after_a_red_flag(client):
    previsit = form_of(book())
    fill_first_visit(client, previsit)
    client.post(section_url(previsit, "safety"), with_answer("foot_colour", "yes"))

    previsit = PreVisit.objects.get(pk=previsit.pk)
    assert previsit.status == "done"
    assert previsit.red_flag_outcome == TriageOutcome.EMERGENCY
    overview = client.get(f"/before-your-visit/{previsit.token}/").content.decode()
    assert "Get emergency care now" in overview


def test_safety_questions_are_asked_even_with_the_self_check_taken_off_the_site(client):
    Questionnaire.objects.update(published=False)
    previsit = knee_form(client)

    page = client.get(section_url(previsit, "safety")).content.decode()

    assert "Does your knee ever lock" in page
    assert "Do you have chest pain" in page


def test_with_no_safety_questions_set_up_the_section_has_nothing_to_ask(client):
    Questionnaire.objects.update(safety_area="")
    previsit = form_of(book())

    page = client.get(section_url(previsit, "safety")).content.decode()
    response = client.post(section_url(previsit, "safety"), {})

    assert "There are no safety questions to answer right now." in page
    assert response.status_code == 302
    previsit.refresh_from_db()
    assert "safety" in previsit.answers
    assert not previsit.needs_review
