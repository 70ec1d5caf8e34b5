"""The front desk adds, moves and cancels appointments in the admin through the same
booking functions as patients: same checks, same emails with the calendar file and
the manage link, plus a confirmation before breaking a scheduling rule."""

import re
from datetime import time, timedelta
from unittest import mock

import icalendar
import pytest
from django.utils import timezone

from intake.booking import Slot, StaffChange, reschedule_appointment
from intake.models import Appointment, AppointmentStatus, Clinician, LeadStatus
from tests.intake.booking_factories import (
    CHICAGO,
    local,
    make_appointment,
    make_clinician,
    make_type,
    monday_a_week_ahead,
)
from tests.intake.queued_emails import deliver_queued_emails
from tests.intake.staff_booking_form import booking_data, split

ADD = "/admin/intake/appointment/add/"


@pytest.fixture
def desk(client, group_member):
    client.force_login(group_member("Front desk"))
    return client


@pytest.fixture
def dana(db):
    Clinician.objects.all().delete()
    return make_clinician("Dana Lee", hours=[(time(8), time(17))], weekdays=range(5))


@pytest.fixture
def visit(db):
    return make_type(name="Initial evaluation", slug="evaluation", minimum_notice_hours=24)


def monday(weeks_ahead: int = 1, hour: int = 9):
    """A Monday at `hour`, local time, at least a week ahead."""
    day = monday_a_week_ahead(timezone.localdate(), weeks_ahead=weeks_ahead)
    return local(day.year, day.month, day.day, hour)


def calendar_event(message) -> tuple[icalendar.Calendar, icalendar.Event]:
    (attachment,) = message.attachments
    calendar = icalendar.Calendar.from_ical(attachment.content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_phone_booking_emails_the_patient_a_calendar_file_and_a_working_manage_link(
    desk, dana, visit
):
    form = desk.get(ADD)
    assert "Email the patient about this change" in form.content.decode()
    assert re.search(r'<input[^>]*name="email_patient"[^>]*checked', form.content.decode())

    response = desk.post(ADD, booking_data(dana, visit, monday()))

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/intake/appointment/{appointment.pk}/change/"
    assert appointment.patient_phone == "+16085550142"
    assert appointment.lead.status == LeadStatus.SCHEDULED
    (email,) = deliver_queued_emails()  # the desk is not told about its own booking
    assert email.to == ["caller@example.com"]
    manage = f"/book/manage/{appointment.manage_token}/"
    assert manage in email.body
    calendar, event = calendar_event(email)
    assert calendar["METHOD"] == "PUBLISH"
    assert event.decoded("DTSTART") == monday()
    page = desk.get(response["Location"]).content.decode()
    assert "Booked: Phone Caller" in page and "The patient is being emailed." in page
    assert desk.get(manage).status_code == 200


def test_a_walk_in_booked_without_email_gets_none(desk, dana, visit):
    data = booking_data(dana, visit, monday())
    del data["email_patient"]

    desk.post(ADD, data)

    assert Appointment.objects.count() == 1
    assert deliver_queued_emails() == []


def test_bad_input_is_shown_on_its_field_and_kept(desk, dana, visit):
    data = booking_data(dana, visit, monday(), patient_phone="call me", start_1="25:99")

    response = desk.post(ADD, data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a phone number we can call" in body
    assert "Enter a valid time" in body
    assert 'value="Phone Caller"' in body
    assert not Appointment.objects.exists()


def test_booking_over_another_appointment_is_refused_on_the_time_field(desk, dana, visit):
    make_appointment(clinician=dana, appointment_type=visit, start=monday(hour=9))

    response = desk.post(ADD, booking_data(dana, visit, monday(hour=9) + timedelta(minutes=30)))

    assert response.status_code == 200
    assert "already has an appointment" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_booking_inside_the_minimum_notice_needs_a_confirmation_naming_it(desk, dana, visit):
    soon = (timezone.now() + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    if soon.astimezone(CHICAGO).hour == 23:  # the hour-long visit must end on its own day
        soon += timedelta(hours=2)
    dana.availability.all().delete()
    dana.availability.create(
        weekday=soon.astimezone(CHICAGO).weekday(), start=time(0), end=time(23, 59)
    )

    first = desk.post(ADD, booking_data(dana, visit, soon))

    body = first.content.decode()
    assert first.status_code == 200
    assert "inside the 24-hour minimum notice for Initial evaluation" in body
    assert not Appointment.objects.exists()
    (problem,) = first.context["form"].problems
    confirmed = desk.post(ADD, booking_data(dana, visit, soon, confirmed=[problem]))
    assert confirmed.status_code == 302
    assert Appointment.objects.get().start == soon


def test_moving_emails_the_new_local_time_with_the_same_event_and_keeps_the_link(desk, dana, visit):
    desk.post(ADD, booking_data(dana, visit, monday(hour=9)))
    appointment = Appointment.objects.get()
    first_link = f"/book/manage/{appointment.manage_token}/"
    (confirmation,) = deliver_queued_emails()
    _, booked_event = calendar_event(confirmation)
    new_start = monday(hour=9) + timedelta(days=1, hours=5)  # Tuesday 2:00 PM

    moved = desk.post(
        f"/admin/intake/appointment/{appointment.pk}/move/",
        {"clinician": dana.pk, **split(new_start), "email_patient": "on"},
    )

    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == new_start
    (email,) = deliver_queued_emails()
    local_start = new_start.astimezone(CHICAGO)
    assert f"New time: Tuesday, {local_start:%B} {local_start.day}" in email.body
    assert "at 2:00 PM Central Time" in email.body
    assert first_link in email.body
    calendar, event = calendar_event(email)
    assert str(event["UID"]) == str(booked_event["UID"])
    assert event["SEQUENCE"] == booked_event["SEQUENCE"] + 1
    assert event.decoded("DTSTART") == new_start
    assert desk.get(first_link).status_code == 200  # the first email's link still works


def test_a_move_outside_the_clinicians_hours_needs_a_confirmation_naming_the_problem(
    desk, dana, visit
):
    appointment = make_appointment(
        clinician=dana, appointment_type=visit, start=monday(), reminder_sent_at=timezone.now()
    )
    sunday = monday(hour=6) + timedelta(days=6)
    url = f"/admin/intake/appointment/{appointment.pk}/move/"
    data = {"clinician": dana.pk, **split(sunday), "email_patient": "on"}

    asked = desk.post(url, data)

    body = asked.content.decode()
    assert asked.status_code == 200
    assert f"Sunday, {sunday:%B} {sunday.day} at 6:00 AM is outside Dana Lee&#x27;s hours" in body
    appointment.refresh_from_db()
    assert appointment.start == monday()
    confirmed = desk.post(url, {**data, "confirmed": asked.context["form"].problems})
    assert confirmed.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == sunday
    assert appointment.sequence == 1
    assert appointment.reminder_sent_at is None  # the new time gets its own reminder


def test_staff_cancel_inside_the_late_window_sends_a_calendar_cancellation(desk, dana, visit):
    tomorrow = timezone.now() + timedelta(hours=5)
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=tomorrow)

    response = desk.post(
        f"/admin/intake/appointment/{appointment.pk}/cancel/",
        {"reason": "Dana is ill", "email_patient": "on"},
    )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    (email,) = deliver_queued_emails()
    assert "we had to cancel" in email.body
    assert "Dana is ill" not in email.body  # the reason is for staff
    calendar, event = calendar_event(email)
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"


def test_the_change_page_moves_nothing_and_links_to_move_and_cancel(desk, dana, visit):
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=monday())

    page = desk.get(f"/admin/intake/appointment/{appointment.pk}/change/").content.decode()

    assert f"/admin/intake/appointment/{appointment.pk}/move/" in page
    assert f"/admin/intake/appointment/{appointment.pk}/cancel/" in page
    assert 'name="start_0"' not in page


def test_a_booking_that_loses_the_race_to_the_database_says_the_time_was_taken(
    requires_postgres, desk, dana, visit
):
    """A patient books the same time between the desk's check and its insert: the
    exclusion constraint refuses the insert, and staff read why on the form."""

    def patient_books_meanwhile(**kwargs) -> bool:
        make_appointment(clinician=dana, appointment_type=visit, start=monday())
        return False

    with mock.patch("intake.booking.clashes", side_effect=patient_books_meanwhile):
        response = desk.post(ADD, booking_data(dana, visit, monday()))

    assert response.status_code == 200
    assert "That time was just taken. Please choose another time." in response.content.decode()
    assert not Appointment.objects.filter(patient_name="Phone Caller").exists()


def test_a_move_whose_email_cannot_be_queued_does_not_happen(dana, visit):
    """The move and its email are one transaction with the outbox: never half done."""
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=monday())
    new_start = monday(hour=11)
    slot = Slot(start=new_start, end=new_start, clinician_id=dana.pk, clinician_name="Dana")

    with mock.patch("intake.emails.send_email") as outbox, pytest.raises(RuntimeError):
        outbox.enqueue.side_effect = RuntimeError("queue down")
        reschedule_appointment(appointment=appointment, slot=slot, staff=StaffChange())

    appointment.refresh_from_db()
    assert (appointment.start, appointment.sequence) == (monday(), 0)


def test_the_appointments_history_says_who_moved_it(desk, dana, visit):
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=monday())
    desk.post(
        f"/admin/intake/appointment/{appointment.pk}/move/",
        {"clinician": dana.pk, **split(monday(hour=11)), "email_patient": "on"},
    )

    history = desk.get(f"/admin/intake/appointment/{appointment.pk}/history/").content.decode()

    assert "front_desk" in history
    assert "Moved: " in history and "11:00 AM with Dana Lee" in history
