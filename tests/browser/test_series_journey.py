"""A front-desk person, by keyboard only, books six weeks of twice-weekly visits for a
caller (one date clashes, so the preview offers the nearest free time that day), Reload
books nothing twice, then cancels the rest of the series from its fourth visit. axe runs
on each page. The journey's key presses, page loads and seconds are printed for the
closing note; they are measured, never asserted."""

import time as clock
from datetime import time, timedelta

import pytest
from django.utils import timezone

from intake.models import Appointment, AppointmentSeries, AppointmentStatus, Clinician
from tests.browser.conftest import assert_accessible, sign_in_at
from tests.browser.test_staff_schedule_journey import press_button, shot, tab_until, type_into
from tests.intake.booking_factories import (
    local,
    make_appointment,
    make_clinician,
    make_type,
    monday_a_week_ahead,
)
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_front_desk_books_and_ends_a_six_week_series_by_keyboard(live_server, page, group_member):
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(8), time(17))], weekdays=range(5))
    visit = make_type(name="Knee follow-up", slug="knee-follow-up", minimum_notice_hours=24)
    monday = monday_a_week_ahead(timezone.localdate())
    taken = monday + timedelta(days=9)  # another patient holds the second Wednesday at 9:00
    make_appointment(
        clinician=dana,
        appointment_type=visit,
        start=local(taken.year, taken.month, taken.day, 9),
    )
    desk = group_member("Front desk")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_at(page, f"{live_server.url}/admin/intake/appointment/", desk.username)

    started = clock.monotonic()
    steps = 0
    tab_until(page, "el.textContent.trim() === 'Book repeating visits'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    steps += 1
    assert page.locator("h1").inner_text() == "Book repeating visits"
    assert_accessible(page)

    for field_id, text in [
        ("id_appointment_type", "Knee"),
        ("id_clinician", "Dana"),
        ("id_patient_name", "Robin Vale"),
        ("id_patient_email", "robin@example.com"),
        ("id_patient_phone", "608-555-0177"),
        ("id_first_day", f"{monday:%m%d%Y}"),
        ("id_local_time", "0900AM"),
    ]:
        type_into(page, field_id, text)
        steps += 1
    for weekday in ("id_weekdays_0", "id_weekdays_2"):  # Monday and Wednesday
        tab_until(page, f"el.id === '{weekday}'")
        page.keyboard.press("Space")
        steps += 1
    shot(page, "series-1-filled")
    press_button(page, "Check the dates")
    steps += 1

    content = page.locator("#content-main").inner_text()
    assert "11 of 12 dates free as asked" in content
    assert "Dana Lee already has an appointment then" in content
    shot(page, "series-2-preview")
    assert_accessible(page)
    press_button(page, "Book these visits")
    steps += 1
    seconds = clock.monotonic() - started

    assert "12 visit(s) booked." in page.locator(".messagelist").inner_text()
    series = AppointmentSeries.objects.get()
    booked = list(series.appointments.order_by("start"))
    assert len(booked) == 12
    assert {a.local_start.weekday() for a in booked} == {0, 2}
    assert [a.local_start.hour for a in booked].count(
        9
    ) == 11  # the clash moved to the nearest hour
    shot(page, "series-3-booked")
    assert_accessible(page)
    print(f"\nseries journey: {steps} actions (fields, ticks, presses), {seconds:.1f} s")

    # Reload re-sends the confirm: nothing is booked twice.
    page.go_back()
    page.reload()
    assert Appointment.objects.filter(series=series).count() == 12
    (email,) = deliver_queued_emails()
    assert email.subject == "Booked: 12 visits, Knee follow-up on Monday and Wednesday"

    # The patient stops after two weeks: cancel the rest from the fifth visit.
    page.goto(f"{live_server.url}/admin/intake/appointment/{booked[4].pk}/change/")
    tab_until(page, "el.textContent.trim() === 'Cancel the rest of the series'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "These 8 visits" in page.locator("#content-main").inner_text()
    assert_accessible(page)
    shot(page, "series-4-cancel-rest")
    press_button(page, "Cancel 8 visits")
    assert "8 visit(s) cancelled" in page.locator(".messagelist").inner_text()
    statuses = list(series.appointments.order_by("start").values_list("status", flat=True))
    assert statuses == [AppointmentStatus.BOOKED] * 4 + [AppointmentStatus.CANCELLED] * 8
    (email,) = deliver_queued_emails()
    assert email.subject == "Cancelled: 8 visits, Knee follow-up"

    # A phone-sized screen reads the preview too.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/intake/appointmentseries/{series.pk}/change/")
    shot(page, "series-5-phone")
    assert_accessible(page)
