"""Recording how a visit went: arrived, completed or no-show, from one click.

The status change is one conditional UPDATE, so a double click (or two people
clicking at once) changes it and moves the lead once. A cancelled appointment
has freed its time and stays cancelled. Only what `Appointment.attendance_choices`
allows at that moment is recorded: nothing before the visit (Arrived from 30 minutes
before), and no Arrived for a phone consult.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from intake.leads import AppointmentEvent, lead_after_appointment
from intake.models import Appointment, AppointmentStatus

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


def record_attendance(
    *, appointment: Appointment, status: AppointmentStatus, now: datetime | None = None
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
    with transaction.atomic():
        changed = Appointment.objects.filter(
            pk=appointment.pk, status__in=MAY_FOLLOW[status]
        ).update(status=status, updated_at=now)
        if not changed:
            return False
        appointment.status = status
        if status in LEAD_EVENTS and (lead := appointment.lead) is not None:
            lead_after_appointment(
                lead=lead, event=LEAD_EVENTS[status], appointment=appointment, now=now
            )
    return True
