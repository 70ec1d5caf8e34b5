"""The staff calendar: a day (a column per clinician) or a week (a column per day, for one
clinician or all) as a grid with time down the side.

It reads intake.today.schedule(), the one schedule builder, so the calendar, Today and a
clinician's week never disagree about who is booked when. Laying out is plain
arithmetic on what that read: rows are STEP-minute steps of the wall clock, and a column
holds *blocks*: a visit, time off, and a clinic closure (a block in every column of its
days), each drawn by the page the same way. Blocks that overlap in a column (a
cancelled visit and the one booked in its place, a visit kept through time off) share
one cell, so a table with rowspans always lays out. Free cells inside a clinician's
bookable hours link to the booking form at that time; the rest of the day is shaded.

Every page reads the same few queries whatever the number of clinicians or visits.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.urls import reverse

from intake import times
from intake import today as board
from intake.clinic_details import clinic_details
from intake.models import (
    Appointment,
    AppointmentStatus,
    ClinicClosure,
    Clinician,
    WeeklyAvailability,
)

# One row of the grid. Visit types start every 15 or 30 minutes; a visit off the grid
# sits in the row it starts in and says its own time.
STEP = timedelta(minutes=30)
# Shown when nobody has hours and nothing is booked that day.
DEFAULT_DAY = (time(8), time(17))
# Weekdays the clinic works when neither the clinic nor any clinician has hours yet.
DEFAULT_WORKING_DAYS = frozenset(range(5))


@dataclass(frozen=True)
class Block:
    """Something that takes a stretch of one column: `kind` is the CSS class and what
    the page draws ("visit", "time-off"); `label` is its link's accessible name."""

    kind: str
    start: datetime
    end: datetime
    label: str
    url: str
    appointment: Appointment | None = None
    reason: str = ""

    @property
    def frees_its_time(self) -> bool:
        """A cancelled visit still shows, but its time can be booked again."""
        return (
            self.appointment is not None and self.appointment.status == AppointmentStatus.CANCELLED
        )


@dataclass
class Column:
    day: date
    clinician: Clinician
    hours: list[tuple[time, time]]
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Cell:
    """One <td>: `rows` tall, holding blocks, or free (then bookable or shaded)."""

    rows: int
    blocks: list[Block]
    in_hours: bool
    book_url: str = ""
    book_label: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    on_the_hour: bool
    cells: list[Cell]  # only the cells that begin in this row, in column order


@dataclass(frozen=True)
class Grid:
    columns: list[Column]
    rows: list[Row]
    first_day: date
    days: list[tuple[date, int]]  # each day shown and how many columns it spans
    names_days: bool  # the header names each day (the week)
    names_clinicians: bool  # the header names each clinician (the day; the whole team's week)


def book_url(*, clinician: Clinician, start: datetime) -> str:
    """The booking form at that time: ?clinician=<pk>&start=<YYYY-MM-DDTHH:MM local>."""
    start_value = f"{times.local(start):%Y-%m-%dT%H:%M}"
    query = urlencode({"clinician": clinician.pk, "start": start_value}, safe=":")
    return f"{reverse('admin:intake_appointment_add')}?{query}"


def working_weekdays(hours: list[WeeklyAvailability]) -> frozenset[int]:
    """The weekdays the clinic is open or any bookable clinician takes bookings."""
    days = {weekday for weekday, *_ in clinic_details().hours} | {h.weekday for h in hours}
    return frozenset(days) or DEFAULT_WORKING_DAYS


def week_start(day: date, working: frozenset[int]) -> date:
    """The first day of the week holding `day`: weeks start on the clinic's first working
    weekday. A day after the week's last working day (a Sunday, for a clinic open Monday
    to Friday) belongs to the coming week: that is the week the front desk books."""
    first = min(working)
    start = day - timedelta(days=(day.weekday() - first) % 7)
    rest = {(start + timedelta(days=n)).weekday() for n in range((day - start).days, 7)}
    return start if rest & working else start + timedelta(days=7)


def bookable_hours() -> list[WeeklyAvailability]:
    """Every bookable clinician's weekly hours, in one query."""
    return list(WeeklyAvailability.objects.filter(clinician__bookable=True))


def day_grid(day: date, *, now: datetime) -> Grid:
    """One day, a column per clinician."""
    hours = bookable_hours()
    (one_day,) = board.schedule(first_day=day, days=1, cancelled=True)
    closures = closures_between(day, day)
    columns = [_column(day, row, hours, closures) for row in one_day.clinicians]
    return _grid(columns, day, now=now, names_days=False, names_clinicians=True)


def week_grid(day: date, *, now: datetime, clinician: Clinician | None = None) -> Grid:
    """The week holding `day` (see week_start): its working days and any other day with
    a visit, a column per day (one clinician) or per day and clinician (everyone)."""
    hours = bookable_hours()
    working = working_weekdays(hours)
    first_day = week_start(day, working)
    days = board.schedule(first_day=first_day, days=7, clinician=clinician, cancelled=True)
    shown = [
        day
        for day in days
        if day.day.weekday() in working or any(row.appointments for row in day.clinicians)
    ]
    closures = closures_between(first_day, first_day + timedelta(days=6))
    columns = [_column(day.day, row, hours, closures) for day in shown for row in day.clinicians]
    return _grid(columns, first_day, now=now, names_days=True, names_clinicians=clinician is None)


def closures_between(first: date, last: date) -> list[ClinicClosure]:
    """The clinic's closures touching these days, in one query."""
    tz = times.clinic_zone()
    start = datetime.combine(first, time(), tz)
    end = datetime.combine(last + timedelta(days=1), time(), tz)
    return list(ClinicClosure.objects.overlapping(start, end))


def _column(
    day: date,
    row: board.ClinicianDay,
    hours: list[WeeklyAvailability],
    closures: list[ClinicClosure],
) -> Column:
    who = row.clinician
    ranges = sorted(
        (h.start, h.end) for h in hours if h.clinician_id == who.pk and h.weekday == day.weekday()
    )
    blocks = [_visit(appointment) for appointment in row.appointments]
    blocks += [_time_off(who, block) for block in row.time_off]
    blocks += [_closure(day, c) for c in closures if c.start_date <= day <= c.end_date]
    return Column(day=day, clinician=who, hours=ranges, blocks=blocks)


def _visit(appointment: Appointment) -> Block:
    status = appointment.get_status_display()
    when = times.clock(appointment.start)
    label = f"Visit: {appointment.patient_name}, {when}, {appointment.appointment_type}, {status}"
    return Block(
        kind="visit",
        start=appointment.local_start,
        end=appointment.local_end,
        label=label,
        url=reverse("admin:intake_appointment_change", args=[appointment.pk]),
        appointment=appointment,
    )


def _time_off(clinician: Clinician, block: board.TimeOffBlock) -> Block:
    # Staff type a whole day as 00:00 to 23:59.
    whole_day = block.all_day or (
        block.start.time() == time(0) and block.end.time() >= time(23, 59)
    )
    span = "all day" if whole_day else f"{times.clock(block.start)} to {times.clock(block.end)}"
    return Block(
        kind="time-off",
        start=block.start,
        end=block.end,
        label=f"Time off: {clinician.name}, {span}",
        url=reverse("admin:intake_timeoff_change", args=[block.time_off_id]),
        reason=block.reason,
    )


def _closure(day: date, closure: ClinicClosure) -> Block:
    tz = times.clinic_zone()
    return Block(
        kind="closure",
        start=datetime.combine(day, time(), tz),
        end=datetime.combine(day + timedelta(days=1), time(), tz),
        label=f"Clinic closed {day:%a %b} {day.day}",
        url=reverse("admin:intake_clinicclosure_change", args=[closure.pk]),
        reason=closure.reason,
    )


def _grid(
    columns: list[Column],
    first_day: date,
    *,
    now: datetime,
    names_days: bool,
    names_clinicians: bool,
) -> Grid:
    first, last = _span(columns)
    steps = _steps_between(first, last)
    cells: list[dict[int, Cell]] = [_lay_out(column, first, steps, now) for column in columns]
    rows = [
        Row(
            label=_clock(_at(first, index)),
            on_the_hour=_at(first, index).minute == 0,
            cells=[column_cells[index] for column_cells in cells if index in column_cells],
        )
        for index in range(steps)
    ]
    spans: dict[date, int] = defaultdict(int)
    for column in columns:
        spans[column.day] += 1
    return Grid(
        columns=columns,
        rows=rows,
        first_day=first_day,
        days=list(spans.items()),
        names_days=names_days,
        names_clinicians=names_clinicians,
    )


def _span(columns: list[Column]) -> tuple[time, time]:
    """From the earliest opening, hour or visit to the latest, on the STEP grid."""
    starts = [opens for column in columns for opens, _ in column.hours]
    ends = [closes for column in columns for _, closes in column.hours]
    clinic = clinic_details().hours
    weekdays = {column.day.weekday() for column in columns}
    starts += [time.fromisoformat(opens) for day, _, opens, _ in clinic if day in weekdays]
    ends += [time.fromisoformat(closes) for day, _, _, closes in clinic if day in weekdays]
    for column in columns:
        for block in column.blocks:
            all_day = (block.end - block.start) >= timedelta(hours=23)
            if block.kind in ("time-off", "closure") and all_day:
                continue  # all day: drawn over whatever hours the day has
            starts.append(block.start.time())
            ends.append(time.max if block.end.date() > column.day else block.end.time())
    first = min(starts, default=DEFAULT_DAY[0])
    last = max(ends, default=DEFAULT_DAY[1])
    step = int(STEP.total_seconds() // 60)
    first = time(first.hour, first.minute - first.minute % step)
    return first, last


def _steps_between(first: time, last: time) -> int:
    minutes = (last.hour * 60 + last.minute + (last.second > 0)) - (first.hour * 60 + first.minute)
    return max(1, -(-minutes // int(STEP.total_seconds() // 60)))


def _at(first: time, index: int) -> time:
    moment = datetime.combine(date.min, first) + STEP * index
    return moment.time()


def _clock(moment: time) -> str:
    return f"{moment:%I:%M %p}".lstrip("0")


def _lay_out(column: Column, first: time, steps: int, now: datetime) -> dict[int, Cell]:
    """The column's cells by the row each begins in: blocks merged where they overlap,
    and a cell for each free step."""
    tz = times.clinic_zone()
    origin = datetime.combine(column.day, first, tz)

    def row_of(moment: datetime, *, rounding_up: bool) -> int:
        steps_in = (moment - origin) / STEP
        whole = int(steps_in // 1)
        return max(0, min(steps, whole + (rounding_up and steps_in > whole)))

    clusters: list[tuple[int, int, list[Block]]] = []
    for block in sorted(column.blocks, key=lambda b: b.start):
        top = min(row_of(block.start, rounding_up=False), steps - 1)
        bottom = max(top + 1, row_of(block.end, rounding_up=True))
        if clusters and top < clusters[-1][1]:
            start, end, blocks = clusters.pop()
            clusters.append((start, max(end, bottom), [*blocks, block]))
        else:
            clusters.append((top, bottom, [block]))

    def free(index: int, rows: int = 1, blocks: list[Block] | None = None) -> Cell:
        start = origin + STEP * index
        in_hours = any(
            opens <= start.time() and (start + STEP).time() <= closes
            for opens, closes in column.hours
        )
        if not in_hours or start < now:
            return Cell(rows=rows, blocks=blocks or [], in_hours=in_hours)
        label = f"Book {column.clinician.name} {start:%a %b} {start.day} {times.clock(start)}"
        if blocks:
            label += " (the visit there was cancelled)"
        return Cell(
            rows=rows,
            blocks=blocks or [],
            in_hours=True,
            book_url=book_url(clinician=column.clinician, start=start),
            book_label=label,
        )

    cells: dict[int, Cell] = {}
    covered: set[int] = set()
    for top, bottom, blocks in clusters:
        if all(block.frees_its_time for block in blocks):
            cells[top] = free(top, bottom - top, blocks)
        else:
            cells[top] = Cell(rows=bottom - top, blocks=blocks, in_hours=True)
        covered.update(range(top, bottom))
    for index in range(steps):
        if index not in covered:
            cells[index] = free(index)
    return cells
