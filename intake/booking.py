"""Online booking: finding free times, and booking, moving or cancelling an appointment.

No time is ever booked twice. On PostgreSQL an exclusion constraint refuses an
active appointment whose blocked range (buffers included) overlaps another of
the same clinician, whatever the code above it does; losing that race raises
SlotTaken. On SQLite every write transaction is BEGIN IMMEDIATE (see settings),
so bookings queue one behind another and the overlap check inside the
transaction sees every earlier booking.
"""

import re
import uuid
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake import emails, selfcheck, times
from intake.booking_limits import OverLimit, limit_reached
from intake.clinic_details import clinic_details
from intake.leads import AppointmentEvent, lead_after_appointment, record_booking_lead
from intake.models import (
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    AppointmentType,
    CancelledBy,
    ClinicClosure,
    Clinician,
    Lead,
    PreVisitKind,
    TimeOff,
)
from intake.models.booking import NO_OVERLAP_CONSTRAINT
from intake.phone import display_phone
from intake.previsit import first_visit_form_to_finish, follow_up_check_in, open_previsit


class SlotTaken(Exception):
    """The time is no longer free (someone else booked it, or it fell out of the hours)."""

    def __init__(self, message: str = "That time was just taken.") -> None:
        super().__init__(message)


class TooLateToChange(Exception):
    """Inside the late-cancel window: the patient must phone the clinic."""


@dataclass(frozen=True)
class Slot:
    """A free start time with one clinician. Times are aware datetimes in UTC."""

    start: datetime
    end: datetime
    clinician_id: int
    clinician_name: str

    @property
    def local_start(self) -> datetime:
        return times.local(self.start)

    @property
    def value(self) -> str:
        """How a form carries the slot: clinician id and UTC start, nothing personal."""
        return f"{self.clinician_id}|{self.start:%Y%m%dT%H%MZ}"


@dataclass(frozen=True)
class Patient:
    name: str
    email: str
    phone: str
    message: str = ""

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)


# What a form may carry: "any" or a clinician id, then a UTC start. [0-9], not \d or
# str.isdigit(): those accept "²" or "١", which int() and strptime then refuse or misread.
_SLOT_VALUE = re.compile(r"(any|[0-9]{1,18})\|([0-9]{8}T[0-9]{4})Z")
_DAY_VALUE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# No one books centuries ahead or back; keeping dates far inside datetime's own range
# (years 1-9999) means the days and weeks added around them can never overflow.
BOOKABLE_YEARS = range(2000, 3000)
# Longer hours are offered to the waitlist this far ahead at most (each visit type's own
# booking window then cuts it shorter).
BOOKABLE_AHEAD_DAYS = 366


def parse_slot_value(value: str) -> tuple[int | None, datetime] | None:
    """(clinician id or None for "any clinician", UTC start) from a form value, or None
    for anything else, whatever text arrives."""
    match = _SLOT_VALUE.fullmatch(value or "")
    if match is None:
        return None
    clinician_part, start_part = match.groups()
    try:
        start = datetime.strptime(start_part, "%Y%m%dT%H%M").replace(tzinfo=UTC)
    except ValueError:  # a 13th month, a 25th hour
        return None
    if start.year not in BOOKABLE_YEARS:
        return None
    return (None if clinician_part == "any" else int(clinician_part)), start


def parse_day(value: str | None) -> date | None:
    """A YYYY-MM-DD date in the bookable years from a URL or form value, or None."""
    if not value or not _DAY_VALUE.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return None
    return day if day.year in BOOKABLE_YEARS else None


def any_clinician_value(start: datetime) -> str:
    return f"any|{start.astimezone(UTC):%Y%m%dT%H%MZ}"


def find_slots(
    *,
    appointment_type: AppointmentType,
    start_date: date,
    end_date: date,
    clinician: Clinician | None = None,
    now: datetime | None = None,
    exclude: Appointment | None = None,
) -> list[Slot]:
    """Free start times for `appointment_type` on local dates start_date..end_date.

    Honours each clinician's weekly hours (local wall-clock time, so DST changes
    move the UTC times, not the local ones) inside the clinic's opening hours,
    clinic closures, time off, other active appointments with both types'
    buffers, the type's minimum notice and booking window. `exclude` is an
    appointment being moved: its own time counts as free. Five queries whatever
    the range; only appointments overlapping the range are read, so a long
    history costs nothing.
    """
    tz = times.clinic_zone()
    # In UTC, so the minimum notice counts real hours across a clock change.
    now = (now or timezone.now()).astimezone(UTC)
    earliest = now + timedelta(hours=appointment_type.minimum_notice_hours)
    start_date = max(start_date, earliest.astimezone(tz).date())
    end_date = min(
        end_date, now.astimezone(tz).date() + timedelta(days=appointment_type.booking_window_days)
    )
    if start_date > end_date:
        return []

    bookable = Clinician.objects.bookable().prefetch_related("availability")
    if clinician is not None:
        bookable = bookable.filter(pk=clinician.pk)
    clinicians = list(bookable)
    if not clinicians:
        return []

    range_start = datetime.combine(start_date, datetime.min.time(), tz)
    range_end = datetime.combine(end_date + timedelta(days=1), datetime.min.time(), tz)
    busy = _busy_intervals(
        appointment_type, [c.pk for c in clinicians], range_start, range_end, exclude
    )

    duration = appointment_type.duration_minutes * 60
    step = appointment_type.slot_interval_minutes * 60
    earliest_ts = int(earliest.timestamp())
    slots: list[Slot] = []
    for clinician_row in clinicians:
        clinician_id, clinician_name = clinician_row.pk, str(clinician_row)
        starts, ends = busy.get(clinician_id, ([], []))
        hours_by_weekday = defaultdict(list)
        for hours in clinician_row.availability.all():
            hours_by_weekday[hours.weekday].extend(
                within_clinic_hours(hours.weekday, hours.start, hours.end)
            )
        seen: set[int] = set()
        day = start_date
        while day <= end_date:
            for opens, closes in hours_by_weekday.get(day.weekday(), ()):
                # Wall-clock times on that date, so 9:00 is 9:00 CST in winter, CDT in summer.
                first = int(datetime.combine(day, opens, tz).timestamp())
                last = int(datetime.combine(day, closes, tz).timestamp()) - duration
                if first < earliest_ts:
                    # Skip to the first start on the grid that gives enough notice.
                    first += -(-(earliest_ts - first) // step) * step
                for start in range(first, last + 1, step):
                    if start in seen:
                        continue
                    # Busy intervals are merged and sorted, so their ends are sorted too:
                    # the first one ending after this start is the only one that can clash.
                    index = bisect_right(ends, start)
                    if index < len(starts) and starts[index] < start + duration:
                        continue
                    seen.add(start)
                    slots.append(
                        Slot(
                            start=datetime.fromtimestamp(start, UTC),
                            end=datetime.fromtimestamp(start + duration, UTC),
                            clinician_id=clinician_id,
                            clinician_name=clinician_name,
                        )
                    )
            day += timedelta(days=1)
    order = {c.pk: position for position, c in enumerate(clinicians)}
    slots.sort(key=lambda slot: (slot.start, order[slot.clinician_id]))
    return slots


def within_clinic_hours(weekday: int, start: time, end: time) -> list[tuple[time, time]]:
    """The parts of a clinician's hours [start, end) on `weekday` that fall inside the
    clinic's opening hours: nobody is offered a time the contact page says is closed.
    Until staff enter opening hours (none at all) the clinician's hours stand alone."""
    opening = clinic_details().hours
    if not opening:
        return [(start, end)]
    parts = []
    for day, _, opens, closes in opening:
        begin, finish = max(start, time.fromisoformat(opens)), min(end, time.fromisoformat(closes))
        if day == weekday and begin < finish:
            parts.append((begin, finish))
    return parts


def _busy_intervals(
    appointment_type: AppointmentType,
    clinician_ids: list[int],
    range_start: datetime,
    range_end: datetime,
    exclude: Appointment | None,
) -> dict[int, tuple[list[int], list[int]]]:
    """Per clinician, the times a new appointment may not occupy, as merged sorted
    (starts, ends) epoch seconds.

    A new appointment [s, e) clashes with an existing blocked range [x, y) when its
    own blocked range [s - before, e + after) overlaps it, that is when [s, e)
    overlaps [x - after, y + before): that is the interval stored here.
    """
    before = appointment_type.buffer_before
    after = appointment_type.buffer_after
    raw: dict[int, list[tuple[int, int]]] = defaultdict(list)
    appointments = Appointment.objects.blocking(range_start - after, range_end + before).filter(
        clinician_id__in=clinician_ids
    )
    if exclude is not None:
        appointments = appointments.exclude(pk=exclude.pk)
    for clinician_id, blocked_start, blocked_end in appointments.values_list(
        "clinician_id", "blocked_start", "blocked_end"
    ):
        raw[clinician_id].append(
            (int((blocked_start - after).timestamp()), int((blocked_end + before).timestamp()))
        )
    time_off = TimeOff.objects.filter(
        clinician_id__in=clinician_ids, start__lt=range_end, end__gt=range_start
    ).values_list("clinician_id", "start", "end")
    for clinician_id, off_start, off_end in time_off:
        raw[clinician_id].append((int(off_start.timestamp()), int(off_end.timestamp())))
    # A closure is time off for everyone.
    for closure in ClinicClosure.objects.overlapping(range_start, range_end):
        for clinician_id in clinician_ids:
            raw[clinician_id].append((int(closure.start.timestamp()), int(closure.end.timestamp())))

    merged: dict[int, tuple[list[int], list[int]]] = {}
    for clinician_id, intervals in raw.items():
        starts: list[int] = []
        ends: list[int] = []
        for start, end in sorted(intervals):
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        merged[clinician_id] = (starts, ends)
    return merged


def slots_at(
    *,
    appointment_type: AppointmentType,
    start: datetime,
    clinician: Clinician | None = None,
    now: datetime | None = None,
    exclude: Appointment | None = None,
) -> list[Slot]:
    """The free slots starting exactly at `start` (one per free clinician, best first)."""
    day = times.local(start).date()
    return [
        slot
        for slot in find_slots(
            appointment_type=appointment_type,
            start_date=day,
            end_date=day,
            clinician=clinician,
            now=now,
            exclude=exclude,
        )
        if slot.start == start
    ]


def resolve_slot(
    *,
    appointment_type: AppointmentType,
    value: str,
    exclude: Appointment | None = None,
) -> Slot | None:
    """The free Slot a form value names ("<clinician id>|start" or "any|start"), or None.

    For "any", the first free clinician at that time (in the clinic's listed order).
    """
    parsed = parse_slot_value(value)
    if parsed is None:
        return None
    clinician_id, start = parsed
    clinician = None
    if clinician_id is not None:
        clinician = Clinician.objects.bookable().filter(pk=clinician_id).first()
        if clinician is None:
            return None
    free = slots_at(
        appointment_type=appointment_type,
        start=start,
        clinician=clinician,
        exclude=exclude,
    )
    return free[0] if free else None


def nearest_slots(
    *,
    appointment_type: AppointmentType,
    around: datetime,
    now: datetime | None = None,
    exclude: Appointment | None = None,
    limit: int = 6,
) -> list[Slot]:
    """The free times closest to `around`, any clinician: what to offer after losing a race."""
    day = times.local(around).date()
    slots = find_slots(
        appointment_type=appointment_type,
        start_date=day - timedelta(days=3),
        end_date=day + timedelta(days=10),
        now=now,
        exclude=exclude,
    )
    closest = sorted(slots, key=lambda slot: abs((slot.start - around).total_seconds()))[:limit]
    return sorted(closest, key=lambda slot: slot.start)


# The hours the scheduler's "outside the usual rules" switch searches each day: wide
# enough for an early or late exception, never the middle of the night.
STAFF_DAY = (time(6), time(21))


@dataclass(frozen=True)
class StaffTime:
    """A time the staff scheduler offers: `usual` when a patient could book it online;
    otherwise it breaks a rule (notice, hours, window) and booking it asks staff to
    confirm each one by name."""

    slot: Slot
    usual: bool


def staff_times(
    *,
    appointment_type: AppointmentType,
    first_day: date,
    last_day: date,
    clinician: Clinician | None = None,
    outside_rules: bool = False,
    now: datetime | None = None,
) -> list[StaffTime]:
    """The free times staff may book on local dates first_day..last_day, best first.

    The usual ones are `find_slots`'s, the same rules as online. With `outside_rules`,
    also every start between STAFF_DAY's bounds on the type's grid that clashes with no
    appointment or time off of the clinician and has not passed (inside the notice,
    outside the hours, beyond the window). Seven queries whatever the range.
    """
    now = (now or timezone.now()).astimezone(UTC)
    usual = find_slots(
        appointment_type=appointment_type,
        start_date=first_day,
        end_date=last_day,
        clinician=clinician,
        now=now,
    )
    found = [StaffTime(slot=slot, usual=True) for slot in usual]
    if not outside_rules:
        return found
    offered = {(slot.clinician_id, slot.start) for slot in usual}
    found += [
        StaffTime(slot=slot, usual=False)
        for slot in _clash_free_times(
            appointment_type=appointment_type,
            first_day=first_day,
            last_day=last_day,
            clinician=clinician,
            now=now,
        )
        if (slot.clinician_id, slot.start) not in offered
    ]
    found.sort(key=lambda offer: (offer.slot.start, offer.slot.clinician_name))
    return found


def _clash_free_times(
    *,
    appointment_type: AppointmentType,
    first_day: date,
    last_day: date,
    clinician: Clinician | None,
    now: datetime,
) -> list[Slot]:
    tz = times.clinic_zone()
    bookable = Clinician.objects.bookable()
    if clinician is not None:
        bookable = bookable.filter(pk=clinician.pk)
    clinicians = list(bookable)
    range_start = datetime.combine(first_day, datetime.min.time(), tz)
    range_end = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tz)
    busy = _busy_intervals(
        appointment_type, [c.pk for c in clinicians], range_start, range_end, None
    )
    duration = appointment_type.duration_minutes * 60
    step = appointment_type.slot_interval_minutes * 60
    now_ts = int(now.timestamp())
    slots = []
    for clinician_row in clinicians:
        starts, ends = busy.get(clinician_row.pk, ([], []))
        day = first_day
        while day <= last_day:
            first = int(datetime.combine(day, STAFF_DAY[0], tz).timestamp())
            last = int(datetime.combine(day, STAFF_DAY[1], tz).timestamp()) - duration
            for start in range(first, last + 1, step):
                index = bisect_right(ends, start)
                if start <= now_ts or (index < len(starts) and starts[index] < start + duration):
                    continue
                slots.append(
                    Slot(
                        start=datetime.fromtimestamp(start, UTC),
                        end=datetime.fromtimestamp(start + duration, UTC),
                        clinician_id=clinician_row.pk,
                        clinician_name=str(clinician_row),
                    )
                )
            day += timedelta(days=1)
    return slots


@dataclass(frozen=True)
class StaffChange:
    """What makes a change by staff differ from the patient's own.

    Staff may book outside a clinician's hours, inside the minimum notice or over
    time off, but only problems they confirmed (the exact sentences
    `schedule_problems` gave them); the overlap with another appointment binds
    them as it binds patients, and so does the database constraint. The
    late-cancel window does not bind staff. `email_patient` is off for a walk-in
    standing at the desk.
    """

    email_patient: bool = True
    confirmed: frozenset[str] = frozenset()


class NeedsConfirmation(Exception):
    """A staff change that breaks a scheduling rule staff have not confirmed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def schedule_problems(
    *,
    clinician: Clinician,
    appointment_type: AppointmentType,
    start: datetime,
    now: datetime | None = None,
) -> list[str]:
    """The rules a time breaks that staff may override, each as a sentence naming it
    ("Sunday, December 6 at 6:00 AM is outside Dana Lee's hours"); [] when a patient
    could book it. A clash with another appointment is not here: see `clashes`."""
    now = (now or timezone.now()).astimezone(UTC)
    tz = times.clinic_zone()
    local = times.local(start)
    end = start + appointment_type.duration
    when = times.day_and_clock(start)
    problems = []
    if start < now:
        problems.append(f"{when} has already passed")
    elif start < now + timedelta(hours=appointment_type.minimum_notice_hours):
        problems.append(
            f"{when} is inside the {appointment_type.minimum_notice_hours}-hour minimum notice "
            f"for {appointment_type.name}"
        )
    if local.date() > now.astimezone(tz).date() + timedelta(
        days=appointment_type.booking_window_days
    ):
        problems.append(f"{when} is more than {appointment_type.booking_window_days} days ahead")
    if not clinician.bookable:
        problems.append(f"{clinician.name} is not taking bookings")
    for closure in ClinicClosure.objects.overlapping(start, end):
        problems.append(f"The clinic is closed {closure.dates_text()} ({closure.reason})")
    if not any(
        datetime.combine(local.date(), hours.start, tz) <= start
        and end <= datetime.combine(local.date(), hours.end, tz)
        for hours in clinician.availability.filter(weekday=local.weekday())
    ):
        problems.append(f"{when} is outside {clinician.name}'s hours")
    elif not any(
        datetime.combine(local.date(), opens, tz) <= start
        and end <= datetime.combine(local.date(), closes, tz)
        for opens, closes in within_clinic_hours(local.weekday(), time.min, time.max)
    ):
        problems.append(f"{when} is outside the clinic's opening hours")
    time_off = TimeOff.objects.filter(clinician=clinician, start__lt=end, end__gt=start).first()
    if time_off is not None:
        reason = f" ({time_off.reason})" if time_off.reason else ""
        problems.append(f"{clinician.name} has time off then{reason}")
    return problems


def clashes(
    *,
    clinician: Clinician,
    appointment_type: AppointmentType,
    start: datetime,
    exclude: Appointment | None = None,
) -> bool:
    """Whether the time, buffers included, overlaps another active appointment of the
    clinician: the rule the database constraint holds, asked before writing."""
    probe = Appointment()
    probe.set_times(start, appointment_type)
    others = Appointment.objects.blocking(probe.blocked_start, probe.blocked_end).filter(
        clinician=clinician
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


def _check_time(
    *,
    slot: Slot,
    appointment_type: AppointmentType,
    now: datetime | None,
    staff: StaffChange | None,
    exclude: Appointment | None = None,
) -> Clinician:
    """The clinician for `slot` once the time passes the patient's rules, or (for staff)
    no clash and every problem confirmed. Call it inside the writing transaction."""
    if staff is None:
        clinician = Clinician.objects.bookable().filter(pk=slot.clinician_id).first()
        if clinician is None or not slots_at(
            appointment_type=appointment_type,
            start=slot.start,
            clinician=clinician,
            now=now,
            exclude=exclude,
        ):
            raise SlotTaken()
        return clinician
    clinician = Clinician.objects.filter(pk=slot.clinician_id).first()
    if clinician is None:
        raise SlotTaken("That clinician no longer exists.")
    if clashes(
        clinician=clinician, appointment_type=appointment_type, start=slot.start, exclude=exclude
    ):
        raise SlotTaken(f"{clinician.name} already has an appointment at that time.")
    problems = schedule_problems(
        clinician=clinician,
        appointment_type=appointment_type,
        start=slot.start,
        now=now,
    )
    if any(problem not in staff.confirmed for problem in problems):
        raise NeedsConfirmation(problems)
    return clinician


def can_change_online(*, start: datetime, now: datetime) -> bool:
    """Whether a visit starting at `start` may still be cancelled or moved online: until
    BOOKING_LATE_CANCEL_HOURS before it. A time chosen inside that window is locked from
    the moment it is booked, so the check page and the confirmation say so."""
    return now < start - timedelta(hours=settings.BOOKING_LATE_CANCEL_HOURS)


def booked_with_key(key: str) -> Appointment | None:
    """The appointment confirmed from the check page with this one-time key, if any;
    None for no key, or for text that is not one."""
    try:
        value = uuid.UUID(key)
    except (TypeError, ValueError):
        return None
    return Appointment.objects.filter(booking_key=value).first()


def confirm_booking(
    *,
    key: str,
    slot: Slot,
    appointment_type: AppointmentType,
    patient: Patient,
    client: str,
    handoff: selfcheck.SelfCheckHandoff | None = None,
    now: datetime | None = None,
) -> Appointment:
    """The patient's "Confirm booking": book the checked page once, under its one-time key.

    A key already booked returns that appointment (Reload, Forward, a double click,
    a second tab), checked by the database's unique key, so of confirms racing with
    one key exactly one books and the others return its appointment. A new key
    first passes the online limits (`client` is the address's key, see
    intake.ratelimit); raises OverLimit when it does not, SlotTaken when the time
    went meanwhile.
    """
    if (existing := booked_with_key(key)) is not None:
        return existing
    if (refusal := limit_reached(patient=patient, client=client)) is not None:
        raise OverLimit(refusal)
    try:
        return book_appointment(
            slot=slot,
            appointment_type=appointment_type,
            patient=patient,
            handoff=handoff,
            now=now,
            booking_key=uuid.UUID(key),
        )
    except (SlotTaken, IntegrityError):
        # Another confirm of the same page won: its booking holds this time and key.
        if (existing := booked_with_key(key)) is not None:
            return existing
        raise


def book_appointment(
    *,
    slot: Slot,
    appointment_type: AppointmentType,
    patient: Patient,
    handoff: selfcheck.SelfCheckHandoff | None = None,
    now: datetime | None = None,
    staff: StaffChange | None = None,
    booking_key: uuid.UUID | None = None,
    series: AppointmentSeries | None = None,
    lead: Lead | None = None,
) -> Appointment:
    """Book `slot` for the patient, record the lead, and queue the emails, all or nothing.

    `handoff` is the patient's self-check, passed only when they chose to send
    their answers. `booking_key` is the online check page's one-time key (see
    `confirm_booking`). `staff` marks a booking the front desk makes (a phone call, a
    walk-in); `lead` the lead staff booked from, which then follows this visit.
    `series` links one visit of repeating visits (`intake.series`), booked with the
    patient's email off: the series sends one. Raises SlotTaken when the time is no
    longer free, NeedsConfirmation when staff broke a rule they did not confirm. The
    patient's manage link (`appointment.manage_token`) stays the same for the life of
    the appointment.
    """
    try:
        with transaction.atomic():
            clinician = _check_time(
                slot=slot, appointment_type=appointment_type, now=now, staff=staff
            )
            appointment = Appointment(
                clinician=clinician,
                appointment_type=appointment_type,
                patient_name=patient.name,
                patient_email=patient.email,
                patient_phone=patient.phone,
                booking_key=booking_key,
                series=series,
                lead=record_booking_lead(
                    name=patient.name,
                    email=patient.email,
                    phone=patient.phone,
                    message=patient.message,
                    handoff=handoff,
                    lead=lead,
                ),
            )
            appointment.set_times(slot.start, appointment_type)
            appointment.issue_manage_token()
            appointment.save()
            previsit = open_previsit(appointment=appointment)
            if staff is None or staff.email_patient:
                # A follow-up's "How are you doing?" link waits for the 24-hour reminder,
                # when the visit is close enough for the answers to mean something; one
                # booked closer than that gets no reminder, so its confirmation carries it.
                if (
                    previsit
                    and previsit.kind != PreVisitKind.FIRST_VISIT
                    and appointment.gets_reminder()
                ):
                    previsit = None
                emails.queue_booking_patient_email(
                    appointment,
                    "booking_confirmed",
                    token=appointment.manage_token,
                    previsit=previsit,
                    now=now,
                )
            if staff is None:
                # Staff made it themselves; the notification is for changes they did not.
                emails.queue_booking_staff_email(appointment, "booking_staff_new")
    except IntegrityError as error:
        _raise_slot_taken_if_overlap(error)
        raise
    return appointment


def reschedule_appointment(
    *,
    appointment: Appointment,
    slot: Slot,
    now: datetime | None = None,
    staff: StaffChange | None = None,
) -> Appointment:
    """Move the appointment to `slot`, keeping its manage link, and tell the patient.

    The email carries the same calendar UID with a higher SEQUENCE, so calendars
    move the one event. Raises TooLateToChange inside the late-cancel window (not
    for staff), SlotTaken when the new time is not free, NeedsConfirmation when
    staff broke a rule they did not confirm.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            current = Appointment.objects.select_related("appointment_type").get(pk=appointment.pk)
            if staff is None and not current.can_change(now):
                raise TooLateToChange()
            if current.status != AppointmentStatus.BOOKED:
                raise TooLateToChange("Only a booked appointment can move.")
            clinician = _check_time(
                slot=slot,
                appointment_type=current.appointment_type,
                now=now,
                staff=staff,
                exclude=current,
            )
            previous_start = current.local_start
            previous_clinician = current.clinician
            current.clinician = clinician
            current.set_times(slot.start, current.appointment_type)
            current.mark_moved()
            if not current.manage_secret:
                # Booked before links were stable: from now on this link lasts.
                current.issue_manage_token()
            current.save()
            # The old time is free now: the waitlist may fill it (imported here, since the
            # waitlist imports this module).
            from intake.waitlist import time_freed

            time_freed(
                clinician=previous_clinician,
                appointment_type=current.appointment_type,
                start=previous_start,
                cancelled=current,
                now=now,
            )
            if staff is None or staff.email_patient:
                emails.queue_booking_patient_email(
                    current,
                    "booking_rescheduled",
                    token=current.manage_token,
                    previous_start=previous_start,
                    previsit=first_visit_form_to_finish(current, now=now),
                    now=now,
                )
            if staff is None:
                emails.queue_booking_staff_email(
                    current, "booking_staff_rescheduled", previous_start=previous_start
                )
    except IntegrityError as error:
        _raise_slot_taken_if_overlap(error)
        raise
    return current


def cancel_appointment(
    *,
    appointment: Appointment,
    reason: str,
    cancelled_by: CancelledBy,
    now: datetime | None = None,
    email_patient: bool = True,
    offer_new_times: bool = False,
    why: str = "",
) -> Appointment:
    """Cancel and free the time. Patients cannot inside the late-cancel window (staff can).

    The status change is one conditional UPDATE, so two clicks cannot both
    cancel (and notify) it. `offer_new_times` puts the nearest free times in the
    patient's email (when the clinic cancels because the clinician is away); `why` tells
    the patient the reason, when it is one written for them (a closure's).
    """
    now = now or timezone.now()
    if cancelled_by == CancelledBy.PATIENT and not appointment.can_change(now):
        raise TooLateToChange()
    with transaction.atomic():
        changed = Appointment.objects.filter(
            pk=appointment.pk, status=AppointmentStatus.BOOKED
        ).update(
            status=AppointmentStatus.CANCELLED,
            cancellation_reason=reason,
            cancelled_by=cancelled_by,
            cancelled_at=now,
            updated_at=now,
        )
        appointment.refresh_from_db()
        if changed:
            # The waitlist imports this module, so it is imported where it is used.
            from intake.waitlist import time_freed

            time_freed(
                clinician=appointment.clinician,
                appointment_type=appointment.appointment_type,
                start=appointment.start,
                cancelled=appointment,
                now=now,
            )
            if email_patient:
                alternatives = []
                if offer_new_times:
                    alternatives = nearest_slots(
                        appointment_type=appointment.appointment_type,
                        around=appointment.start,
                        now=now,
                        limit=3,
                    )
                emails.queue_booking_patient_email(
                    appointment, "booking_cancelled", alternatives=alternatives, why=why
                )
            if cancelled_by == CancelledBy.PATIENT:
                emails.queue_booking_staff_email(appointment, "booking_staff_cancelled")
            if appointment.lead is not None:
                lead_after_appointment(
                    lead=appointment.lead,
                    event=AppointmentEvent.CANCELLED,
                    appointment=appointment,
                    now=now,
                )
    return appointment


def save_time_off(
    *,
    time_off: TimeOff,
    cancel: list[Appointment],
    was: tuple[int, datetime, datetime] | None = None,
    now: datetime | None = None,
) -> list[Appointment]:
    """Save the time off and cancel the appointments staff chose to cancel, all or nothing.

    Each cancelled patient is emailed once, with the nearest free times (found after
    the time off is saved, so none falls inside it) and the phone number. Booked
    appointments staff chose to keep stay as exceptions: time off only stops new
    bookings. `was` is its (clinician id, start, end) before an edit: hours it no longer
    covers are offered to the waitlist. Returns the appointments actually cancelled.
    """
    with transaction.atomic():
        time_off.save()
        cancelled = cancel_for_schedule_change(cancel=cancel, reason="Clinician time off", now=now)
        if was is not None:
            _time_off_lifted(was, now=now)
    return cancelled


def delete_time_off(*, time_off: TimeOff, now: datetime | None = None) -> None:
    """Remove the time off; its hours are offered to the waitlist."""
    with transaction.atomic():
        was = (time_off.clinician_id, time_off.start, time_off.end)
        time_off.delete()
        _time_off_lifted(was, now=now)


def _time_off_lifted(was: tuple[int, datetime, datetime], *, now: datetime | None) -> None:
    # Times still blocked (by what is left of the time off or anything else) are not
    # free, so find_slots leaves them out; what remains of `was` is new.
    from intake.waitlist import new_hours_opened

    clinician_id, start, end = was
    new_hours_opened(start=start, end=end, clinician_ids=[clinician_id], now=now)


def hours_outside_clinic(*, clinician: Clinician) -> list[str]:
    """The clinician's weekly hours that reach outside the clinic's opening hours, as
    "Wednesday 08:00-12:00": online booking never offers those times, so the admin warns."""
    return [
        str(hours)
        for hours in clinician.availability.all()
        if within_clinic_hours(hours.weekday, hours.start, hours.end) != [(hours.start, hours.end)]
    ]


def hours_extended(
    *,
    old: list[tuple[int, time, time]],
    clinician: Clinician | None = None,
    now: datetime | None = None,
) -> None:
    """Offer the waitlist the times longer hours opened: a clinician's weekly hours, or
    (with no clinician) the clinic's opening hours. `old` is the hours before, as
    (weekday, start, end); times inside them were bookable already and are left out.
    Call it after the new hours are saved."""
    from intake.waitlist import new_hours_opened

    if clinician is None and not old:
        return  # no opening hours bounded anything before: adding some only narrows

    def was_open(slot: Slot) -> bool:
        start, end = times.local(slot.start), times.local(slot.end)
        return any(
            weekday == start.weekday() and begin <= start.time() and end.time() <= finish
            for weekday, begin, finish in old
        )

    now = now or timezone.now()
    new_hours_opened(
        start=now,
        end=now + timedelta(days=BOOKABLE_AHEAD_DAYS),
        clinician_ids=[clinician.pk] if clinician is not None else None,
        is_new=lambda slot: not was_open(slot),
        now=now,
    )


def cancel_for_schedule_change(
    *, cancel: list[Appointment], reason: str, now: datetime | None = None, why: str = ""
) -> list[Appointment]:
    """Cancel by the clinic, offering each patient the nearest free times (and `why`, a
    reason written for patients). Call it after the schedule change is written, in the
    same transaction."""
    cancelled = []
    for appointment in cancel:
        result = cancel_appointment(
            appointment=appointment,
            reason=reason,
            cancelled_by=CancelledBy.STAFF,
            now=now,
            offer_new_times=True,
            why=why,
        )
        if result.status == AppointmentStatus.CANCELLED:
            cancelled.append(result)
    return cancelled


def _raise_slot_taken_if_overlap(error: IntegrityError) -> None:
    diag = getattr(error.__cause__, "diag", None)
    if getattr(diag, "constraint_name", None) == NO_OVERLAP_CONSTRAINT:
        raise SlotTaken() from error


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue one reminder for each appointment due one (see
    AppointmentQuerySet.due_for_reminder); return how many were queued.

    Each is claimed with a conditional UPDATE (reminder_sent_at still empty) in the
    same transaction as its email, so overlapping runs cannot both send one.
    """
    now = now or timezone.now()
    due = Appointment.objects.due_for_reminder(now).select_related("appointment_type", "clinician")
    return sum(send_reminder(appointment, now=now) for appointment in due)


def send_reminder(appointment: Appointment, *, now: datetime) -> bool:
    """Claim the appointment's reminder and queue it; False when another run got there
    first (or it was cancelled meanwhile), whatever this run had read before."""
    with transaction.atomic():
        claimed = Appointment.objects.filter(
            pk=appointment.pk, status=AppointmentStatus.BOOKED, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if claimed:
            emails.queue_booking_patient_email(
                appointment,
                "booking_reminder",
                with_invite=False,
                previsit=follow_up_check_in(appointment, now=now),
            )
    return bool(claimed)
