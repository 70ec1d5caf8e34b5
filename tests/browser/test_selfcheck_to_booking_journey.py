"""From a self-check result to a booking that carries the answers, on a phone.

The patient presses "Book a visit with my answers": the box is ticked on the
details page, the check page says the answers will be sent (with a way to
change it), and the booking's lead keeps them. Each step is screenshotted and
checked with axe.
"""

import pytest
from playwright.sync_api import expect

from intake.models import Appointment, TriageOutcome
from tests.browser.conftest import assert_accessible
from tests.browser.selfcheck_pages import KNEECAP_PATTERN, answer_every_step
from tests.intake.selfcheck_client import CALM

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SHOTS = "/tmp/shots-journeys"


def shot(page, name: str) -> None:
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_book_a_visit_with_my_answers_keeps_them_by_default(live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/check/runners-knee/")
    answer_every_step(page, {**CALM, **KNEECAP_PATTERN})
    shot(page, "1-result")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["selfcheck"]["httpOnly"] and cookies["selfcheck"]["sameSite"] == "Lax"
    assert cookies["selfcheck"]["path"] == "/check/runners-knee/"

    with page.expect_navigation():
        page.get_by_role("button", name="Book a visit with my answers").click()
    assert page.url == f"{live_server.url}/book/"
    shot(page, "2-types")
    with page.expect_navigation():
        page.get_by_role("link", name="Choose a time for Free phone consult").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Later dates").click()
    with page.expect_navigation():
        page.locator(".slot-button").first.click()
    expect(page.get_by_label("Send my self-check answers to the clinic")).to_be_checked()
    shot(page, "3-details")
    page.fill("#id_name", "Pat Runner")
    page.fill("#id_email", "pat@example.com")
    page.fill("#id_phone", "608 555 0123")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Your self-check answers will be sent to the clinic.")).to_be_visible()
    shot(page, "4-review")

    # "Change" leads back to the box; unticking it is reflected on the check page.
    with page.expect_navigation():
        page.get_by_role("link", name="Change whether your self-check answers are sent").click()
    page.get_by_label("Send my self-check answers to the clinic").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Not sent: your self-check answers stay private.")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Change whether your self-check answers are sent").click()
    page.get_by_label("Send my self-check answers to the clinic").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()

    with page.expect_navigation():
        page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    shot(page, "5-manage")
    lead = Appointment.objects.get().lead
    assert lead.triage_outcome == TriageOutcome.PATELLOFEMORAL
    assert {
        "question": "Where does your knee hurt the most?",
        "answer": "Around or behind the kneecap",
    } in lead.answers
    # Sent: the answers are no longer kept in the browser.
    names = {c["name"] for c in page.context.cookies()}
    assert "selfcheck" not in names and "selfcheck_handoff" not in names

    with page.expect_navigation():
        page.get_by_role("link", name="Cancel this visit").click()
    shot(page, "6-cancel-confirm")
