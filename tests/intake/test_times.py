"""Every time patients and staff read is written by intake.times, naming the clinic's zone."""

from datetime import UTC, datetime

from intake import times


def test_a_patients_time_names_the_zone_in_winter_and_summer():
    assert times.when(datetime(2026, 1, 10, 15, tzinfo=UTC)) == (
        "Saturday, January 10, 2026 at 9:00 AM Central Time (CST)"
    )
    assert times.when(datetime(2026, 7, 10, 14, 30, tzinfo=UTC)) == (
        "Friday, July 10, 2026 at 9:30 AM Central Time (CDT)"
    )


def test_the_zones_name_comes_from_the_zone_not_from_a_sentence(settings):
    """A clinic in another zone changes one setting, and every page and email follows."""
    settings.TIME_ZONE = "America/Denver"
    assert times.when(datetime(2026, 1, 10, 16, tzinfo=UTC)) == (
        "Saturday, January 10, 2026 at 9:00 AM Mountain Time (MST)"
    )
    settings.TIME_ZONE = "Europe/Berlin"
    assert times.zone_name(datetime(2026, 1, 10, 16, tzinfo=UTC)) == "Europe/Berlin time"


def test_staff_read_the_day_and_the_clock_without_leading_zeros():
    moment = datetime(2026, 3, 10, 14, tzinfo=UTC)
    assert times.day_and_clock(moment) == "Tuesday, March 10 at 9:00 AM"
    assert times.short(moment) == "Tue Mar 10 at 9:00 AM"
    assert times.clock(moment) == "9:00 AM"
