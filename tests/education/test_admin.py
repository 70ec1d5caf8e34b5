"""Clinicians edit guides and protocols in the admin; patients see the change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from education.models import PointKind
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


def test_guide_editor_has_one_labelled_list_per_kind_of_point(clinician_client, knee_guide):
    response = clinician_client.get(f"/admin/education/guide/{knee_guide.pk}/change/")
    formsets = {
        f.opts.verbose_name_plural: f.formset for f in response.context["inline_admin_formsets"]
    }
    signs = formsets["Signs and symptoms (listed under the signs heading)"]
    takeaways = formsets["Key takeaways (close the guide)"]
    assert {form.instance.kind for form in signs.forms} == {PointKind.SIGN}
    assert {form.instance.kind for form in takeaways.forms} == {PointKind.TAKEAWAY}
    assert "Reassurance notes (shown after the signs)" in formsets
    # The body's headings, as patients will read them.
    assert "What kind of knee pain do I have?" in response.content.decode().split("Headings")[1]


def test_a_sign_added_in_the_signs_list_is_a_sign_and_positions_are_renumbered(
    clinician_client, knee_guide
):
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    prefix = next(k for k in data if k.endswith("TOTAL_FORMS") and "points" in k)
    prefix = prefix.removesuffix("-TOTAL_FORMS")
    count = int(data[f"{prefix}-TOTAL_FORMS"])
    for key in [k for k in data if k.startswith(f"{prefix}-") and k.endswith("-order")]:
        data[key] = "1"  # every sign typed at the same position
    data[f"{prefix}-TOTAL_FORMS"] = str(count + 1)
    data[f"{prefix}-{count}-order"] = "1"
    data[f"{prefix}-{count}-text"] = "Clicking under the kneecap"

    assert clinician_client.post(url, data).status_code == 302

    signs = knee_guide.points.filter(kind=PointKind.SIGN).order_by("order")
    assert [sign.order for sign in signs] == list(range(1, count + 2))
    assert "Clicking under the kneecap" in [sign.text for sign in signs]
    takeaways = knee_guide.points.filter(kind=PointKind.TAKEAWAY).order_by("order")
    assert [t.order for t in takeaways] == list(range(1, takeaways.count() + 1))
