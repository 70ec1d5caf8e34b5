"""Recording how a visit went: arrived, completed or no-show, from one click.

The status change is one conditional UPDATE, so a double click (or two people
clicking at once) changes it and moves the lead once. A cancelled appointment
has freed its time and stays cancelled.
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
# What each outcome tells the lead; arriving tells it nothing yet.
LEAD_EVENTS = {
    AppointmentStatus.COMPLETED: AppointmentEvent.COMPLETED,
    AppointmentStatus.NO_SHOW: AppointmentEvent.NO_SHOW,
}


def record_attendance(
    *, appointment: Appointment, status: AppointmentStatus, now: datetime | None = None
) -> bool:
    """Set the appointment's status to arrived, completed or no-show and move its lead on.

    Returns False, changing nothing, when it is cancelled or already has that status.
    """
    if status not in ATTENDANCE_STATUSES:
        raise ValueError(f"{status!r} is not an attendance status")
    now = now or timezone.now()
    with transaction.atomic():
        changed = (
            Appointment.objects.filter(pk=appointment.pk)
            .exclude(status__in=[AppointmentStatus.CANCELLED, status])
            .update(status=status, updated_at=now)
        )
        if not changed:
            return False
        appointment.status = status
        if status in LEAD_EVENTS and (lead := appointment.lead) is not None:
            lead_after_appointment(
                lead=lead, event=LEAD_EVENTS[status], appointment=appointment, now=now
            )
    return True
