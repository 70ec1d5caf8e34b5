"""Patients read "Reviewed by … on …" only over the text that was reviewed.

After an edit the page says "Updated on …; clinical review pending" until a clinician
reviews it again, on every page that names the reviewer (guide, protocol, handout,
exercise) and in every copy of those pages kept for visitors (education/page_cache.py).
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags

from education.models import Exercise
from tests.education.admin_forms import change_form_data
from tests.education.conftest import make_exercise
from tests.education.test_pages import json_ld

SEEDED_REVIEW = "Reviewed by Peak Endurance PT clinical team, "


@pytest.fixture
def clinician(client, group_member):
    user = group_member("Clinician")
    user.first_name, user.last_name = "Maya", "Lindqvist"
    user.save()
    client.force_login(user)
    return client


def visitors() -> list[Client]:
    """Each kind of visitor: a first one (renders and keeps the page), one served the kept
    copy, and one with a cookie (served the guide's kept parts, not the whole copy)."""
    with_cookie = Client()
    with_cookie.cookies["messages"] = "stale"
    return [Client(), Client(), with_cookie]


def page_text(visitor: Client, url: str) -> str:
    """What a patient reads: the page without its tags."""
    return " ".join(strip_tags(visitor.get(url).content.decode()).split())


def pages_say(urls: list[str], text: str) -> bool:
    return all(text in page_text(visitor, url) for url in urls for visitor in visitors())


def pages_omit(urls: list[str], text: str) -> bool:
    return all(text not in page_text(visitor, url) for url in urls for visitor in visitors())


def updated_on(row) -> str:
    row.refresh_from_db()
    return f"Updated on {date_format(timezone.localdate(row.updated_at), 'F j, Y')}"


def edit(clinician, url: str, change) -> None:
    data = change_form_data(clinician.get(url))
    change(data)
    assert clinician.post(url, data).status_code == 302


def review(clinician, changelist: str, row) -> None:
    clinician.post(changelist, {"action": "mark_reviewed", "_selected_action": [row.pk]})


def test_an_edited_guide_says_review_pending_until_reviewed_again(clinician, knee_guide):
    urls = [knee_guide.get_absolute_url()]
    assert pages_say(urls, SEEDED_REVIEW + "November 25, 2026")

    edit(
        clinician,
        f"/admin/education/guide/{knee_guide.pk}/change/",
        lambda data: data.update(summary=data["summary"] + " Updated."),
    )

    assert pages_say(urls, f"{updated_on(knee_guide)}; clinical review pending")
    assert pages_omit(urls, "Reviewed by")
    assert "reviewedBy" not in json_ld(Client().get(urls[0]))

    review(clinician, "/admin/education/guide/", knee_guide)

    assert pages_say(urls, "Reviewed by Maya Lindqvist, ")
    assert pages_omit(urls, "clinical review pending")
    assert json_ld(Client().get(urls[0]))["reviewedBy"]["name"] == "Maya Lindqvist"


def test_a_protocol_whose_dose_changed_says_review_pending_on_its_page_and_handout(
    clinician, knee_protocol
):
    urls = [knee_protocol.get_absolute_url(), knee_protocol.get_print_url()]
    assert pages_say(urls, SEEDED_REVIEW)

    def change_a_dose(data: dict) -> None:
        key = next(key for key, value in data.items() if key.endswith("-sets_max") and value)
        data[key] = "5"

    edit(clinician, f"/admin/education/protocol/{knee_protocol.pk}/change/", change_a_dose)

    assert pages_say(urls, f"{updated_on(knee_protocol)}; clinical review pending")
    assert pages_omit(urls, "Reviewed by")

    review(clinician, "/admin/education/protocol/", knee_protocol)
    assert pages_say(urls, "Reviewed by Maya Lindqvist, ")


def test_an_edited_exercise_says_review_pending(clinician, db):
    exercise = make_exercise(reviewed_by="A. Clinician, PT", reviewed_on=datetime.date(2026, 1, 2))
    urls = [exercise.get_absolute_url()]
    assert pages_say(urls, "Reviewed by A. Clinician, PT, January 2, 2026")

    edit(
        clinician,
        f"/admin/education/exercise/{exercise.pk}/change/",
        lambda data: data.update(cues="Keep breathing."),
    )

    assert pages_say(urls, f"{updated_on(exercise)}; clinical review pending")
    assert pages_omit(urls, "Reviewed by")


def test_a_never_reviewed_exercise_names_no_reviewer(client, db):
    page = client.get(Exercise.objects.get(slug="step-down").get_absolute_url()).content.decode()
    assert "Reviewed by" not in page and "review pending" not in page
