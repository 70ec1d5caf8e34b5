"""Waitlist rows for tests, on a pinned clock: the clinic's Monday 2030-01-07 is the
freed day, and "now" is the Monday before at 10:00 unless a test says otherwise."""

import itertools
from datetime import date, datetime

from intake.booking import Patient
from intake.models import AppointmentType, Clinician, WaitlistEntry
from intake.waitlist import WaitlistChoice, join_waitlist
from tests.intake.booking_factories import local

_counter = itertools.count(1)

FREED_DAY = date(2030, 1, 7)  # a Monday
NOW = local(2029, 12, 31, 10)  # the Monday before, 10:00


def freed_at(hour: int, minute: int = 0) -> datetime:
    return local(FREED_DAY.year, FREED_DAY.month, FREED_DAY.day, hour, minute)


def join(
    appointment_type: AppointmentType,
    *,
    clinician: Clinician | None = None,
    weekdays: list[int] | None = None,
    parts_of_day: list[str] | None = None,
    from_date: date = date(2029, 12, 31),
    until_date: date = date(2030, 2, 28),
    email: str | None = None,
    now: datetime = NOW,
    **fields,
) -> WaitlistEntry:
    n = next(_counter)
    entry = join_waitlist(
        choice=WaitlistChoice(
            appointment_type=appointment_type,
            clinician=clinician,
            weekdays=weekdays or [],
            parts_of_day=parts_of_day or [],
            from_date=from_date,
            until_date=until_date,
        ),
        patient=Patient(
            name=f"Waiting {n}", email=email or f"waiting{n}@example.com", phone="+16085550111"
        ),
        now=now,
        **fields,
    )
    return entry
