"""The adherence arithmetic (intake.adherence): pure functions over dates."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from intake.adherence import (
    Adherence,
    PlanPeriod,
    adherence,
    days_per_week,
    last_days,
    planned_days,
    planned_weekdays,
    rtm_band,
    rtm_days,
    session_day,
    this_week,
)

CHICAGO = ZoneInfo("America/Chicago")
MONDAY = date(2026, 3, 2)  # a Monday


def daily(start: date = MONDAY) -> list[PlanPeriod]:
    return [PlanPeriod(start=start, days_per_week=7)]


def weekly(times: int, start: date = MONDAY) -> list[PlanPeriod]:
    return [PlanPeriod(start=start, days_per_week=times)]


def test_a_daily_dose_plans_every_day_the_programme_ran():
    assert planned_days(periods=daily(), first=MONDAY, last=MONDAY + timedelta(days=6)) == 7
    # Days before the start plan nothing.
    assert (
        planned_days(
            periods=daily(MONDAY + timedelta(days=3)), first=MONDAY, last=MONDAY + timedelta(days=6)
        )
        == 4
    )


def test_a_weekly_dose_plans_its_times_in_a_whole_week_and_a_share_of_a_part_week():
    assert planned_days(periods=weekly(3), first=MONDAY, last=MONDAY + timedelta(days=6)) == 3
    # Two days of a 3-a-week dose: 6/7 of a day, rounded half up to 1.
    assert planned_days(periods=weekly(3), first=MONDAY, last=MONDAY + timedelta(days=1)) == 1
    # 30 days of 3 a week: 90/7 = 12.86, so 13.
    assert planned_days(periods=weekly(3), first=MONDAY, last=MONDAY + timedelta(days=29)) == 13


def test_a_daily_exercise_makes_every_day_a_session_day_however_often_a_day():
    assert days_per_week([(3, "week"), (2, "day")]) == 7
    assert days_per_week([(3, "week"), (4, "week")]) == 4
    assert days_per_week([]) == 0


def test_logged_days_beyond_the_plan_do_not_count():
    logged = [MONDAY + timedelta(days=n) for n in range(6)]  # 6 days of a 3-a-week dose
    result = adherence(
        periods=weekly(3), logged=logged, first=MONDAY, last=MONDAY + timedelta(days=6)
    )
    assert result == Adherence(logged=3, planned=3)
    assert result.percent == 100


def test_the_patients_week_runs_monday_to_sunday_and_starts_afresh_on_monday():
    logged = [MONDAY + timedelta(days=n) for n in (0, 1, 2, 3, 4)]  # Mon-Fri
    sunday = MONDAY + timedelta(days=6)
    assert this_week(periods=daily(), logged=logged, today=sunday) == Adherence(5, 7)
    next_monday = MONDAY + timedelta(days=7)
    assert this_week(periods=daily(), logged=logged, today=next_monday) == Adherence(0, 7)
    # The clinician's last 7 days on that Monday reach back over the boundary.
    assert last_days(periods=daily(), logged=logged, today=next_monday, days=7) == Adherence(4, 7)


def test_a_weekly_dose_across_a_week_boundary_counts_each_part_week_at_its_share():
    # Friday to Thursday: 3 days of one week and 4 of the next, 3 a week: 21/7 = 3.
    friday = MONDAY + timedelta(days=4)
    thursday = friday + timedelta(days=6)
    logged = [friday, MONDAY + timedelta(days=7), MONDAY + timedelta(days=9)]
    assert adherence(periods=weekly(3), logged=logged, first=friday, last=thursday) == Adherence(
        3, 3
    )


def test_a_change_of_dose_mid_week_counts_each_part_at_its_own_rate():
    periods = [PlanPeriod(MONDAY, 7), PlanPeriod(MONDAY + timedelta(days=4), 3)]
    # Mon-Thu daily (4 days) + Fri-Sun at 3 a week (9/7 = 1.29): 5.29, so 5.
    assert planned_days(periods=periods, first=MONDAY, last=MONDAY + timedelta(days=6)) == 5


def test_an_ended_programme_plans_nothing_from_its_end_day():
    ended = MONDAY + timedelta(days=3)
    assert (
        planned_days(periods=daily(), first=MONDAY, last=MONDAY + timedelta(days=6), ended_on=ended)
        == 3
    )


def test_nothing_planned_reads_as_such_not_as_zero_percent():
    result = adherence(periods=[], logged=[], first=MONDAY, last=MONDAY)
    assert result.percent is None
    assert result.describe() == "nothing planned yet"
    assert Adherence(5, 7).describe() == "5 of 7 planned days (71%)"


def test_a_tap_late_on_the_night_clocks_go_back_counts_for_that_evening():
    # November 1, 2026: CDT ends at 2:00. 23:30 CST that night is 05:30 UTC next day.
    late = datetime(2026, 11, 2, 5, 30, tzinfo=UTC)
    assert session_day(late, CHICAGO) == date(2026, 11, 1)
    # And a tap just after midnight on the night clocks go forward (March 8, 2026).
    early = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)  # 00:30 CST
    assert session_day(early, CHICAGO) == date(2026, 3, 8)


def test_a_week_holding_a_clock_change_still_plans_seven_days():
    dst_week = date(2026, 3, 2) + timedelta(days=7)  # Monday March 9; clocks changed the 8th
    sunday_of_change = date(2026, 3, 8)
    logged = [sunday_of_change - timedelta(days=n) for n in range(7)]
    assert this_week(periods=daily(), logged=logged, today=sunday_of_change) == Adherence(7, 7)
    assert this_week(periods=daily(), logged=[], today=dst_week).planned == 7


def test_rtm_counts_days_with_data_in_the_current_30_day_period():
    start = MONDAY
    logged = [start + timedelta(days=n) for n in (0, 1, 2, 29, 30, 31)]
    assert rtm_days(logged=logged, started_on=start, today=start + timedelta(days=10)) == (4, start)
    assert rtm_days(logged=logged, started_on=start, today=start + timedelta(days=31)) == (
        2,
        start + timedelta(days=30),
    )
    assert [rtm_band(n) for n in (0, 1, 2, 15, 16, 30)] == [
        "fewer than 2",
        "fewer than 2",
        "2–15 days",
        "2–15 days",
        "16 or more",
        "16 or more",
    ]


def test_reminder_days_spread_a_weekly_dose_over_the_week():
    assert planned_weekdays(7) == frozenset(range(7))
    assert planned_weekdays(3) == frozenset({0, 2, 4})
    assert planned_weekdays(0) == frozenset()
