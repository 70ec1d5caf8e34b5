"""A patient books a free phone consult, then moves it, using only the keyboard."""

import pytest
from playwright.sync_api import Page, expect

from intake.models import Appointment
from tests.browser.conftest import assert_accessible

# Seeded appointment types and the placeholder clinician must survive the live
# server's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUSED = r"""() => {
  const el = document.activeElement;
  return {text: (el.textContent || '').replace(/\s+/g, ' ').trim(), id: el.id, name: el.name || '',
          classes: el.className || ''};
}"""


def tab_to(page: Page, matches, limit: int = 400) -> dict:
    """Press Tab until the focused element matches, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            return focused
    raise AssertionError("never reached the element by pressing Tab")


def text_is(text: str):
    return lambda focused: focused["text"] == text


def activate(page: Page, matches) -> None:
    tab_to(page, matches)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_patient_books_and_moves_a_consult_by_keyboard(live_server, page: Page):
    page.goto(live_server.url + "/")
    assert_accessible(page)

    activate(page, text_is("Book"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    assert_accessible(page)

    activate(page, text_is("Choose a time for Free phone consult"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    assert_accessible(page)

    # A week ahead, so the booking can still be moved online afterwards.
    activate(page, text_is("Later dates"))
    assert_accessible(page)
    activate(page, lambda focused: "slot-button" in focused["classes"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    assert_accessible(page)

    for field, value in [
        ("id_name", "Pat Runner"),
        ("id_email", "pat@example.com"),
        ("id_phone", "608 555 0123"),
        ("id_message", "Knee pain when running downhill."),
    ]:
        tab_to(page, lambda focused, field=field: focused["id"] == field)
        page.keyboard.type(value)
    activate(page, text_is("Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm your booking")
    expect(page.get_by_text("(608) 555-0123", exact=True)).to_be_visible()
    assert_accessible(page)

    activate(page, text_is("Confirm booking"))
    expect(page.get_by_text("You’re booked.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    assert_accessible(page)
    booked = Appointment.objects.get()
    assert booked.patient_name == "Pat Runner"
    assert "/book/manage/" in page.url

    activate(page, text_is("Choose a new time"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new time")
    assert_accessible(page)
    activate(page, lambda focused: "slot-button" in focused["classes"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your appointment?")
    assert_accessible(page)

    activate(page, text_is("Move my appointment"))
    expect(page.get_by_text("Your appointment has moved.")).to_be_visible()
    assert_accessible(page)
    moved = Appointment.objects.get()
    assert moved.start != booked.start
    assert moved.sequence == 1


def test_back_forward_and_reload_at_every_booking_step_never_book_twice(live_server, page: Page):
    """Each step, then the browser's Back, Forward and Reload: every navigation is a GET
    (no resubmission page), focus lands on the step's heading, and one booking is made."""
    methods = []
    page.on("request", lambda r: methods.append(r.method) if r.is_navigation_request() else None)

    def back_forward_reload(heading: str) -> None:
        methods.clear()
        page.go_back()
        page.go_forward()
        page.reload()
        assert len(methods) >= 3 and set(methods) == {"GET"}
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert page.evaluate("() => document.activeElement.id") == "page-heading"

    page.goto(live_server.url + "/book/")
    activate(page, text_is("Choose a time for Free phone consult"))
    back_forward_reload("Choose a time")
    activate(page, text_is("Later dates"))
    activate(page, lambda focused: "slot-button" in focused["classes"])
    back_forward_reload("Your details")
    page.fill("#id_name", "Pat Runner")
    page.fill("#id_email", "pat@example.com")
    page.fill("#id_phone", "608 555 0123")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    back_forward_reload("Check and confirm your booking")
    page.go_back()  # the details come back as typed
    expect(page.locator("#id_name")).to_have_value("Pat Runner")
    page.go_forward()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm booking").click()
    manage_url = page.url
    assert "/book/manage/" in manage_url
    back_forward_reload("Your appointment")
    page.go_back()  # Back from the confirmation shows the confirmation, not a form
    assert page.url == manage_url
    assert Appointment.objects.count() == 1

    # Cancelling asks first, on a page with the visit's time, then redirects.
    with page.expect_navigation():
        page.get_by_role("link", name="Cancel this visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your appointment?")
    assert page.evaluate("() => document.activeElement.id") == "page-heading"
    assert_accessible(page)
    assert Appointment.objects.get().status == "booked"
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, cancel this visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is cancelled")
    methods.clear()
    page.reload()
    assert methods == ["GET"]
    assert Appointment.objects.get().status == "cancelled"
