"""A clinician edits a guide's tip, then restores the version before; patients get the old tip."""

import pytest
from playwright.sync_api import expect

from education.models import Guide
from tests.browser.conftest import assert_accessible, sign_in_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = "/tmp/shots-edu2"
OLD_TIP = "Increase your forward trunk lean when you run"
NEW_TIP = "Run with your chest up high."


def test_a_clinician_restores_the_guide_and_its_tips_come_back(
    live_server, page, browser, group_member
):
    guide = Guide.objects.get(slug="knee-pain-with-running")
    clinician = group_member("Clinician")
    patient = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    public_url = f"{live_server.url}{guide.get_absolute_url()}"

    sign_in_at(
        page, f"{live_server.url}/admin/education/guide/{guide.pk}/change/", clinician.username
    )

    tip = page.locator("#tips-group input[value^='Increase your forward trunk lean']")
    tip.fill(NEW_TIP)
    page.get_by_label("Title:", exact=True).fill("Knee pain and running (unreviewed)")
    page.screenshot(path=f"{SHOTS}/01-edit-tip.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    patient.goto(public_url)
    expect(patient.get_by_role("heading", level=3, name=NEW_TIP)).to_be_visible()

    # The version before the edit, from the guide's history, which says what the save did.
    page.goto(f"{live_server.url}/admin/education/guide/{guide.pk}/history/")
    expect(page.locator("#change-history tbody tr").first).to_contain_text(
        f"Tip changed: {OLD_TIP}. → {NEW_TIP}"
    )
    # The body went back as the browser sends it (CR LF line ends) but reads the same.
    expect(page.locator("#change-history tbody tr").first).not_to_contain_text("Body")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/02-history.png", full_page=True)
    page.locator("#change-history tbody tr").last.get_by_role("link").first.click()
    expect(page.locator(".version-categories")).to_contain_text("Knee")
    parts = page.locator(".version-parts")
    expect(parts).to_contain_text(OLD_TIP)
    expect(parts).not_to_contain_text(NEW_TIP)
    expect(page.get_by_label("Title:", exact=True)).to_have_value(
        "3 ways to Improve Knee Pain with Running"
    )
    page.screenshot(path=f"{SHOTS}/03-revert-page.png", full_page=True)
    assert_accessible(page)

    # By keyboard: focus the Revert button and press Enter.
    page.get_by_role("button", name="Revert").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("takeaways and tips are back as they were")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/04-reverted.png", full_page=True)

    patient.reload()
    expect(patient.get_by_role("heading", level=1)).to_have_text(
        "3 ways to Improve Knee Pain with Running"
    )
    expect(patient.get_by_role("heading", level=3, name=OLD_TIP)).to_be_visible()
    expect(patient.get_by_text(NEW_TIP)).to_have_count(0)
    assert_accessible(patient)
    patient.screenshot(path=f"{SHOTS}/05-patient-sees-old-tip.png", full_page=True)
