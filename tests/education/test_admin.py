"""Clinicians edit guides and protocols in the admin; patients see the change."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.education.admin_forms import change_form_data
from tests.education.conftest import (
    GUIDE_SLUG,
    PROTOCOL_SLUG,
    make_exercise,
    make_guide,
    make_protocol,
    make_step,
)


@pytest.fixture
def clinician_client(client, group_member):
    client.force_login(group_member("Clinician"))
    return client


def inline_prefix(data: dict, suffix: str, value: str) -> str:
    """The form field name (e.g. points-0-text) whose current value is `value`."""
    return next(key for key, current in data.items() if key.endswith(suffix) and current == value)


def test_clinician_edits_a_sign_and_the_guide_page_shows_it(clinician_client, knee_guide):
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    key = inline_prefix(data, "-text", "Pain with stairs, especially going down")
    data[key] = "Pain with stairs, especially going down (and squatting)"
    data["title"] = "3 ways to Improve Knee Pain with Running, updated"

    response = clinician_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    page = clinician_client.get(f"/guides/{GUIDE_SLUG}/").content.decode()
    assert "Pain with stairs, especially going down (and squatting)" in page
    assert "3 ways to Improve Knee Pain with Running, updated</h1>" in page


def test_clinician_changes_a_dose_and_every_page_shows_the_new_dose(
    clinician_client, knee_protocol
):
    url = f"/admin/education/protocol/{knee_protocol.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    step_down = knee_protocol.steps.get(exercise__slug="step-down")
    prefix = inline_prefix(data, "-id", str(step_down.pk)).removesuffix("-id")
    data[f"{prefix}-sets_min"], data[f"{prefix}-sets_max"] = "2", "3"

    assert clinician_client.post(url, data).status_code == 302

    new_dose = "2-3 sets of 10-15 reps, 3-4 times per week"
    for page in [
        f"/protocols/{PROTOCOL_SLUG}/",
        f"/protocols/{PROTOCOL_SLUG}/print/",
        f"/guides/{GUIDE_SLUG}/",
        "/exercises/step-down/",
    ]:
        assert new_dose in clinician_client.get(page).content.decode(), page


def test_an_impossible_dose_is_refused_with_a_message_not_an_error(clinician_client, knee_protocol):
    url = f"/admin/education/protocol/{knee_protocol.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    step_down = knee_protocol.steps.get(exercise__slug="step-down")
    prefix = inline_prefix(data, "-id", str(step_down.pk)).removesuffix("-id")
    data[f"{prefix}-sets_min"], data[f"{prefix}-sets_max"] = "4", "2"

    response = clinician_client.post(url, data)

    assert response.status_code == 200
    assert "The most sets must be at least the fewest sets." in response.content.decode()
    step_down.refresh_from_db()
    assert (step_down.sets_min, step_down.sets_max) == (3, 4)


@pytest.mark.parametrize("model", ["guide", "exercise", "protocol"])
def test_admin_fills_the_slug_from_the_title(clinician_client, db, model):
    response = clinician_client.get(f"/admin/education/{model}/add/")
    prepopulated = response.context["adminform"].prepopulated_fields
    assert [field["field"].name for field in prepopulated] == ["slug"]


def test_guide_admin_links_to_the_page_on_the_site(clinician_client, knee_guide):
    body = clinician_client.get(f"/admin/education/guide/{knee_guide.pk}/change/").content.decode()
    assert "View on site" in body


def test_front_desk_neither_reads_nor_edits_guides(client, group_member, knee_guide):
    """Issue 8: content is the clinicians'; the front desk works leads and appointments."""
    client.force_login(group_member("Front desk"))
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Changed"}).status_code == 403
    knee_guide.refresh_from_db()
    assert knee_guide.title == "3 ways to Improve Knee Pain with Running"


def _more_rows(model: str) -> None:
    if model == "guide":
        make_guide(protocol=make_protocol())
    elif model == "exercise":
        make_exercise()
    else:
        make_step(make_protocol())


@pytest.mark.parametrize("model", ["guide", "exercise", "protocol"])
def test_admin_lists_do_not_query_per_row(clinician_client, db, model):
    url = f"/admin/education/{model}/"
    with CaptureQueriesContext(connection) as before:
        assert clinician_client.get(url).status_code == 200
    for _ in range(5):
        _more_rows(model)
    with CaptureQueriesContext(connection) as after:
        response = clinician_client.get(url)
    assert len(after) == len(before)
    assert response.context["cl"].result_count > 5


def test_clinician_uploads_an_exercise_picture_and_patients_see_it(
    clinician_client, knee_guide, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    exercise = knee_guide.tips.first().step.exercise
    url = f"/admin/education/exercise/{exercise.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    data["image"] = SimpleUploadedFile("band-walk.png", png, content_type="image/png")
    data["image_alt"] = "A runner lifting one leg sideways against a band"

    assert clinician_client.post(url, data).status_code == 302

    page = clinician_client.get(f"/exercises/{exercise.slug}/").content.decode()
    src = re.search(r'<img[^>]+src="([^"]+)"[^>]+alt="A runner lifting one leg', page).group(1)
    clinician_client.logout()
    picture = clinician_client.get(src)
    assert picture.status_code == 200
    assert b"".join(picture.streaming_content) == png
    assert picture["Content-Type"] == "image/png"
