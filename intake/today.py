"""What the Today page shows: the schedule per clinician and the leads and emails that
need someone now. `schedule` is the one builder of a day's schedule: Today and the
calendar's day and week grids (intake/calendar.py) all read it. Every list is read
in a fixed number of queries, whatever the number of rows, so the page stays fast on
the busiest day; long lists are cut at LIST_LIMIT with a link to the full list.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet

from intake import times
from intake.models import Appointment, Clinician, FreedTime, Lead, LeadStatus, TimeOff
from intake.models.leads import IS_URGENT

LIST_LIMIT = 25


@dataclass(frozen=True)
class TimeOffBlock:
    """Time off as one day shows it: cut to that day, in clinic time."""

    start: datetime
    end: datetime
    reason: str
    time_off_id: int
    is_time_off = True

    @property
    def all_day(self) -> bool:
        return self.end - self.start >= timedelta(days=1)


@dataclass
class ClinicianDay:
    clinician: Clinician
    appointments: list[Appointment] = field(default_factory=list)
    time_off: list[TimeOffBlock] = field(default_factory=list)

    def entries(self) -> list[Appointment | TimeOffBlock]:
        """Appointments and time off in the order of the day, so a block sits where it falls."""
        return sorted([*self.appointments, *self.time_off], key=lambda entry: entry.start)


@dataclass
class DaySchedule:
    day: date
    clinicians: list[ClinicianDay]


def schedule(
    *, first_day: date, days: int, clinician: Clinician | None = None, cancelled: bool = False
) -> list[DaySchedule]:
    """Each day's appointments (not cancelled, unless `cancelled`: the calendar shows
    them) with their before-visit forms, and time off, a row per clinician, in four
    queries. Bookable clinicians always get a row; others only when they have something
    that day."""
    tz = times.clinic_zone()
    start = datetime.combine(first_day, datetime.min.time(), tz)
    end = datetime.combine(first_day + timedelta(days=days), datetime.min.time(), tz)
    clinicians = Clinician.objects.bookable()
    appointments = (
        Appointment.objects.starting_between(start, end, cancelled=cancelled)
        .select_related("previsit")
        # For the Undo button: the clicks of the day (one query for every row).
        .prefetch_related("attendance_changes")
        .order_by("start")
    )
    time_off = TimeOff.objects.overlapping(start, end).select_related("clinician")
    if clinician is not None:
        clinicians = clinicians.filter(pk=clinician.pk)
        appointments = appointments.filter(clinician=clinician)
        time_off = time_off.filter(clinician=clinician)
    known = {c.pk: c for c in clinicians} if clinician is None else {clinician.pk: clinician}
    rows: dict[tuple[date, int], ClinicianDay] = {}

    def row(day: date, who: Clinician) -> ClinicianDay:
        known.setdefault(who.pk, who)
        return rows.setdefault((day, who.pk), ClinicianDay(known[who.pk]))

    for appointment in appointments:
        row(appointment.local_start.date(), appointment.clinician).appointments.append(appointment)
    for stretch in time_off:
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            day_start = datetime.combine(day, datetime.min.time(), tz)
            day_end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
            if stretch.start < day_end and stretch.end > day_start:
                block = TimeOffBlock(
                    start=max(stretch.start, day_start).astimezone(tz),
                    end=min(stretch.end, day_end).astimezone(tz),
                    reason=stretch.reason,
                    time_off_id=stretch.pk,
                )
                row(day, stretch.clinician).time_off.append(block)
    order = sorted(known.values(), key=lambda c: (c.position, c.name))
    return [
        DaySchedule(
            day=first_day + timedelta(days=offset),
            clinicians=[
                rows.get((first_day + timedelta(days=offset), c.pk), ClinicianDay(c)) for c in order
            ],
        )
        for offset in range(days)
    ]


def red_flag_visits() -> QuerySet:
    """Visits whose before-visit answers call for a doctor and no clinician has reviewed
    yet, whatever their date: the top of the urgent list, soonest visit first, with the
    lead each came from (one query)."""
    return (
        Appointment.objects.active()
        .filter(previsit__needs_review=True, previsit__reviewed_at__isnull=True)
        .select_related("lead", "appointment_type", "clinician", "previsit")
        .order_by("start")[:LIST_LIMIT]
    )


def leads_to_work(today: date) -> dict[str, QuerySet]:
    """Urgent leads first, then new ones, then follow-ups due today or overdue: each lead
    in one list only, oldest waiting first."""
    return {
        "urgent": Lead.objects.urgent().order_by("created_at")[:LIST_LIMIT],
        "new": Lead.objects.filter(status=LeadStatus.NEW)
        .exclude(IS_URGENT)
        .order_by("created_at")[:LIST_LIMIT],
        "follow_ups": Lead.objects.follow_up_by(today)
        .exclude(status=LeadStatus.NEW)
        .order_by("follow_up_due", "created_at")[:LIST_LIMIT],
    }


def times_freed(today: date) -> QuerySet:
    """The times cancellations freed today and whether the waitlist filled them, newest
    first, in one query."""
    return FreedTime.objects.freed_on(today).order_by("-freed_at")[:LIST_LIMIT]
