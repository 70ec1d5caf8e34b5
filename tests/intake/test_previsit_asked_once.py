"""The safety section asks only what is needed, once: the age comes from the date of birth,
answers the patient sent with their self-check or gave in their health history are filled in
and say where from (and can be changed), and follow-on questions wait for their Yes."""

import pytest
from django.utils import timezone

from intake.times import clinic_zone
from tests.intake.previsit_support import (
    CALM_GENERAL,
    CALM_SAFETY,
    CONTACT,
    HISTORY,
    book,
    form_of,
    name_areas,
    section_url,
)

pytestmark = pytest.mark.django_db

LOCKING = (
    "Does your knee ever lock or get stuck, so you cannot straighten it until you wiggle it free?"
)


def born_years_before_the_visit(previsit, years: int) -> str:
    visit_day = previsit.appointment.start.astimezone(clinic_zone()).date()
    return visit_day.replace(year=visit_day.year - years, month=1, day=1).isoformat()


def test_self_check_answers_prefill_the_safety_questions_marked_and_editable(client):
    appointment = book()
    lead = appointment.lead
    lead.answers = [
        {"question": LOCKING, "answer": "Yes"},
        {"question": "How old are you?", "answer": "16 to 54"},
    ]
    lead.save()
    previsit = form_of(appointment)
    name_areas(client, previsit, "knee")

    response = client.get(section_url(previsit, "safety"))
    client.post(section_url(previsit, "safety"), {**CALM_SAFETY, "locking": "no"})

    sent_on = timezone.localtime(lead.created_at, clinic_zone())
    page = response.content.decode()
    assert response.context["form"].initial["locking"] == "yes"
    assert response.context["form"].initial["age"] == "16_to_54"
    assert f"Filled in from your self-check on {sent_on:%B} {sent_on.day}." in page
    assert "You can change it." in page
    previsit.refresh_from_db()
    assert previsit.answers["safety"]["answers"]["locking"] == ["no"]
    assert not previsit.needs_review


def test_the_age_comes_from_the_date_of_birth_and_is_not_asked_again(client):
    previsit = form_of(book())
    client.post(
        section_url(previsit, "contact"),
        {**CONTACT, "date_of_birth": born_years_before_the_visit(previsit, 40)},
    )
    name_areas(client, previsit, "knee", "hip")

    page = client.get(section_url(previsit, "safety")).content.decode()
    answers = {k: v for k, v in CALM_SAFETY.items() if k not in ("age", "limp_hip")}
    answers.update(dict.fromkeys(["h_e1", "h_e3", "h_e4", "h_d1", "h_d3", "h_d4", "h_d5"], "no"))
    response = client.post(section_url(previsit, "safety"), answers)

    assert "How old are you?" not in page
    assert "Are you 8 to 16 years old?" not in page
    assert response.status_code == 302
    previsit.refresh_from_db()
    saved = previsit.answers["safety"]["answers"]
    assert saved["age"] == ["16_to_54"]
    assert saved["age_8_to_16"] == ["no"]


def test_a_ten_year_old_is_asked_the_childrens_hip_and_knee_items_at_once(client):
    previsit = form_of(book())
    client.post(
        section_url(previsit, "contact"),
        {**CONTACT, "date_of_birth": born_years_before_the_visit(previsit, 10)},
    )
    name_areas(client, previsit, "knee", "hip")

    form = client.get(section_url(previsit, "safety")).context["form"]
    rows = {row["field"].name: row for row in form.rows()}
    response = client.post(
        section_url(previsit, "safety"),
        {**CALM_SAFETY, "limp_hip": "yes", "h_e1": "no", "h_e3": "no", "h_e4": "no"},
    )

    assert not rows["limp_hip"]["hidden"]
    assert not rows["h_d2"]["hidden"]
    assert "age" not in rows
    assert response.status_code == 200  # the hip's items for a child are still to answer
    assert {"h_e2", "h_d2"} <= set(response.context["form"].errors) | set(
        response.context["form"].pending
    )


def test_the_health_history_answers_the_pregnancy_question(client):
    previsit = form_of(book())
    client.post(section_url(previsit, "history"), {**HISTORY, "pregnancy": "postpartum"})

    response = client.get(section_url(previsit, "safety"))

    form = response.context["form"]
    assert form.initial["pregnant_recent"] == "yes"
    rows = {row["field"].name: row for row in form.rows()}
    assert not rows["g_d8"]["hidden"]  # shown at once: its Yes is already known
    assert "Filled in from your health history." in response.content.decode()


def test_follow_ons_are_hidden_until_their_yes_and_carry_no_hint(client):
    previsit = form_of(book())

    page = client.get(section_url(previsit, "safety")).content.decode()

    assert "Only if you said" not in page
    at = page.index('name="g_e5"')
    block = page[page.rindex('<div class="safety-question"', 0, at) : at]
    assert 'data-show-if="pregnant_recent"' in block and " hidden>" in block


def test_without_javascript_a_yes_brings_a_second_page_with_only_its_follow_ons(client):
    previsit = form_of(book())
    first = {**CALM_GENERAL, "pregnant_recent": "yes"}

    second = client.post(section_url(previsit, "safety"), first)
    body = second.content.decode()
    done = client.post(
        section_url(previsit, "safety"),
        {**first, "page": "2", **dict.fromkeys(["g_e5", "g_e6", "g_d7", "g_d8"], "no")},
    )

    assert second.status_code == 200
    assert sorted(second.context["form"].pending) == ["g_d7", "g_d8", "g_e5", "g_e6"]
    assert "A few more questions" in body
    assert 'name="g_e5"' in body and 'type="radio" name="g_e1"' not in body
    assert '<input type="hidden" name="g_e1" value="no">' in body
    assert done.status_code == 302
    previsit.refresh_from_db()
    assert previsit.answers["safety"]["answers"]["g_e5"] == ["no"]


def test_with_javascript_a_revealed_follow_on_left_blank_is_an_error_in_place(client):
    previsit = form_of(book())

    response = client.post(
        section_url(previsit, "safety"),
        {**CALM_GENERAL, "pregnant_recent": "yes", "revealed": "1"},
    )

    form = response.context["form"]
    assert not form.second_page
    assert form.errors["g_e5"] == ["Choose yes or no."]
