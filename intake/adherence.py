"""How much of a home programme a patient did: pure arithmetic over dates, no database.

A *session* is a day: the patient taps "I did today's exercises" at most once a day, so
what is planned is a number of days too. A programme's dose says how often: "once a day"
(or twice, or 3 times a day: still one session a day) or "3 times a week". Its *days per
week* is the most any of its exercises asks for, a daily one counting as 7.

Planned days over a window are the sum, over each day the programme ran in it, of that
day's days-per-week divided by 7, rounded half up: a daily dose plans every day; 3 times
a week plans 3 in a whole week, 1 in a 2-day stretch (6/7 rounds to 1). Each day uses
the dose of the version in force that day, so a change of dose mid-week counts each part
at its own rate. Logged days beyond the plan do not count (a patient cannot bank extra
days), so adherence never passes 100%.

The patient reads their own week as a calendar week (Monday to Sunday: "5 of the 7 days
planned this week"); the clinician reads the last 7 and 30 days ending today. Days are
the clinic's calendar days (America/Chicago): `session_day` turns the moment of a tap
into one, so a tap at 23:30 on the night clocks change counts for that evening's date.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from fractions import Fraction

DAYS_IN_WEEK = 7
# Remote therapeutic monitoring counts days with data in each 30-day period.
RTM_PERIOD_DAYS = 30
RTM_LOW, RTM_HIGH = 2, 16


@dataclass(frozen=True)
class PlanPeriod:
    """From `start` (inclusive) the programme asks for `days_per_week` sessions a week,
    until the next period starts or the programme ends."""

    start: date
    days_per_week: int


@dataclass(frozen=True)
class Adherence:
    logged: int
    planned: int

    @property
    def percent(self) -> int | None:
        """Whole percent, rounded down (never 100 before every planned day is done);
        None when nothing was planned."""
        if not self.planned:
            return None
        return self.logged * 100 // self.planned

    def describe(self) -> str:
        """'5 of 7 planned days (71%)', or 'nothing planned yet'."""
        if not self.planned:
            return "nothing planned yet"
        day = "day" if self.planned == 1 else "days"
        return f"{self.logged} of {self.planned} planned {day} ({self.percent}%)"


def session_day(moment: datetime, tz: tzinfo) -> date:
    """The clinic's calendar date of an aware moment."""
    return moment.astimezone(tz).date()


def days_per_week(frequencies: Iterable[tuple[int, str]]) -> int:
    """The programme's sessions a week from its exercises' (times, "day"|"week"): a daily
    exercise makes every day a session day, however many times a day it asks for."""
    most = 0
    for times, per in frequencies:
        most = max(most, DAYS_IN_WEEK if per == "day" else min(times, DAYS_IN_WEEK))
    return most


def _rate_on(day: date, periods: Sequence[PlanPeriod]) -> int:
    rate = 0
    for period in periods:  # sorted by start
        if period.start <= day:
            rate = period.days_per_week
        else:
            break
    return rate


def planned_days(
    *, periods: Sequence[PlanPeriod], first: date, last: date, ended_on: date | None = None
) -> int:
    """Days planned from `first` to `last` (both inclusive), counting only days the
    programme ran: from its first period's start to `ended_on` (exclusive: the day a
    clinician ends it plans nothing)."""
    periods = sorted(periods, key=lambda period: period.start)
    if not periods:
        return 0
    start = max(first, periods[0].start)
    stop = last if ended_on is None else min(last, ended_on - timedelta(days=1))
    total = Fraction(0)
    day = start
    while day <= stop:
        total += Fraction(_rate_on(day, periods), DAYS_IN_WEEK)
        day += timedelta(days=1)
    return int(total + Fraction(1, 2))  # half up: 3.5 planned days is 4


def adherence(
    *,
    periods: Sequence[PlanPeriod],
    logged: Iterable[date],
    first: date,
    last: date,
    ended_on: date | None = None,
) -> Adherence:
    """Logged days over planned days from `first` to `last` (inclusive)."""
    planned = planned_days(periods=periods, first=first, last=last, ended_on=ended_on)
    done = len({day for day in logged if first <= day <= last})
    return Adherence(logged=min(done, planned), planned=planned)


def last_days(
    *,
    periods: Sequence[PlanPeriod],
    logged: Iterable[date],
    today: date,
    days: int,
    ended_on: date | None = None,
) -> Adherence:
    """The clinician's view: the `days` days ending today."""
    first = today - timedelta(days=days - 1)
    return adherence(periods=periods, logged=logged, first=first, last=today, ended_on=ended_on)


def this_week(
    *,
    periods: Sequence[PlanPeriod],
    logged: Iterable[date],
    today: date,
    ended_on: date | None = None,
) -> Adherence:
    """The patient's view: Monday to Sunday of the week holding today, the days still to
    come included in what is planned ("2 of the 7 days planned this week")."""
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    return adherence(periods=periods, logged=logged, first=monday, last=sunday, ended_on=ended_on)


def rtm_days(*, logged: Iterable[date], started_on: date, today: date) -> tuple[int, date]:
    """Days with data in the current 30-day period (periods run from the programme's
    start), and that period's first day."""
    period = max(0, (today - started_on).days) // RTM_PERIOD_DAYS
    first = started_on + timedelta(days=period * RTM_PERIOD_DAYS)
    last = first + timedelta(days=RTM_PERIOD_DAYS - 1)
    return len({day for day in logged if first <= day <= last}), first


def rtm_band(days: int) -> str:
    """The count as remote-monitoring billing reads it."""
    if days >= RTM_HIGH:
        return "16 or more"
    if days >= RTM_LOW:
        return "2–15 days"
    return "fewer than 2"


def planned_weekdays(days_per_week: int) -> frozenset[int]:
    """Which weekdays (Monday 0) a reminder goes out for a weekly dose: spread over the
    week, starting Monday (3 a week: Monday, Wednesday, Friday)."""
    count = max(0, min(days_per_week, DAYS_IN_WEEK))
    return (
        frozenset((index * DAYS_IN_WEEK) // count for index in range(count))
        if count
        else (frozenset())
    )
