"""What booking emails say: the right local time with its zone, a calendar file that
parses, the private link, and no health details."""

from datetime import UTC, datetime, time

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command

from intake import selfcheck
from intake.booking import Patient, book_appointment, cancel_appointment, find_slots
from intake.models import CancelledBy, Clinician, TriageOutcome
from tests.intake.booking_factories import CHICAGO, local, make_clinician, make_type

# The email worker manages its own connections, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = "Sharp pain under my kneecap since the marathon"
ANSWER = "Yes, it wakes me at night"


@pytest.fixture
def booked(db, settings):
    """A January booking (CST) with a message and self-check answers, emails delivered."""
    settings.SITE_URL = "https://peak.example"
    settings.CLINIC_NOTIFY_EMAIL = "desk@peak.example"
    Clinician.objects.all().delete()
    make_clinician("Dana Lee", hours=[(time(9), time(12))])
    visit = make_type(name="Initial evaluation", duration_minutes=60)
    slot = find_slots(
        appointment_type=visit,
        start_date=local(2030, 1, 15).date(),
        end_date=local(2030, 1, 15).date(),
        now=local(2030, 1, 1),
    )[0]
    appointment = book_appointment(
        slot=slot,
        appointment_type=visit,
        patient=Patient(
            name="Pat Runner", email="pat@example.com", phone="+16085550123", message=MESSAGE
        ),
        handoff=selfcheck.SelfCheckHandoff(
            questionnaire="knee",
            outcome=TriageOutcome.SEE_DOCTOR,
            rule="night-pain",
            answers=[{"question": "Night pain?", "answer": ANSWER}],
        ),
        now=local(2030, 1, 1),
    )
    run_queued_emails()
    return appointment


def run_queued_emails() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def email_to(address: str) -> mail.EmailMessage:
    (message,) = [m for m in mail.outbox if address in m.to]
    return message


def calendar_in(message) -> icalendar.Calendar:
    (attachment,) = message.attachments
    assert attachment.filename == "appointment.ics"
    assert attachment.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(attachment.content)


def test_confirmation_gives_local_time_with_zone_and_the_private_link(booked):
    message = email_to("pat@example.com")

    assert message.subject == (
        "Booked: Initial evaluation on Tuesday, January 15, 2030 at 9:00 AM Central Time (CST)"
    )
    assert "When: Tuesday, January 15, 2030 at 9:00 AM Central Time (CST)" in message.body
    assert f"https://peak.example/book/manage/{booked.manage_token}/" in message.body
    assert "(608) 218-4215" in message.body


def test_confirmation_calendar_file_parses_back_to_the_booked_time(booked):
    calendar = calendar_in(email_to("pat@example.com"))
    (event,) = calendar.walk("VEVENT")

    assert calendar["METHOD"] == "PUBLISH"
    assert event.start == booked.start
    assert event.start.astimezone(UTC) == datetime(2030, 1, 15, 15, tzinfo=UTC)
    assert event.end - event.start == booked.end - booked.start
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    assert str(event["UID"]).startswith(f"appointment-{booked.pk}@")
    assert booked.manage_token in str(event["DESCRIPTION"])


def test_summer_times_are_labelled_daylight_time(db):
    Clinician.objects.all().delete()
    make_clinician(hours=[(time(9), time(10))])
    visit = make_type(name="Follow-up visit", duration_minutes=45)
    slot = find_slots(
        appointment_type=visit,
        start_date=local(2030, 7, 16).date(),
        end_date=local(2030, 7, 16).date(),
        now=local(2030, 7, 1),
    )[0]
    book_appointment(
        slot=slot,
        appointment_type=visit,
        patient=Patient(name="Pat", email="pat@example.com", phone="+16085550123"),
        now=local(2030, 7, 1),
    )
    run_queued_emails()

    message = email_to("pat@example.com")
    assert "Tuesday, July 16, 2030 at 9:00 AM Central Time (CDT)" in message.body
    (event,) = calendar_in(message).walk("VEVENT")
    assert event.start.astimezone(CHICAGO).hour == 9
    assert event.start.astimezone(UTC).hour == 14


def test_no_email_carries_health_details(booked):
    for message in mail.outbox:
        text = message.subject + message.body + "".join(str(a.content) for a in message.attachments)
        assert MESSAGE not in text
        assert ANSWER not in text
        assert "see_doctor" not in text.lower()
        assert "See a doctor" not in text


def test_staff_notice_has_time_and_admin_link_but_not_who_or_why(booked):
    message = email_to("desk@peak.example")

    assert message.subject.startswith("New booking: Initial evaluation on Tuesday, January 15")
    assert "With: Dana Lee, DPT" in message.body
    assert f"https://peak.example/admin/intake/appointment/{booked.pk}/change/" in message.body
    for private in ("Pat Runner", "pat@example.com", "555-0123", booked.manage_token):
        assert private not in message.body
    assert message.attachments == []


def test_cancellation_emails_remove_the_event_and_tell_staff(booked):
    mail.outbox.clear()

    cancel_appointment(
        appointment=booked,
        reason="My knee is worse",
        cancelled_by=CancelledBy.PATIENT,
        now=local(2030, 1, 2),
    )
    run_queued_emails()

    patient = email_to("pat@example.com")
    assert patient.subject.startswith("Cancelled: Initial evaluation on Tuesday, January 15")
    calendar = calendar_in(patient)
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert str(event["UID"]).startswith(f"appointment-{booked.pk}@")
    staff = email_to("desk@peak.example")
    assert "cancelled by the patient" in staff.body
    assert "My knee is worse" not in staff.body + patient.body
