"""Calendar files (.ics) for appointment emails, so patients can add the visit in one tap."""

from datetime import UTC

import icalendar
from django.conf import settings
from django.utils import timezone

from intake.models import Appointment
from intake.models.booking import clinic_tz
from intake.phone import display_phone


def appointment_ics(
    appointment: Appointment, *, manage_url: str | None = None, cancelled: bool = False
) -> bytes:
    """An iCalendar file for the appointment; the same UID on every update (the SEQUENCE
    grows with each reschedule) so calendar apps move or remove the one event.

    Times carry TZID=America/Chicago with its VTIMEZONE, so the event shows at the
    right local time whatever zone the patient's calendar is in.
    """
    clinic = settings.CLINIC
    appointment_type = appointment.appointment_type
    if appointment_type.is_phone:
        location = f"Phone call: we call you at {display_phone(appointment.patient_phone)}"
    else:
        location = f"{clinic['name']}, {clinic['city']}, {clinic['region']}"
    lines = [
        f"{appointment_type.name} with {appointment.clinician}.",
        f"To change it, call {clinic['phone_display']}.",
    ]
    if manage_url:
        lines.append(f"Cancel or reschedule online: {manage_url}")
    tz = clinic_tz()
    event = icalendar.Event.new(
        uid=f"appointment-{appointment.pk}@{settings.SITE_URL.split('://', 1)[-1]}",
        summary=f"{appointment_type.name}: {clinic['short_name']}",
        start=appointment.start.astimezone(tz),
        end=appointment.end.astimezone(tz),
        stamp=timezone.now().astimezone(UTC),
        sequence=appointment.sequence + (1 if cancelled else 0),
        location=location,
        description="\n".join(lines),
        status="CANCELLED" if cancelled else "CONFIRMED",
        url=manage_url,
    )
    calendar = icalendar.Calendar.new(
        prodid=f"-//{clinic['short_name']}//Online booking//EN",
        method="CANCEL" if cancelled else "PUBLISH",
        subcomponents=[event],
    )
    calendar.add_missing_timezones()
    return calendar.to_ical()
