"""A patient sends a contact request while the database refuses writes: they are told it
was not sent, can copy what they typed, and can call instead."""

import pytest

from intake.models import Lead
from tests.browser.conftest import assert_accessible
from tests.database_faults import refuse_writes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_contact_request_during_a_database_outage_keeps_the_message_to_copy(
    live_server, page, settings, monkeypatch
):
    settings.CONTACT_MIN_FILL_SECONDS = 0  # a script types faster than any person
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/contact/")
    page.fill("#id_name", "Jane Runner")
    page.fill("#id_email", "jane@example.com")
    page.fill("#id_phone", "608 555 0199")
    page.check("#id_preferred_contact_method_0")
    page.select_option("#id_activity", "running")
    page.select_option("#id_body_area", "knee")
    page.fill("#id_message", "Left knee hurts after 10 km.\nWorse on stairs.")
    page.check("#id_consent")

    refuse_writes(monkeypatch)
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()

    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Sorry, our site is having trouble right now"
    assert "Your request was not sent" in page.content()
    kept = page.get_by_role("textbox", name="The message you typed")
    assert kept.input_value() == "Left knee hurts after 10 km.\nWorse on stairs."
    assert page.get_by_role("link", name="Call (608) 218-4215").first.is_visible()
    page.screenshot(path="/tmp/shots-harden/contact-503.png", full_page=True)
    assert_accessible(page)
    monkeypatch.undo()
    assert Lead.objects.count() == 0
