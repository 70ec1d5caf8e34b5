"""Small factories for scheduling rows. Times in tests are written in clinic local time."""

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from intake.models import (
    Appointment,
    AppointmentType,
    Clinician,
    WeeklyAvailability,
)

CHICAGO = ZoneInfo("America/Chicago")
_counter = itertools.count(1)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware datetime at that wall-clock time in Madison."""
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def monday_a_week_ahead(today: date, *, weeks_ahead: int = 1) -> date:
    """The first Monday at least 7 days after `today` (then `weeks_ahead - 1` more weeks).

    "Next Monday" is tomorrow on a Sunday, inside a 24-hour notice: a test that wants a
    time any rule allows needs a whole week between today and the visit.
    """
    return today + timedelta(days=7 + (-today.weekday()) % 7 + 7 * (weeks_ahead - 1))


def make_type(**fields) -> AppointmentType:
    n = next(_counter)
    defaults = {
        "name": f"Visit {n}",
        "slug": f"visit-{n}",
        "duration_minutes": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "slot_interval_minutes": 60,
        "minimum_notice_hours": 0,
        "booking_window_days": 400,
    }
    return AppointmentType.objects.create(**{**defaults, **fields})


def make_clinician(
    name: str = "Dana Lee",
    *,
    hours: list[tuple[time, time]] | None = None,
    weekdays: range | list[int] = range(7),
    position: int = 0,
) -> Clinician:
    """A bookable clinician working `hours` (default 9:00-12:00) on `weekdays` (default all)."""
    clinician = Clinician.objects.create(name=name, credentials="DPT", position=position)
    for weekday in weekdays:
        for start, end in hours or [(time(9), time(12))]:
            WeeklyAvailability.objects.create(
                clinician=clinician, weekday=weekday, start=start, end=end
            )
    return clinician


def make_appointment(
    *, clinician: Clinician, appointment_type: AppointmentType, start: datetime, **fields
) -> Appointment:
    """An appointment saved directly, bypassing the booking checks (as history or a rival)."""
    n = next(_counter)
    defaults = {
        "patient_name": f"Patient {n}",
        "patient_email": f"patient{n}@example.com",
        "patient_phone": "+16085550100",
    }
    appointment = Appointment(
        clinician=clinician, appointment_type=appointment_type, **{**defaults, **fields}
    )
    appointment.set_times(start, appointment_type)
    appointment.issue_manage_token()
    appointment.save()
    return appointment


def local_starts(slots) -> list[str]:
    """Slots as 'YYYY-MM-DD HH:MM' local strings: easy to read in assertions."""
    return [f"{slot.start.astimezone(CHICAGO):%Y-%m-%d %H:%M}" for slot in slots]
