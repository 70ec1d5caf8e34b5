"""US federal holidays, computed: what the closures page suggests (never imposes).

Eleven fixed rules (5 U.S.C. 6103) need no library: a date, or the nth (or last) weekday
of a month. A holiday on a Saturday is observed the Friday before, on a Sunday the Monday
after, as federal offices do; the suggestion is the observed day, when a weekday clinic
would close. New Year's Day on a Saturday is observed on December 31 of the year before,
so a year's suggestions are the holidays *observed* in it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

MONDAY, THURSDAY = 0, 3


@dataclass(frozen=True)
class Holiday:
    name: str
    day: date  # the day it is observed
    actual: date  # the calendar date, when it differs (a weekend)

    @property
    def reason(self) -> str:
        """What patients read: "Independence Day (observed)" when moved off a weekend."""
        return f"{self.name} (observed)" if self.day != self.actual else self.name


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _calendar(year: int) -> list[tuple[str, date]]:
    return [
        ("New Year's Day", date(year, 1, 1)),
        ("Martin Luther King Jr. Day", _nth_weekday(year, 1, MONDAY, 3)),
        ("Washington's Birthday", _nth_weekday(year, 2, MONDAY, 3)),
        ("Memorial Day", _last_weekday(year, 5, MONDAY)),
        ("Juneteenth", date(year, 6, 19)),
        ("Independence Day", date(year, 7, 4)),
        ("Labor Day", _nth_weekday(year, 9, MONDAY, 1)),
        ("Columbus Day", _nth_weekday(year, 10, MONDAY, 2)),
        ("Veterans Day", date(year, 11, 11)),
        ("Thanksgiving Day", _nth_weekday(year, 11, THURSDAY, 4)),
        ("Christmas Day", date(year, 12, 25)),
    ]


def federal_holidays(year: int) -> list[Holiday]:
    """The federal holidays observed in `year`, in date order."""
    found = [
        Holiday(name=name, day=_observed(actual), actual=actual)
        for candidate_year in (year, year + 1)
        for name, actual in _calendar(candidate_year)
    ]
    return sorted((h for h in found if h.day.year == year), key=lambda h: h.day)


def holidays_between(first: date, last: date) -> list[Holiday]:
    """The holidays observed from `first` to `last`, both included."""
    return [
        holiday
        for year in range(first.year, last.year + 1)
        for holiday in federal_holidays(year)
        if first <= holiday.day <= last
    ]
