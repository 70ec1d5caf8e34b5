"""A clinician changes a dose and removes a step, then restores the protocol's earlier version
from its History page; a patient on a phone gets the old steps back."""

import pytest
from playwright.sync_api import expect

from education.models import Protocol
from tests.browser.conftest import assert_accessible, sign_in_at
from tests.education.conftest import make_step, published_starter

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = "/tmp/shots-hist"
OLD_DOSE = "3-4 sets of 10-15 reps, 3-4 times per week"
NEW_DOSE = "2 sets of 10-15 reps, 3-4 times per week"


def test_a_clinician_restores_a_protocols_steps_and_the_patient_sees_them(
    live_server, page, browser, group_member
):
    protocol = Protocol.objects.get(slug="runners-patellofemoral-pain")
    # A step no guide tip uses, so the clinician may take it out.
    wall_sit = make_step(protocol, published_starter("wall-sit"), sets_min=3)
    step_down = protocol.steps.get(exercise__slug="step-down")
    clinician = group_member("Clinician")
    patient = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    public_url = f"{live_server.url}{protocol.get_absolute_url()}"

    sign_in_at(
        page,
        f"{live_server.url}/admin/education/protocol/{protocol.pk}/change/",
        clinician.username,
    )

    def inline(step) -> str:
        name = page.locator(f"input[name$='-id'][value='{step.pk}']").get_attribute("name")
        return name.removesuffix("-id")

    page.locator(f"#id_{inline(step_down)}-sets_min").fill("2")
    page.locator(f"#id_{inline(step_down)}-sets_max").fill("")
    page.locator(f"#id_{inline(wall_sit)}-DELETE").check()
    page.screenshot(path=f"{SHOTS}/01-protocol-edit.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    patient.goto(public_url)
    expect(patient.get_by_text(NEW_DOSE)).to_be_visible()
    expect(patient.get_by_text("Wall sit")).to_have_count(0)

    # The History page says what the save changed in the steps.
    page.goto(f"{live_server.url}/admin/education/protocol/{protocol.pk}/history/")
    latest = page.locator("#change-history tbody tr").first
    expect(latest).to_contain_text("Step removed: Wall sit")
    expect(latest).to_contain_text(f"Step changed: Step-down: {OLD_DOSE} → {NEW_DOSE}")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/02-protocol-history.png", full_page=True)

    # The version before the edit lists the steps that will come back.
    page.locator("#change-history tbody tr").nth(1).get_by_role("link").first.click()
    parts = page.locator(".version-parts")
    expect(parts).to_contain_text(f"Step-down: {OLD_DOSE}")
    expect(parts).to_contain_text("Wall sit: 3 sets")
    expect(parts).not_to_contain_text(NEW_DOSE)
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/03-protocol-revert-page.png", full_page=True)

    # By keyboard: focus the Revert button and press Enter.
    page.get_by_role("button", name="Revert").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("The steps are back as they were")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/04-protocol-reverted.png", full_page=True)

    patient.reload()
    expect(patient.get_by_text(OLD_DOSE)).to_be_visible()
    expect(patient.get_by_text(NEW_DOSE)).to_have_count(0)
    expect(patient.get_by_role("heading", name="Wall sit")).to_be_visible()
    assert_accessible(patient)
    patient.screenshot(path=f"{SHOTS}/05-patient-sees-old-steps.png", full_page=True)
