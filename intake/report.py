"""The figures the owner asks for: per week and per clinician, visits kept, completed and
missed, cancellations late and early, and how full the bookable hours were; the no-show
rate beside the national average for outpatient physical therapy; and how many leads
became patients.

The cost must not grow with the range asked for, so the database counts (one row per
clinician and day, `AppointmentQuerySet.tally_by_clinician_and_day`) and Python only folds
those rows into weeks. Bookable minutes come from the few weekly-hours and time-off rows,
worked out in Python day by day: hours are wall-clock times, and a day's real length
(a daylight-saving Sunday) is easier to get right here than in two SQL dialects.

Bookable hours are the clinician's weekly hours as they are set now (the database keeps no
history of them), less their time off. Nothing here names a patient.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Prefetch

from intake import times
from intake.models import Appointment, ClinicClosure, Clinician, Lead, TimeOff
from intake.models.leads import SourceConversion

DEFAULT_WEEKS = 8
# Three years: enough for any comparison the owner makes, and a bound on the Python work.
MAX_WEEKS = 156
# The mean no-show rate 634 US outpatient physical therapy clinics reported in a national
# survey (Bokinskie, Johnson and Mahoney, UNLV, 2015; 10.4% ± 7.4%).
NATIONAL_NO_SHOW_RATE = 10.4
NATIONAL_NO_SHOW_SOURCE = (
    "Bokinskie J, Johnson P, Mahoney T. Patient No-show for Outpatient Physical Therapy: "
    "A National Survey. University of Nevada, Las Vegas, 2015"
)
NATIONAL_NO_SHOW_URL = "https://digitalscholarship.unlv.edu/thesesdissertations/2323/"


@dataclass(frozen=True)
class Figures:
    """One clinician's (or everyone's) counts over a week or a longer stretch."""

    booked: int = 0
    completed: int = 0
    no_shows: int = 0
    late_cancellations: int = 0
    early_cancellations: int = 0
    booked_minutes: int = 0
    bookable_minutes: int = 0

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            booked=self.booked + other.booked,
            completed=self.completed + other.completed,
            no_shows=self.no_shows + other.no_shows,
            late_cancellations=self.late_cancellations + other.late_cancellations,
            early_cancellations=self.early_cancellations + other.early_cancellations,
            booked_minutes=self.booked_minutes + other.booked_minutes,
            bookable_minutes=self.bookable_minutes + other.bookable_minutes,
        )

    @property
    def no_show_rate(self) -> float | None:
        """Percent of the visits marked completed or no-show that were no-shows (visits not
        yet marked are left out: they were neither, as far as anyone recorded)."""
        seen = self.completed + self.no_shows
        return round(100 * self.no_shows / seen, 1) if seen else None

    @property
    def fullness(self) -> int | None:
        """Booked minutes as a percent of bookable minutes; over 100 when staff booked
        outside the clinician's hours."""
        return (
            round(100 * self.booked_minutes / self.bookable_minutes)
            if self.bookable_minutes
            else None
        )

    @property
    def booked_hours(self) -> float:
        return round(self.booked_minutes / 60, 1)

    @property
    def bookable_hours(self) -> float:
        return round(self.bookable_minutes / 60, 1)


def total(figures: Iterable[Figures]) -> Figures:
    return sum(figures, Figures())


@dataclass(frozen=True)
class ClinicianFigures:
    clinician: str
    figures: Figures


@dataclass(frozen=True)
class Week:
    start: date
    clinicians: list[ClinicianFigures]
    total: Figures

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


@dataclass(frozen=True)
class Report:
    first_day: date
    last_day: date
    weeks: list[Week]
    clinicians: list[ClinicianFigures]
    total: Figures
    conversion: list[SourceConversion] = field(default_factory=list)

    @property
    def no_show_comparison(self) -> str | None:
        """How the clinic's no-show rate sits beside the national average, in words
        (within a point counts as the same: the survey's own spread is over 7 points)."""
        rate = self.total.no_show_rate
        if rate is None:
            return None
        if abs(rate - NATIONAL_NO_SHOW_RATE) <= 1:
            return "about the same as"
        return "lower than" if rate < NATIONAL_NO_SHOW_RATE else "higher than"

    @property
    def leads(self) -> int:
        return sum(row.total for row in self.conversion)

    @property
    def leads_converted(self) -> int:
        return sum(row.converted for row in self.conversion)

    @property
    def conversion_rate(self) -> int | None:
        return round(100 * self.leads_converted / self.leads) if self.leads else None


def week_start(day: date, first_weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def default_range(today: date, first_weekday: int) -> tuple[date, date]:
    """The last DEFAULT_WEEKS whole weeks: the week under way is not over, so not in it."""
    this_week = week_start(today, first_weekday)
    return this_week - timedelta(weeks=DEFAULT_WEEKS), this_week - timedelta(days=1)


def whole_weeks(first_day: date, last_day: date, first_weekday: int) -> tuple[date, date]:
    """The range widened to whole weeks: from the start of first_day's week to the end
    of last_day's."""
    return week_start(first_day, first_weekday), week_start(last_day, first_weekday) + timedelta(
        days=6
    )


def weekly_report(*, first_day: date, last_day: date) -> Report:
    """The figures for the whole weeks from first_day to last_day (both already week
    bounds, see `whole_weeks`), in six queries whatever the range."""
    tz = times.clinic_zone()
    start = datetime.combine(first_day, time(0), tz)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tz)
    clinicians = list(
        Clinician.objects.order_by("position", "name").prefetch_related(
            "availability",
            Prefetch("time_off", queryset=TimeOff.objects.overlapping(start, end).order_by()),
        )
    )
    tallies: dict[tuple[int, date], Figures] = defaultdict(Figures)
    for row in Appointment.objects.tally_by_clinician_and_day(start, end):
        booked_time = row["booked_time"] or timedelta(0)
        tallies[row["clinician_id"], _week(row["day"], first_day)] += Figures(
            booked=row["booked"],
            completed=row["completed"],
            no_shows=row["no_shows"],
            late_cancellations=row["late_cancellations"],
            early_cancellations=row["early_cancellations"],
            booked_minutes=round(booked_time.total_seconds() / 60),
        )
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    # A day the whole clinic is closed is nobody's bookable time.
    closed = [(c.start, c.end) for c in ClinicClosure.objects.overlapping(start, end)]
    for clinician in clinicians:
        off = [(period.start, period.end) for period in clinician.time_off.all()] + closed
        for day in days:
            minutes = bookable_minutes(day, clinician.availability.all(), off)
            if minutes:
                tallies[clinician.pk, _week(day, first_day)] += Figures(bookable_minutes=minutes)
    # Only clinicians with something to show: a departed one keeps their past weeks.
    shown = [c for c in clinicians if any(key[0] == c.pk for key in tallies)]
    weeks = []
    for week in days[::7]:
        rows = [ClinicianFigures(str(c), tallies.get((c.pk, week), Figures())) for c in shown]
        weeks.append(Week(start=week, clinicians=rows, total=total(r.figures for r in rows)))
    per_clinician = [
        ClinicianFigures(str(c), total(tallies.get((c.pk, w.start), Figures()) for w in weeks))
        for c in shown
    ]
    return Report(
        first_day=first_day,
        last_day=last_day,
        weeks=weeks,
        clinicians=per_clinician,
        total=total(w.total for w in weeks),
        conversion=Lead.objects.created_between(start, end).conversion_by_source(),
    )


def bookable_minutes(
    day: date, availability: Iterable, time_off: Sequence[tuple[datetime, datetime]]
) -> int:
    """Real minutes of the clinician's weekly hours on that day not covered by time off
    or a clinic closure."""
    tz = times.clinic_zone()
    minutes = 0.0
    for hours in availability:
        if hours.weekday != day.weekday():
            continue
        # Through UTC: subtracting two times of one zone ignores a clock change between.
        opens = datetime.combine(day, hours.start, tz).astimezone(UTC)
        closes = datetime.combine(day, hours.end, tz).astimezone(UTC)
        free = (closes - opens).total_seconds()
        covered_until = opens
        for off_start, off_end in sorted(time_off):
            clipped_start, clipped_end = max(off_start, covered_until), min(off_end, closes)
            if clipped_end > clipped_start:
                free -= (clipped_end - clipped_start).total_seconds()
                covered_until = clipped_end
        minutes += free / 60
    return round(minutes)


def _week(day: date, first_day: date) -> date:
    return first_day + timedelta(weeks=(day - first_day).days // 7)


CSV_HEADER = (
    "Week starting",
    "Clinician",
    "Visits booked",
    "Completed",
    "No-shows",
    "No-show rate (%)",
    "Late cancellations",
    "Early cancellations",
    "Hours booked",
    "Bookable hours",
    "Hours full (%)",
)


def csv_rows(report: Report) -> list[list[object]]:
    """The week-by-week table as spreadsheet rows: a row per clinician and week, then the
    week's total for all clinicians. Numbers stay numbers; an empty cell where a rate has
    nothing to be a rate of."""
    rows: list[list[object]] = []
    for week in report.weeks:
        for row in [*week.clinicians, ClinicianFigures("All clinicians", week.total)]:
            figures = row.figures
            rows.append(
                [
                    week.start.isoformat(),
                    row.clinician,
                    figures.booked,
                    figures.completed,
                    figures.no_shows,
                    "" if figures.no_show_rate is None else figures.no_show_rate,
                    figures.late_cancellations,
                    figures.early_cancellations,
                    figures.booked_hours,
                    figures.bookable_hours,
                    "" if figures.fullness is None else figures.fullness,
                ]
            )
    return rows
