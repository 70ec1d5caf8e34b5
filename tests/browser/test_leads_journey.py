"""A patient sends a contact request using only the keyboard, on a phone-sized screen."""

import pytest

from intake.models import Lead
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def tab_until(page, condition: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches a JS condition on `el`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_contact_request_by_keyboard_with_one_mistake_fixed(live_server, page, settings):
    settings.CONTACT_MIN_FILL_SECONDS = 0  # a script types faster than any person
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/contact/")
    assert_accessible(page)

    tab_until(page, "el.id === 'id_name'")
    page.keyboard.type("Jane Runner")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_email"
    page.keyboard.type("jane.example.com")  # the mistake: no @
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_phone"
    page.keyboard.type("608 555 0199")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_preferred_contact_method_0"
    page.keyboard.press("Space")  # Phone call
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_preferred_time"
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_activity"
    page.keyboard.type("Running")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_body_area"
    page.keyboard.type("Knee")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_message"
    page.keyboard.type("My knee hurts on long runs.")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_heard_about"
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_consent"
    page.keyboard.press("Space")
    tab_until(page, "el.type === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.title().startswith("Error: Contact us")
    assert focused_id(page) == "error-summary"  # focus moves to the list of problems
    summary = page.get_by_role("alert")
    assert "Enter an email address like name@example.com." in summary.inner_text()
    assert (
        "Enter an email address like name@example.com."
        in page.locator("#id_email_error").inner_text()
    )
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_name").input_value() == "Jane Runner"
    assert page.locator("#id_email").input_value() == "jane.example.com"
    assert page.locator("#id_activity").input_value() == "running"
    assert page.locator("#id_consent").is_checked()
    assert Lead.objects.count() == 0
    assert_accessible(page)

    tab_until(page, "el.id === 'id_email'")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("jane@example.com")
    tab_until(page, "el.type === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/contact/thanks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you: we have your request"
    assert page.get_by_role("link", name="Call (608) 218-4215").first.is_visible()
    assert_accessible(page)

    lead = Lead.objects.get()
    assert (lead.name, lead.email, lead.phone) == (
        "Jane Runner",
        "jane@example.com",
        "+16085550199",
    )
    assert (lead.activity, lead.body_area, lead.preferred_contact_method) == (
        "running",
        "knee",
        "phone",
    )
