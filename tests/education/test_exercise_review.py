"""Exercises are drafts until a clinician reviews and publishes them; drafts never reach patients.

"Patients" here is everybody who is not staff: on the exercise's own page, in a protocol's
page and handout, in a guide's tips, in the structured data, the sitemap, and in the copies
of those pages kept for visitors (education/page_cache.py).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from education.models import Exercise, Status
from tests.education.admin_forms import change_form_data
from tests.education.conftest import (
    PROTOCOL_SLUG,
    add_tip,
    make_exercise,
    make_guide,
    make_protocol,
    make_step,
)
from tests.education.test_pages import json_ld

CHICAGO = ZoneInfo("America/Chicago")
NOON = datetime.datetime(2026, 12, 8, 12, tzinfo=CHICAGO)


@pytest.fixture
def clinician(client, group_member):
    user = group_member("Clinician")
    user.first_name, user.last_name = "Maya", "Lindqvist"
    user.save()
    client.force_login(user)
    return client


def at_noon(client, monkeypatch) -> None:
    """Pin the clock, and sign in again so the session is not idle since the real time."""
    monkeypatch.setattr(timezone, "now", lambda: NOON)
    client.force_login(get_user_model().objects.get(username="clinician"))


@pytest.fixture
def plan_with_a_draft(db):
    """A published protocol and guide whose second exercise is still a draft."""
    protocol = make_protocol(title="Knee plan")
    shown = make_exercise(name="Shown squat", summary="The published one.")
    hidden = make_exercise(
        name="Hidden lunge",
        status=Status.DRAFT,
        summary="Draft summary words.",
        steps="1. Draft step words",
    )
    make_step(protocol, shown)
    draft_step = make_step(protocol, hidden, sets_min=7, reps_min=77)
    guide = make_guide(title="Knee guide", protocol=protocol)
    add_tip(guide, draft_step, advice="Strengthen the knee.")
    return protocol, guide, hidden


DRAFT_WORDS = ("Hidden lunge", "Draft summary words", "Draft step words", "77 reps")


def assert_no_draft(body: str) -> None:
    for words in DRAFT_WORDS:
        assert words not in body, words


# The vocabulary the programme code uses ------------------------------------------------------


def test_only_published_exercises_can_be_prescribed(db):
    draft = make_exercise(status=Status.DRAFT)
    published = make_exercise(status=Status.PUBLISHED)
    assert not draft.can_be_prescribed()
    assert published.can_be_prescribed()
    assert draft not in Exercise.objects.published()
    assert published in Exercise.objects.published()
    assert draft in Exercise.objects.awaiting_review()


# Patients never see a draft ------------------------------------------------------------------


def test_a_protocol_page_and_handout_leave_out_a_draft_exercise(client, plan_with_a_draft):
    protocol, _, _ = plan_with_a_draft
    for url in (protocol.get_absolute_url(), protocol.get_print_url()):
        body = client.get(url).content.decode()
        assert "Shown squat" in body, url
        assert_no_draft(body)
    parts = json_ld(client.get(protocol.get_absolute_url()))["hasPart"]
    assert [part["name"] for part in parts] == ["Shown squat"]


def test_a_guide_keeps_the_advice_but_not_a_draft_exercise(client, plan_with_a_draft):
    _, guide, hidden = plan_with_a_draft
    body = client.get(guide.get_absolute_url()).content.decode()
    assert "Strengthen the knee." in body
    assert_no_draft(body)
    assert hidden.get_absolute_url() not in body


def test_a_draft_exercise_page_is_not_found(client, plan_with_a_draft):
    _, _, hidden = plan_with_a_draft
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_staff_preview_draft_steps_marked_as_hidden_from_patients(
    client, staff_user, plan_with_a_draft
):
    protocol, guide, _ = plan_with_a_draft
    client.force_login(staff_user)
    for url in (protocol.get_absolute_url(), protocol.get_print_url(), guide.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "Hidden lunge" in body and "Draft exercise." in body, url


def test_a_staff_preview_never_becomes_the_copy_patients_get(client, staff_user, plan_with_a_draft):
    protocol, guide, _ = plan_with_a_draft
    client.force_login(staff_user)
    urls = (protocol.get_absolute_url(), protocol.get_print_url(), guide.get_absolute_url())
    for url in urls:
        client.get(url)
    for url in urls:
        for visitor in (Client(), Client()):  # the second one gets the kept copy
            assert_no_draft(visitor.get(url).content.decode())
        with_session = Client()
        with_session.cookies["messages"] = "stale"  # served the guide's kept parts
        assert_no_draft(with_session.get(url).content.decode())


def test_an_exercise_sent_back_to_draft_leaves_every_kept_copy(client, knee_protocol, knee_guide):
    step_down = Exercise.objects.get(slug="step-down")
    urls = [
        step_down.get_absolute_url(),
        knee_protocol.get_absolute_url(),
        knee_protocol.get_print_url(),
        knee_guide.get_absolute_url(),
    ]
    for url in urls:
        assert "Step-down" in Client().get(url).content.decode()  # now kept

    step_down.status = Status.DRAFT
    step_down.save()

    assert Client().get(step_down.get_absolute_url()).status_code == 404
    for url in urls[1:]:
        body = Client().get(url).content.decode()
        assert "Step-down" not in body, url
        assert "3-4 sets of 10-15 reps" not in body, url


def test_publishing_a_draft_reaches_the_kept_copies_at_once(client, plan_with_a_draft, clinician):
    protocol, _, hidden = plan_with_a_draft
    assert "Hidden lunge" not in Client().get(protocol.get_absolute_url()).content.decode()

    clinician.post(
        "/admin/education/exercise/",
        {"action": "review_and_publish", "_selected_action": [hidden.pk]},
    )

    assert "Hidden lunge" in Client().get(protocol.get_absolute_url()).content.decode()
    assert Client().get(hidden.get_absolute_url()).status_code == 200


def test_the_sitemap_lists_no_draft_exercise(client, plan_with_a_draft):
    _, _, hidden = plan_with_a_draft
    sitemap = client.get("/sitemap.xml").content.decode()
    assert hidden.get_absolute_url() not in sitemap
    assert "/exercises/step-down/" in sitemap


# Staff review and publish --------------------------------------------------------------------


def test_the_admin_lists_drafts_as_awaiting_clinical_review(clinician, plan_with_a_draft):
    listing = clinician.get("/admin/education/exercise/?review=awaiting").content.decode()
    assert "Hidden lunge" in listing
    assert "No: draft, awaiting clinical review" in listing
    assert "Shown squat" not in listing


def test_review_and_publish_records_the_clinician_and_the_day(
    clinician, plan_with_a_draft, monkeypatch
):
    at_noon(clinician, monkeypatch)
    _, _, hidden = plan_with_a_draft
    response = clinician.post(
        "/admin/education/exercise/",
        {"action": "review_and_publish", "_selected_action": [hidden.pk]},
        follow=True,
    )
    assert "Published 1, reviewed by Maya Lindqvist" in response.content.decode()
    hidden.refresh_from_db()
    assert hidden.is_published
    assert (hidden.reviewed_by, hidden.reviewed_on) == ("Maya Lindqvist", NOON.date())
    assert hidden not in Exercise.objects.awaiting_review()


def test_publishing_from_the_form_records_the_clinician_as_reviewer(
    clinician, plan_with_a_draft, monkeypatch
):
    at_noon(clinician, monkeypatch)
    _, _, hidden = plan_with_a_draft
    url = f"/admin/education/exercise/{hidden.pk}/change/"
    data = change_form_data(clinician.get(url))
    data["status"] = Status.PUBLISHED
    assert clinician.post(url, data).status_code == 302
    hidden.refresh_from_db()
    assert (hidden.status, hidden.reviewed_by, hidden.reviewed_on) == (
        Status.PUBLISHED,
        "Maya Lindqvist",
        NOON.date(),
    )
    assert not hidden.changed_since_review


def test_editing_a_published_exercise_makes_it_due_for_review(clinician, db):
    exercise = make_exercise(reviewed_by="A. Clinician, PT", reviewed_on=datetime.date(2026, 1, 2))
    url = f"/admin/education/exercise/{exercise.pk}/change/"
    data = change_form_data(clinician.get(url))
    data["cues"] = "Keep breathing."
    assert clinician.post(url, data).status_code == 302
    exercise.refresh_from_db()
    assert exercise.changed_since_review
    assert exercise.is_published  # still published: the review line says it is pending


def test_front_desk_cannot_publish_a_draft(client, group_member, plan_with_a_draft):
    _, _, hidden = plan_with_a_draft
    client.force_login(group_member("Front desk"))
    client.post(
        "/admin/education/exercise/",
        {"action": "review_and_publish", "_selected_action": [hidden.pk]},
    )
    hidden.refresh_from_db()
    assert not hidden.is_published


def test_the_admin_home_counts_drafts_awaiting_review(clinician, plan_with_a_draft):
    page = clinician.get("/admin/").content.decode()
    drafts = Exercise.objects.awaiting_review().count()
    assert f"<strong>{drafts}</strong> draft exercise" in page
    assert "awaiting clinical review" in page


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_exercise_list_costs_the_same_queries_for_few_or_many(clinician, db):
    url = "/admin/education/exercise/?review=awaiting"
    few = count_queries(clinician, url)
    for _ in range(30):
        make_exercise(status=Status.DRAFT)
    assert count_queries(clinician, url) == few


def test_the_protocol_page_costs_the_same_queries_with_draft_steps(client, knee_protocol):
    url = f"/protocols/{PROTOCOL_SLUG}/"
    with_cookie = Client()
    with_cookie.cookies["messages"] = "rendered afresh"
    before = count_queries(with_cookie, url)
    for _ in range(5):
        make_step(knee_protocol, make_exercise(status=Status.DRAFT))
    with_cookie.cookies["messages"] = "rendered afresh again"
    assert count_queries(with_cookie, url) == before
