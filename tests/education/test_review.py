"""Clinicians mark guides and protocols reviewed; stale or edited ones are flagged as due."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from education.models import Guide, Protocol
from tests.education.admin_forms import change_form_data
from tests.education.conftest import make_guide, make_protocol

CHICAGO = ZoneInfo("America/Chicago")


def at(*date) -> datetime.datetime:
    return datetime.datetime(*date, 12, tzinfo=CHICAGO)


@pytest.fixture
def clinician(client, group_member):
    user = group_member("Clinician")
    user.first_name, user.last_name = "Maya", "Lindqvist"
    user.save()
    client.force_login(user)
    return client


def test_a_guide_falls_due_twelve_months_after_its_review(db):
    guide = make_guide(reviewed_on=datetime.date(2026, 1, 2))
    assert guide not in Guide.objects.review_due(at(2027, 1, 2))
    assert not guide.review_due(at(2027, 1, 2))
    assert guide in Guide.objects.review_due(at(2027, 1, 3))
    assert guide.review_due(at(2027, 1, 3))


def test_the_review_period_is_a_setting(db, settings):
    settings.CONTENT_REVIEW_MONTHS = 6
    protocol = make_protocol(reviewed_on=datetime.date(2026, 1, 2))
    assert protocol in Protocol.objects.review_due(at(2026, 7, 3))


def test_an_edit_in_the_admin_makes_a_reviewed_guide_due(clinician, knee_guide, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 12, 1))
    assert knee_guide not in Guide.objects.review_due()
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician.get(url))
    assert clinician.post(url, data).status_code == 302  # saved unchanged: still reviewed
    assert knee_guide not in Guide.objects.review_due()

    data["summary"] += " Updated."
    assert clinician.post(url, data).status_code == 302

    assert knee_guide in Guide.objects.review_due()
    listing = clinician.get("/admin/education/guide/?review=due").content.decode()
    assert "Due: changed since its review" in listing


def test_saving_from_a_browser_unchanged_leaves_a_reviewed_guide_reviewed(
    clinician, knee_guide, monkeypatch
):
    """Browsers end a text box's lines with CR LF; the seeded text ends them with LF."""
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 12, 1))
    body = knee_guide.body
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician.get(url))
    as_sent = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}

    assert clinician.post(url, as_sent).status_code == 302

    assert knee_guide not in Guide.objects.review_due()
    knee_guide.refresh_from_db()
    assert knee_guide.body == body.strip()  # the form drops spaces and line ends at the ends
    assert "Body" not in clinician.get(f"{url.removesuffix('change/')}history/").content.decode()


def test_marking_reviewed_records_the_login_and_today_and_patients_see_it(
    clinician, knee_guide, monkeypatch, django_user_model
):
    monkeypatch.setattr(timezone, "now", lambda: at(2027, 12, 4))
    clinician.force_login(django_user_model.objects.get(username="clinician"))  # a fresh session
    assert knee_guide in Guide.objects.review_due()
    response = clinician.post(
        "/admin/education/guide/",
        {"action": "mark_reviewed", "_selected_action": [knee_guide.pk]},
    )
    assert response.status_code == 302
    knee_guide.refresh_from_db()
    assert (knee_guide.reviewed_by, knee_guide.reviewed_on) == (
        "Maya Lindqvist",
        datetime.date(2027, 12, 4),
    )
    assert knee_guide not in Guide.objects.review_due()
    page = Client().get(knee_guide.get_absolute_url()).content.decode()
    assert "Reviewed by Maya Lindqvist" in page and "December 4, 2027" in page


def test_the_reviewer_cannot_be_typed_in(clinician, knee_guide):
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician.get(url))
    data["reviewed_by"] = "Dr. Somebody Else"
    assert clinician.post(url, data).status_code == 302
    knee_guide.refresh_from_db()
    assert knee_guide.reviewed_by == "Peak Endurance PT clinical team"


def test_admin_index_tells_clinicians_how_many_reviews_are_due(
    clinician, group_member, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 12, 1))
    make_guide(reviewed_on=datetime.date(2025, 1, 1))
    make_guide(reviewed_on=None)
    page = clinician.get("/admin/").content.decode()
    assert "<strong>2</strong> guides due for review" in page
    assert "<strong>0</strong> protocols due for review" in page

    front_desk = Client()
    front_desk.force_login(group_member("Front desk"))
    assert "due for review" not in front_desk.get("/admin/").content.decode()
