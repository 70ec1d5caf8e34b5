"""Repeating visits: a course of care ("twice a week for six weeks") planned, booked and
cancelled in one action each.

Planning reads, booking writes. Every visit is booked through
`intake.booking.book_appointment` in its own transaction, so a visit taken while staff
looked at the preview costs that one visit, never the whole course, and the database's
overlap constraint holds for a series exactly as for a single booking. "Book once" is a
unique key: the series row carries the preview's key, each visit a key derived from it
and its date, so a reloaded or double-clicked confirm finds what the first one booked.

Times are asked in clinic wall-clock time: 9:00 on every chosen day stays 9:00 local
across a daylight-saving change (the UTC time moves instead).
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake import emails, times
from intake.booking import (
    NeedsConfirmation,
    Patient,
    Slot,
    SlotTaken,
    StaffChange,
    book_appointment,
    booked_with_key,
    cancel_appointment,
    clashes,
    find_slots,
    schedule_problems,
)
from intake.models import (
    Appointment,
    AppointmentSeries,
    AppointmentType,
    CancelledBy,
    Clinician,
)

# Longest course staff may book in one go: half a year of weekly visits.
MAX_WEEKS = 26
# Free times offered instead of a clashing one, from the same day.
ALTERNATIVES_PER_DAY = 3


@dataclass(frozen=True)
class SeriesRequest:
    """What staff asked for: the visit, clinician, patient, and which days at what time."""

    clinician: Clinician
    appointment_type: AppointmentType
    patient: Patient
    first_day: date
    weekdays: tuple[int, ...]
    at: time
    weeks: int

    def starts(self) -> list[datetime]:
        """Every asked start as an aware clinic-local time, in order: the chosen weekdays
        of `weeks` weeks from `first_day`, each at the same wall-clock time."""
        tz = times.clinic_zone()
        days = (self.first_day + timedelta(days=offset) for offset in range(7 * self.weeks))
        return [
            datetime.combine(day, self.at, tz) for day in days if day.weekday() in self.weekdays
        ]


@dataclass(frozen=True)
class PlannedVisit:
    """One asked date in the preview: free, or why not, with free times that day instead."""

    asked: datetime
    slot: Slot
    clash: str = ""
    problems: tuple[str, ...] = ()
    # Nearest first: the same clinician, then the closest in time.
    alternatives: tuple[Slot, ...] = ()

    @property
    def free(self) -> bool:
        return not self.clash and not self.problems


@dataclass(frozen=True)
class ChosenVisit:
    """A visit staff confirmed: its time, and the rule-breaks they confirmed for it."""

    asked: datetime
    slot: Slot
    confirmed: frozenset[str] = frozenset()


@dataclass
class BookedSeries:
    """What a confirm did: the series, the visits it holds, and the dates it could not book
    (each with the reason), e.g. a time someone else took after the preview."""

    series: AppointmentSeries
    booked: list[Appointment] = field(default_factory=list)
    refused: list[tuple[datetime, str]] = field(default_factory=list)


def plan_series(*, request: SeriesRequest, now: datetime | None = None) -> list[PlannedVisit]:
    """Each asked date as free or clashing, with the nearest free times that day (the same
    clinician first). Free dates cost nothing beyond one `find_slots` over the whole span;
    only a date that is not free is asked why (a few queries each)."""
    now = now or timezone.now()
    starts = request.starts()
    if not starts:
        return []
    appointment_type, clinician = request.appointment_type, request.clinician
    free = find_slots(
        appointment_type=appointment_type,
        start_date=starts[0].date(),
        end_date=starts[-1].date(),
        now=now,
    )
    free_with_clinician = {slot.start for slot in free if slot.clinician_id == clinician.pk}
    by_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in free:
        by_day[slot.local_start.date()].append(slot)
    planned = []
    for start in starts:
        slot = Slot(
            start=start,
            end=start + appointment_type.duration,
            clinician_id=clinician.pk,
            clinician_name=str(clinician),
        )
        if start in free_with_clinician:
            planned.append(PlannedVisit(asked=start, slot=slot))
            continue
        clash = ""
        if clashes(clinician=clinician, appointment_type=appointment_type, start=start):
            clash = f"{clinician.name} already has an appointment then"
        problems = schedule_problems(
            clinician=clinician, appointment_type=appointment_type, start=start, now=now
        )
        nearest = sorted(
            by_day[start.date()],
            key=lambda other: (
                other.clinician_id != clinician.pk,
                abs((other.start - start).total_seconds()),
            ),
        )[:ALTERNATIVES_PER_DAY]
        planned.append(
            PlannedVisit(
                asked=start,
                slot=slot,
                clash=clash,
                problems=tuple(problems),
                alternatives=tuple(nearest),
            )
        )
    return planned


def visit_key(series_key: uuid.UUID, asked: datetime) -> uuid.UUID:
    """The booking key of the series' visit asked for on that date: the same on every
    confirm of one preview, so a second confirm finds the visit instead of booking it."""
    return uuid.uuid5(series_key, times.local(asked).date().isoformat())


def book_series(
    *,
    key: uuid.UUID,
    request: SeriesRequest,
    visits: list[ChosenVisit],
    booked_by: User | None = None,
    email_patient: bool = True,
    now: datetime | None = None,
) -> BookedSeries:
    """Record the series and book each chosen visit, one transaction per visit, then queue
    one email listing every visit with one calendar file holding them all.

    A key already confirmed returns that series and books nothing more (Reload, Back then
    confirm again, a double click). A visit refused (taken meanwhile, or a rule broken that
    staff did not confirm) is reported in `refused`; the others stand.
    """
    now = now or timezone.now()
    existing = AppointmentSeries.objects.filter(key=key).first()
    if existing is not None and existing.completed_at is not None:
        return BookedSeries(series=existing, booked=list(existing.appointments.active()))
    series = existing or _record_series(key=key, request=request, booked_by=booked_by)
    result = BookedSeries(series=series)
    for visit in visits:
        booking_key = visit_key(key, visit.asked)
        if (appointment := booked_with_key(str(booking_key))) is not None:
            result.booked.append(appointment)
            continue
        try:
            appointment = book_appointment(
                slot=visit.slot,
                appointment_type=request.appointment_type,
                patient=request.patient,
                staff=StaffChange(email_patient=False, confirmed=visit.confirmed),
                booking_key=booking_key,
                series=series,
                now=now,
            )
        except (SlotTaken, NeedsConfirmation, IntegrityError) as error:
            # A racing confirm of this same preview may have booked this visit.
            if (appointment := booked_with_key(str(booking_key))) is not None:
                result.booked.append(appointment)
            else:
                result.refused.append((visit.asked, str(error)))
            continue
        result.booked.append(appointment)
    result.booked.sort(key=lambda appointment: appointment.start)
    with transaction.atomic():
        # One email per series, whichever confirm gets here first.
        claimed = AppointmentSeries.objects.filter(pk=series.pk, completed_at__isnull=True).update(
            completed_at=now
        )
        if claimed and email_patient and result.booked:
            emails.queue_series_booked(series, result.booked, now=now)
    series.refresh_from_db()
    return result


def _record_series(
    *, key: uuid.UUID, request: SeriesRequest, booked_by: User | None
) -> AppointmentSeries:
    try:
        with transaction.atomic():
            return AppointmentSeries.objects.create(
                key=key,
                clinician=request.clinician,
                appointment_type=request.appointment_type,
                weekdays=",".join(str(day) for day in sorted(request.weekdays)),
                local_time=request.at,
                first_day=request.first_day,
                weeks=request.weeks,
                patient_name=request.patient.name,
                patient_email=request.patient.email,
                patient_phone=request.patient.phone,
                booked_by=booked_by,
            )
    except IntegrityError:
        # A racing confirm of the same preview recorded it first.
        return AppointmentSeries.objects.get(key=key)


def cancel_rest_of_series(
    *,
    series: AppointmentSeries,
    from_start: datetime,
    reason: str,
    email_patient: bool = True,
    now: datetime | None = None,
) -> list[Appointment]:
    """Cancel every booked visit of the series from `from_start` on (never one already
    begun), all or nothing, and queue one email listing them with one calendar file that
    removes them all. Returns the visits cancelled: none when pressed twice."""
    now = now or timezone.now()
    with transaction.atomic():
        rest = Appointment.objects.rest_of_series(series, max(from_start, now)).select_related(
            "appointment_type", "clinician", "lead"
        )
        cancelled = [
            appointment
            for appointment in rest.select_for_update(of=("self",))
            if cancel_appointment(
                appointment=appointment,
                reason=reason,
                cancelled_by=CancelledBy.STAFF,
                now=now,
                email_patient=False,
            ).cancelled_at
            == now
        ]
        if cancelled and email_patient:
            emails.queue_series_cancelled(series, cancelled)
    return cancelled
