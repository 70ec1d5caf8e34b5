"""A front-desk person, by keyboard only, books a patient who phoned, moves the visit
to a Sunday morning (outside the clinician's hours, so the page asks first), then adds
time off that clashes and cancels the visit from the choice page. axe runs on each page."""

import os
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from intake.models import Appointment, AppointmentStatus, Clinician, TimeOff
from tests.browser.conftest import assert_accessible, pass_second_factor
from tests.intake.booking_factories import (
    local,
    make_appointment,
    make_clinician,
    make_type,
    monday_a_week_ahead,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def tab_until(page, condition: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches a JS condition on `el`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def type_into(page, field_id: str, text: str) -> None:
    tab_until(page, f"el.id === '{field_id}'")
    page.keyboard.type(text)


def type_date(page, field_id: str, day) -> None:
    """Tab to a date picker and type the date as its boxes take it: month, day, year."""
    tab_until(page, f"el.id === '{field_id}'")
    page.keyboard.type(f"{day:%m%d%Y}")


def type_time(page, field_id: str, hour: int, minute: int = 0) -> None:
    """Tab to a time picker and type hours, minutes and AM or PM, as its boxes take them."""
    tab_until(page, f"el.id === '{field_id}'")
    page.keyboard.type(f"{(hour - 1) % 12 + 1:02d}{minute:02d}{'AM' if hour < 12 else 'PM'}")


def press_button(page, label: str) -> None:
    tab_until(page, f"el.type === 'submit' && el.value === '{label}'")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, only when SHOTS_DIR names a folder for them."""
    if folder := os.environ.get("SHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_front_desk_books_moves_and_clears_a_visit_by_keyboard(live_server, page, group_member):
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(8), time(17))], weekdays=range(5))
    make_type(name="Knee evaluation", slug="knee-evaluation", minimum_notice_hours=24)
    monday = monday_a_week_ahead(timezone.localdate())
    sunday = monday + timedelta(days=6)
    desk = group_member("Front desk")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/intake/appointment/add/")
    page.locator("#id_username").focus()
    page.keyboard.type(desk.username)
    page.keyboard.press("Tab")
    page.keyboard.type("pw-group-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)  # first sign-in: set up the authenticator
    assert page.locator("h1").inner_text() == "Book an appointment"
    assert page.get_by_label("Email the patient about this change").is_checked()
    assert_accessible(page)

    # A patient phones: Monday 9:00 AM with Dana.
    type_into(page, "id_clinician", "Dana")
    type_into(page, "id_appointment_type", "Knee")
    type_date(page, "id_start_0", monday)
    type_time(page, "id_start_1", 9)
    type_into(page, "id_patient_name", "Pat Caller")
    type_into(page, "id_patient_email", "pat@example.com")
    type_into(page, "id_patient_phone", "608-555-0142")
    shot(page, "1-book-filled")
    press_button(page, "Book it")
    assert "Booked: Pat Caller" in page.locator(".messagelist").inner_text()
    appointment = Appointment.objects.get()
    assert appointment.start == local(monday.year, monday.month, monday.day, 9)
    shot(page, "2-booked")

    # She calls back: Sunday 6:00 AM, which is outside Dana's hours.
    tab_until(page, "el.textContent.trim() === 'Move'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    type_date(page, "id_start_0", sunday)
    type_time(page, "id_start_1", 6)
    press_button(page, "Move it")
    problem = f"Sunday, {sunday:%B} {sunday.day} at 6:00 AM is outside Dana Lee's hours"
    assert problem in page.locator("#content-main").inner_text()
    appointment.refresh_from_db()
    assert appointment.local_start.weekday() == 0  # not moved until confirmed
    shot(page, "3-move-needs-confirmation")
    assert_accessible(page)
    tab_until(page, "el.name === 'confirmed'")
    page.keyboard.press("Space")
    press_button(page, "Move it")
    assert "Moved: Pat Caller" in page.locator(".messagelist").inner_text()
    appointment.refresh_from_db()
    assert appointment.start == local(sunday.year, sunday.month, sunday.day, 6)

    # Dana takes that Sunday off: the visit is in the way.
    page.goto(f"{live_server.url}/admin/intake/timeoff/add/")
    type_into(page, "id_clinician", "Dana")
    type_date(page, "id_start_0", sunday)
    type_time(page, "id_start_1", 0)
    type_date(page, "id_end_0", sunday)
    type_time(page, "id_end_1", 23, 59)
    type_into(page, "id_reason", "Conference")
    press_button(page, "Save")
    assert "Pat Caller" in page.locator(".stranded-appointments").inner_text()
    assert not TimeOff.objects.exists()
    shot(page, "4-time-off-choice")
    assert_accessible(page)
    tab_until(page, f"el.name === 'appointment_{appointment.pk}'")
    page.keyboard.press("Space")  # the first choice: cancel and email the patient
    press_button(page, "Save")
    assert "1 appointment(s) cancelled" in page.locator(".messagelist").inner_text()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED

    page.goto(f"{live_server.url}/admin/intake/appointment/day/?date={sunday:%Y-%m-%d}")
    time_off = page.locator(".calendar-grid .time-off").inner_text()
    assert "Time off: Dana Lee, all day" in time_off and "Conference" in time_off
    assert "Pat Caller" in page.locator(".calendar-grid .status-cancelled").inner_text()
    shot(page, "5-day-view")
    assert_accessible(page)

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    to_patient = [m for m in mail.outbox if m.to == ["pat@example.com"]]
    assert [m.subject.split(":")[0] for m in to_patient] == ["Booked", "Moved", "Cancelled"]
    assert dana.pk == appointment.clinician_id


def test_front_desk_cancels_a_visit_in_the_late_window_without_emailing(
    live_server, page, group_member
):
    """The patient is at the desk (so no email), two hours before the visit: staff are
    not bound by the late-cancel window."""
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(0), time(23, 59))])
    visit = make_type(name="Knee evaluation", slug="knee-evaluation")
    soon = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=soon)
    client_login(page, live_server, group_member("Front desk"))

    page.goto(f"{live_server.url}/admin/intake/appointment/{appointment.pk}/cancel/")
    assert_accessible(page)
    type_into(page, "id_reason", "Came in to cancel in person")
    tab_until(page, "el.name === 'email_patient'")
    page.keyboard.press("Space")  # untick: she is standing at the desk
    shot(page, "6-cancel-at-the-desk")
    press_button(page, "Cancel it")

    assert "The patient was not emailed." in page.locator(".messagelist").inner_text()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert mail.outbox == []


def client_login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").focus()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type("pw-group-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)  # first sign-in: set up the authenticator
