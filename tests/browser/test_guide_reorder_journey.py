"""A clinician drags a sign to the top of the list; the numbers follow and patients see it first."""

import pytest
from playwright.sync_api import expect

from education.models import Guide
from tests.browser.conftest import sign_in_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MOVED = "Downhill walking and running are worse than uphill"


def test_a_clinician_drags_a_sign_to_the_top_and_patients_see_it_first(
    live_server, page, browser, group_member
):
    guide = Guide.objects.get(slug="knee-pain-with-running")
    clinician = group_member("Clinician")
    sign_in_at(
        page, f"{live_server.url}/admin/education/guide/{guide.pk}/change/", clinician.username
    )

    signs = page.locator("#points-group tbody tr.has_original")
    moved = signs.filter(has=page.locator(f"textarea:text-is('{MOVED}')"))
    expect(moved.locator("input[name$='-order']")).to_have_value("4")
    # Both rows on screen at once, as on a desktop where staff drag with a mouse.
    page.set_viewport_size({"width": 1280, "height": 1200})
    page.locator("#points-group").scroll_into_view_if_needed()
    moved.locator(".drag-handle").drag_to(signs.first.locator(".drag-handle"))

    expect(signs.first.locator("textarea")).to_have_text(MOVED)
    numbers = signs.locator("input[name$='-order']").all()
    assert [number.input_value() for number in numbers] == ["1", "2", "3", "4"]
    page.screenshot(path="/tmp/shots-edu2/06-dragged-sign.png", full_page=False)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    patient = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    patient.goto(f"{live_server.url}{guide.get_absolute_url()}")
    expect(patient.locator("ul.signs li").first).to_have_text(MOVED)
