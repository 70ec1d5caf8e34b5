"""Home programmes in Chromium: a clinician assigns one from an appointment by keyboard
(the clicks counted), the patient logs on a phone (Back and Reload log nothing twice),
and two weeks later the clinician reads the flags, the chart and approves a step up.
axe on every page."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Programme, ProgrammeSession, ProgrammeVersion
from tests.browser.conftest import assert_accessible, pass_second_factor
from tests.browser.keyboard import tab_to, type_into
from tests.intake.booking_factories import make_appointment, make_clinician, make_type
from tests.intake.leads_support import make_lead
from tests.intake.programme_factories import make_programme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, only when SHOTS_DIR names a folder for them."""
    if folder := os.environ.get("SHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/programme-{name}.png", full_page=True)


def sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.locator("#id_username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("pw-group-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)


def press(page, test: str, clicks: list) -> None:
    """Tab to a link or button and press Enter: one click, counted."""
    tab_to(page, test, limit=300)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    clicks.append(page.url)


def back_two_weeks(programme: Programme) -> None:
    """As if the programme had been sent 14 days ago (the change of dose stays today's)."""
    start = timezone.now() - timedelta(days=14)
    Programme.objects.filter(pk=programme.pk).update(
        started_on=timezone.localdate(start), created_at=start
    )
    ProgrammeVersion.objects.filter(programme=programme, number=1).update(created_at=start)


def log(programme: Programme, days_ago: int, **ratings) -> None:
    day = timezone.localdate() - timedelta(days=days_ago)
    ProgrammeSession.objects.create(
        programme=programme, day=day, logged_at=timezone.now(), version=1, **ratings
    )


def test_a_clinician_assigns_from_a_protocol_in_three_clicks_by_keyboard(
    live_server, page, group_member
):
    lead = make_lead(name="Pat Runner", email="pat@example.com")
    appointment = make_appointment(
        clinician=make_clinician(),
        appointment_type=make_type(name="Follow-up"),
        start=timezone.now() - timedelta(hours=1),
        patient_name="Pat Runner",
        patient_email="pat@example.com",
        lead=lead,
    )
    page.set_viewport_size(DESKTOP)
    url = f"{live_server.url}/admin/intake/appointment/{appointment.pk}/change/"
    sign_in(page, url, group_member("Clinician").username)
    expect(page.get_by_role("region", name="Home exercise programme")).to_contain_text(
        "No home exercise programme yet"
    )
    assert_accessible(page)
    clicks: list[str] = []

    press(page, "el.textContent.trim() === 'Exercise programme'", clicks)
    expect(page.get_by_role("heading", name="Start from a protocol")).to_be_visible()
    assert_accessible(page)
    shot(page, "1-start-desktop")

    press(page, "el.textContent.trim().startsWith('Start from Home exercises for runner')", clicks)
    rows = page.locator("fieldset.dose-row")
    expect(rows).to_have_count(3)
    assert_accessible(page)
    shot(page, "2-editor-desktop")
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    shot(page, "2-editor-phone")
    page.set_viewport_size(DESKTOP)

    press(page, "el.textContent.trim() === 'Save and email the patient'", clicks)
    expect(page.locator(".messagelist")).to_contain_text("Programme sent: Pat Runner")
    section = page.get_by_role("region", name="Home exercise programme")
    expect(section).to_contain_text("Version 1")
    assert_accessible(page)
    shot(page, "3-sent-appointment")
    assert len(clicks) == 3, clicks
    programme = Programme.objects.get()
    token = programme.token

    # A change of dose by keyboard: a new version, the same link.
    tab_to(page, "el.textContent.trim().startsWith('Edit programme')", limit=300)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first_row = page.locator("fieldset.dose-row").first
    reps_id = first_row.locator("input[name$='-reps']").get_attribute("id")
    sets_id = first_row.locator("input[name$='-sets']").get_attribute("id")
    type_into(page, sets_id, "2")
    type_into(page, reps_id, "12")
    tab_to(page, "el.textContent.trim() === 'Save new version'", limit=300)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Saved as version 2")
    expect(section).to_contain_text("Version 2")
    programme.refresh_from_db()
    assert programme.token == token

    # Two weeks on: five logged days, the last with a pain of 8 and a note.
    back_two_weeks(programme)
    for days_ago, pain, effort in ((9, 3, 5), (7, 2, 5), (6, 3, 6), (4, 2, 5)):
        log(programme, days_ago, pain=pain, effort=effort)
    log(programme, 0, pain=8, effort=7, note="hurt on the stairs")
    page.goto(f"{live_server.url}/admin/")
    today = page.get_by_role("region", name="Home programmes")
    expect(today).to_contain_text("Pat Runner")
    expect(today).to_contain_text("Pain 8 out of 10")
    expect(today).to_contain_text("1 note from the patient")
    assert_accessible(page)
    today.scroll_into_view_if_needed()
    shot(page, "4-today-flag")
    tab_to(page, "el.textContent.trim().startsWith('Mark seen')", limit=400)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Home programmes")).to_contain_text(
        "No home programme needs a look"
    )

    # Three easy sessions at the new dose: the step up is offered, approved in one click.
    ProgrammeSession.objects.filter(programme=programme, day=timezone.localdate()).delete()
    for days_ago in (2, 1, 0):
        ProgrammeSession.objects.update_or_create(
            programme=programme,
            day=timezone.localdate() - timedelta(days=days_ago),
            defaults={"logged_at": timezone.now(), "version": 2, "pain": 2, "effort": 5},
        )
    page.goto(f"{live_server.url}/admin/intake/programme/{programme.pk}/change/")
    expect(page.get_by_role("heading", name="Ready to step up?")).to_be_visible()
    expect(page.get_by_role("img", name="Pain (solid) and effort (dashed)")).to_be_visible()
    assert_accessible(page)
    shot(page, "5-programme-page")
    tab_to(page, "el.textContent.trim().startsWith('Approve:')", limit=400)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("saved as version 3")
    assert ProgrammeVersion.objects.filter(programme=programme).count() == 3
    shot(page, "6-stepped-up")


def test_a_patient_logs_in_one_tap_and_back_or_reload_logs_nothing_twice(live_server, page):
    programme = make_programme()
    url = f"{live_server.url}/my-exercises/{programme.token}/"
    page.set_viewport_size(PHONE)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your home exercises")
    assert_accessible(page)
    shot(page, "7-patient-phone")

    page.get_by_role("button", name="I did today’s exercises").first.click()
    expect(page.get_by_role("status")).to_contain_text("today’s exercises are logged")
    expect(page.get_by_role("heading", name="Today is logged")).to_be_visible()
    assert_accessible(page)
    shot(page, "8-patient-logged")
    page.reload()
    page.go_back()
    page.go_forward()
    page.reload()
    assert ProgrammeSession.objects.filter(programme=programme).count() == 1

    page.get_by_label("Pain during or after").select_option("8")
    page.get_by_label("A short note").fill("hurt on the stairs")
    page.get_by_role("button", name="Save how it went").click()
    expect(page.get_by_role("heading", name="Stop the exercise that hurts")).to_be_visible()
    assert_accessible(page)
    shot(page, "9-patient-pain-advice")
    assert ProgrammeSession.objects.get(programme=programme).pain == 8

    page.goto(f"{url}print/")
    page.emulate_media(media="print")
    shot(page, "10-printout")
    sheets = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="Letter")))
    assert 1 <= sheets <= 2, sheets
    page.emulate_media(media="screen")
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    assert_accessible(page)
    shot(page, "11-patient-desktop")


def test_logging_works_without_javascript(live_server, browser):
    programme = make_programme()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/my-exercises/{programme.token}/")
    page.get_by_role("button", name="I did today’s exercises").first.click()
    expect(page.get_by_role("heading", name="Today is logged")).to_be_visible()
    context.close()
    assert ProgrammeSession.objects.filter(programme=programme).count() == 1
