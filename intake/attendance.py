"""Recording how a visit went: arrived, completed or no-show, from one click; undoing a
click the same day; a clinician's later correction with a reason.

Each status change is one conditional UPDATE, so a double click (or two people
clicking at once) changes it and moves the lead once. A cancelled appointment
has freed its time and stays cancelled. Only what `Appointment.attendance_choices`
allows at that moment is recorded: nothing before the visit (Arrived from 30 minutes
before), and no Arrived for a phone consult. Every change is written down as an
AttendanceChange (who, when, from, to, why), and the lead follows the visit's state
after each: a no-show undone or corrected to completed no longer asks for a call.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from intake import times
from intake.leads import AppointmentEvent, lead_after_appointment
from intake.models import (
    Appointment,
    AppointmentStatus,
    AttendanceChange,
    AttendanceChangeKind,
)

ATTENDANCE_STATUSES = (
    AppointmentStatus.ARRIVED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)
# The statuses each one may follow: a finished visit is changed only by a correction.
MAY_FOLLOW = {
    AppointmentStatus.ARRIVED: [AppointmentStatus.BOOKED],
    AppointmentStatus.COMPLETED: [AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED],
    AppointmentStatus.NO_SHOW: [AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED],
}
# What each outcome tells the lead; arriving tells it nothing yet.
LEAD_EVENTS = {
    AppointmentStatus.COMPLETED: AppointmentEvent.COMPLETED,
    AppointmentStatus.NO_SHOW: AppointmentEvent.NO_SHOW,
}
# What a clinician may correct a past visit to.
CORRECTIONS = (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW)


def record_attendance(
    *,
    appointment: Appointment,
    status: AppointmentStatus,
    now: datetime | None = None,
    by: User | None = None,
) -> bool:
    """Set the appointment's status to arrived, completed or no-show and move its lead on.

    Returns False, changing nothing, when it is cancelled, already has that status or
    `status` is not one of its `attendance_choices(now)` (too early, a phone consult's
    arrival).
    """
    if status not in ATTENDANCE_STATUSES:
        raise ValueError(f"{status!r} is not an attendance status")
    now = now or timezone.now()
    if status not in appointment.attendance_choices(now):
        return False
    return _change(
        appointment=appointment,
        frm=MAY_FOLLOW[status],
        to=status,
        kind=AttendanceChangeKind.CLICK,
        by=by,
        now=now,
    )


def last_click_to_undo(appointment: Appointment, now: datetime) -> AttendanceChange | None:
    """The click that made the visit's current status, while it may still be undone: on
    the visit's own day (later, a clinician corrects it with a reason)."""
    if times.local(now).date() != times.local(appointment.start).date():
        return None
    # Sorted here, not by the database: schedules prefetch the changes of every row.
    changes = sorted(appointment.attendance_changes.all(), key=lambda c: (c.created_at, c.pk))
    last = changes[-1] if changes else None
    if last is None or last.kind != AttendanceChangeKind.CLICK:
        return None
    return last if last.to_status == appointment.status else None


def undo_attendance(*, appointment: Appointment, by: User, now: datetime | None = None) -> bool:
    """Put back the status from before the last click (Completed back to Arrived, say);
    False when there is nothing to undo today."""
    now = now or timezone.now()
    click = last_click_to_undo(appointment, now)
    if click is None:
        return False
    return _change(
        appointment=appointment,
        frm=[AppointmentStatus(click.to_status)],
        to=AppointmentStatus(click.from_status),
        kind=AttendanceChangeKind.UNDO,
        by=by,
        now=now,
    )


def correct_attendance(
    *,
    appointment: Appointment,
    status: AppointmentStatus,
    reason: str,
    by: User,
    now: datetime | None = None,
) -> bool:
    """A clinician's later correction of a visit that has begun: completed or no-show,
    with the reason written down. False when it already has that status, was cancelled or
    has not begun."""
    if status not in CORRECTIONS:
        raise ValueError(f"{status!r} is not a correction")
    if not reason.strip():
        raise ValueError("A correction needs a reason")
    now = now or timezone.now()
    if now < appointment.start:
        return False
    return _change(
        appointment=appointment,
        frm=[s for s in (AppointmentStatus.BOOKED, *ATTENDANCE_STATUSES) if s != status],
        to=status,
        kind=AttendanceChangeKind.CORRECTION,
        by=by,
        now=now,
        reason=reason.strip(),
    )


def _change(
    *,
    appointment: Appointment,
    frm: list[AppointmentStatus],
    to: AppointmentStatus,
    kind: AttendanceChangeKind,
    by: User | None,
    now: datetime,
    reason: str = "",
) -> bool:
    with transaction.atomic():
        before = (
            Appointment.objects.select_for_update()
            .filter(pk=appointment.pk, status__in=frm)
            .values_list("status", flat=True)
            .first()
        )
        if before is None:
            return False
        Appointment.objects.filter(pk=appointment.pk).update(status=to, updated_at=now)
        AttendanceChange.objects.create(
            appointment=appointment,
            changed_by=by,
            from_status=before,
            to_status=to,
            kind=kind,
            reason=reason,
            created_at=now,
        )
        appointment.status = to
        if (lead := appointment.lead) is not None:
            if before in LEAD_EVENTS:
                lead_after_appointment(
                    lead=lead, event=AppointmentEvent.REOPENED, appointment=appointment, now=now
                )
            if to in LEAD_EVENTS:
                lead_after_appointment(
                    lead=lead, event=LEAD_EVENTS[to], appointment=appointment, now=now
                )
    return True
