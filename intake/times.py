"""How a time is written for patients and staff: one module, so every page, email and
admin column says the same thing the same way.

Times are stored in UTC and always shown in the clinic's zone (settings.TIME_ZONE,
America/Chicago, which is also Django's current zone: `timezone.localdate()` is the
clinic's date). Patients may read a time from another zone, so what they read names
the zone: "Central Time (CDT)". That name is derived from the zone itself, so a clinic
in another US zone changes one setting, not a dozen sentences.
"""

from datetime import date, datetime, tzinfo

from django.utils import timezone

# The generic names of the US zones, by the first letters their abbreviations share
# (CST and CDT are both "Central").
_GENERIC_NAMES = {
    "E": "Eastern",
    "C": "Central",
    "M": "Mountain",
    "P": "Pacific",
    "AK": "Alaska",
    "H": "Hawaii",
    "HA": "Hawaii",
}


def clinic_zone() -> tzinfo:
    return timezone.get_default_timezone()


def local(moment: datetime) -> datetime:
    """The moment on the clinic's clock."""
    return timezone.localtime(moment, clinic_zone())


def zone_name(moment: datetime | None = None) -> str:
    """ "Central Time" for America/Chicago, whatever the season; the zone's own name
    (say "Europe/Berlin time") where no generic US name fits."""
    abbreviation = local(moment or timezone.now()).tzname() or ""
    generic = _GENERIC_NAMES.get(abbreviation.removesuffix("ST").removesuffix("DT"))
    if generic:
        return f"{generic} Time"
    return f"{getattr(clinic_zone(), 'key', abbreviation)} time"


def clock(moment: datetime) -> str:
    """ "9:00 AM" """
    return local(moment).strftime("%I:%M %p").lstrip("0")


def day_and_clock(moment: datetime) -> str:
    """ "Tuesday, March 10 at 9:00 AM": for staff, who know the year and the zone."""
    moment = local(moment)
    return f"{moment:%A, %B} {moment.day} at {clock(moment)}"


def short(moment: datetime) -> str:
    """ "Tue Mar 10 at 9:00 AM": a lead's note about a visit."""
    moment = local(moment)
    return f"{moment:%a %b} {moment.day} at {clock(moment)}"


def when(moment: datetime) -> str:
    """ "Tuesday, March 10, 2026 at 9:00 AM Central Time (CDT)": what patients read, in a
    page or an email, always naming the zone."""
    moment = local(moment)
    return (
        f"{moment:%A, %B} {moment.day}, {moment.year} at {clock(moment)} "
        f"{zone_name(moment)} ({moment:%Z})"
    )


def day_range(first: date, last: date) -> str:
    """ "Fri Dec 25", or "Thu Dec 24 to Fri Dec 25": a closure's days."""

    def day(value: date) -> str:
        return f"{value:%a %b} {value.day}"

    return day(first) if first == last else f"{day(first)} to {day(last)}"
