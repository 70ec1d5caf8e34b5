"""A clinician reviews and publishes a starter exercise; a patient on a phone then reads it,
reads an exercise whose steps are shown at a visit, and a guide edited since its review."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = "/tmp/shots-exercise-review"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def shoot(page, name: str) -> None:
    """The page at phone and desktop width, checked by axe at each."""
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        assert_accessible(page)
        page.screenshot(path=f"{SHOTS}/{name}-{label}.png", full_page=True)


def test_a_clinician_publishes_a_draft_and_a_patient_reads_it(
    live_server, page, browser, group_member
):
    clinician = group_member("Clinician")
    patient = browser.new_page()

    # Before review the draft is not there for the patient.
    assert patient.goto(f"{live_server.url}/exercises/bridge/").status == 404

    sign_in_at(page, f"{live_server.url}/admin/education/exercise/", clinician.username)
    page.get_by_role("link", name="Awaiting clinical review (drafts)").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Bridge", exact=True))
    expect(row).to_contain_text("No: draft, awaiting clinical review")
    assert_accessible(page)
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Review and publish (by you, today)")
    with page.expect_navigation():
        page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("Published 1, reviewed by clinician")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/admin-published.png", full_page=True)

    patient.set_viewport_size(PHONE)
    patient.goto(f"{live_server.url}/exercises/bridge/")
    expect(patient.get_by_role("heading", level=1)).to_have_text("Bridge")
    expect(patient.get_by_text(re.compile(r"^Reviewed by clinician, "))).to_be_visible()
    expect(patient.get_by_role("heading", name="How do I do it?")).to_be_visible()
    expect(patient.get_by_text("Lower your hips slowly back to the floor.")).to_be_visible()
    shoot(patient, "exercise-bridge")

    patient.goto(f"{live_server.url}/exercises/single-leg-banded-hip-abduction/")
    steps = patient.get_by_role("region", name="How do I do it?")
    expect(steps).to_contain_text("Your physical therapist will show you this one.")
    shoot(patient, "exercise-without-steps")

    # The clinician edits the guide's summary: its old review no longer covers the page.
    page.goto(f"{live_server.url}/admin/education/guide/")
    page.get_by_role("link", name="3 ways to Improve Knee Pain with Running").click()
    summary = page.get_by_label("Summary:")
    summary.fill(summary.input_value() + " Updated this week.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()

    patient.set_viewport_size(PHONE)
    patient.goto(f"{live_server.url}/guides/knee-pain-with-running/")
    reviewed = patient.locator(".reviewed")
    expect(reviewed).to_have_text(
        re.compile(r"^Updated on \w+ \d+, \d{4}; clinical review pending$")
    )
    expect(patient.get_by_text("Reviewed by")).to_have_count(0)
    shoot(patient, "guide-review-pending")
