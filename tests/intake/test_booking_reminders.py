"""send_reminders: one reminder about a day ahead, never twice, none for cancelled."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from intake.booking import find_slots, reschedule_appointment, send_due_reminders, send_reminder
from intake.models import Appointment, AppointmentStatus, Clinician
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type

# The email worker manages its own connections, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def appointment_at(db):
    Clinician.objects.all().delete()
    clinician = make_clinician("Dana Lee", hours=[(time(0), time(23, 59))])
    visit = make_type(name="Initial evaluation")

    def make(hours_from_now: float, *, booked_days_ago: int = 7, **fields) -> Appointment:
        start = timezone.now() + timedelta(hours=hours_from_now)
        appointment = make_appointment(
            clinician=clinician, appointment_type=visit, start=start, **fields
        )
        Appointment.objects.filter(pk=appointment.pk).update(
            created_at=timezone.now() - timedelta(days=booked_days_ago)
        )
        return appointment

    return make


def send_reminders() -> list:
    mail.outbox.clear()
    call_command("send_reminders", verbosity=0)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    return list(mail.outbox)


def test_one_reminder_goes_out_about_a_day_before_and_never_again(appointment_at):
    appointment = appointment_at(23.5)

    first = send_reminders()
    second = send_reminders()

    assert [m.to for m in first] == [[appointment.patient_email]]
    assert first[0].subject.startswith("Reminder: Initial evaluation on ")
    assert "Central Time (C" in first[0].subject
    assert "Please call (608) 218-4215" in first[0].body
    assert second == []
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None


def test_no_reminder_for_cancelled_far_off_past_or_last_minute_bookings(appointment_at):
    appointment_at(20, status=AppointmentStatus.CANCELLED)
    appointment_at(30)  # too early: its turn comes in six hours
    appointment_at(-2)  # already happened
    appointment_at(5, booked_days_ago=0)  # booked today: the confirmation was the reminder

    assert send_reminders() == []


def test_reminders_due_together_each_go_once_across_repeated_runs(appointment_at):
    due = [appointment_at(hours) for hours in (1, 12, 23)]

    sent = send_reminders() + send_reminders() + send_reminders()

    assert sorted(m.to[0] for m in sent) == sorted(a.patient_email for a in due)


def test_a_run_holding_a_stale_copy_cannot_send_a_second_reminder(appointment_at):
    """Two overlapping runs can both read the appointment as due; the conditional UPDATE
    lets only the first claim it."""
    appointment = appointment_at(10)
    stale_copy = Appointment.objects.get(pk=appointment.pk)
    now = timezone.now()

    assert send_reminder(appointment, now=now) is True
    assert send_reminder(stale_copy, now=now) is False
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 1


def test_a_moved_appointment_is_reminded_again_for_its_new_time(appointment_at, settings):
    settings.BOOKING_LATE_CANCEL_HOURS = 2
    appointment = appointment_at(20)
    assert len(send_reminders()) == 1
    slot = next(
        slot
        for slot in find_slots(
            appointment_type=appointment.appointment_type,
            start_date=timezone.localdate(),
            end_date=timezone.localdate() + timedelta(days=2),
            exclude=appointment,
        )
        if slot.start > appointment.start + timedelta(hours=1)
    )

    reschedule_appointment(appointment=appointment, slot=slot)

    reminders = [m for m in send_reminders() if m.subject.startswith("Reminder")]
    assert len(reminders) == 1


@pytest.mark.parametrize(
    ("start", "not_yet", "due", "when"),
    [
        # Clocks go back at 2:00 on 2026-11-01: 9:30 CDT the day before is 24.5 real hours
        # ahead of 9:00 CST, though only 23.5 on the wall clock.
        (
            local(2026, 11, 1, 9),
            local(2026, 10, 31, 9, 30),
            local(2026, 10, 31, 10, 30),
            "Sunday, November 1, 2026 at 9:00 AM Central Time (CST)",
        ),
        # Clocks go forward at 2:00 on 2027-03-14: 8:30 CST the day before is 23.5 real
        # hours ahead of 9:00 CDT, though 24.5 on the wall clock.
        (
            local(2027, 3, 14, 9),
            local(2027, 3, 13, 7, 30),
            local(2027, 3, 13, 8, 30),
            "Sunday, March 14, 2027 at 9:00 AM Central Time (CDT)",
        ),
    ],
)
def test_reminders_go_24_real_hours_ahead_across_a_daylight_saving_change(
    db, start, not_yet, due, when
):
    Clinician.objects.all().delete()
    appointment = make_appointment(
        clinician=make_clinician(),
        appointment_type=make_type(name="Initial evaluation"),
        start=start,
    )
    Appointment.objects.filter(pk=appointment.pk).update(created_at=start - timedelta(days=30))
    mail.outbox.clear()

    assert send_due_reminders(now=not_yet) == 0
    assert send_due_reminders(now=due) == 1
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    (reminder,) = mail.outbox
    assert reminder.subject == f"Reminder: Initial evaluation on {when}"
    assert f"When: {when}" in reminder.body


class StopRunning(BaseException):
    """Ends the `--every` loop in a test, as Ctrl-C ends `make run`."""


def test_every_keeps_sending_on_its_schedule_and_outlives_a_failed_round(
    appointment_at, monkeypatch
):
    """`make run` keeps `send_reminders --every 60` beside the email worker, so a newcomer
    sees reminders go out; a round that fails (say, SQLite busy) must not end it."""
    from django.db import OperationalError

    from intake.management.commands import send_reminders as command

    appointment = appointment_at(23.5)
    real_send = command.send_due_reminders
    rounds: list[str] = []

    def send_failing_once() -> int:
        if not rounds:
            rounds.append("failed")
            raise OperationalError("database is locked")
        rounds.append("sent")
        return real_send()

    waits: list[int] = []

    def sleep(seconds: int) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            raise StopRunning

    monkeypatch.setattr(command, "send_due_reminders", send_failing_once)
    monkeypatch.setattr(command, "sleep", sleep)
    mail.outbox.clear()

    with pytest.raises(StopRunning):
        call_command("send_reminders", every=60, verbosity=0)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert rounds == ["failed", "sent", "sent"]
    assert waits == [60, 60, 60]
    assert [m.to for m in mail.outbox] == [[appointment.patient_email]]
