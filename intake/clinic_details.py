"""The clinic's details as every page, email and calendar file reads them.

Every page shows them (the footer), so reading the record must not cost each
request a query: each worker keeps the details it read for up to
CLINIC_DETAILS_SECONDS (60 by default). Saving or deleting the record or an opening
period (from the admin, the shell or a migration alike) forgets this worker's copy at
once; other workers pick the edit up within that time. The copy is a plain frozen
value, so a template or task cannot change it. Until staff edit anything, the
details are settings.CLINIC's: the one place the phone number and city are written.

Pages kept for every visitor under a content version (`education/page_cache.py`) cannot
wait those 60 seconds: an edit of the details moves the version (the models' own
save and delete, in the edit's transaction), and a worker that
rendered the page with details read before the edit would keep the old phone number for
as long as the version lasts. Such pages pass the version they were read under, and a copy
read under another version (or without one) is read again.
"""

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from intake.models.booking import Weekday

if TYPE_CHECKING:
    from intake.models import ClinicDetails

SECONDS = int(getattr(settings, "CLINIC_DETAILS_SECONDS", 60))
# The site's hours list the next few closures, this far ahead.
CLOSURES_SHOWN, CLOSURES_SHOWN_DAYS = 4, 90


@dataclass(frozen=True)
class ClinicInfo:
    """What patients are told about the clinic: fixed facts from settings plus the
    record staff edit."""

    name: str
    short_name: str
    country: str
    city: str
    region: str
    phone_display: str
    phone_e164: str
    street_address: str = ""
    postal_code: str = ""
    email: str = ""
    parking_notes: str = ""
    transit_notes: str = ""
    map_url: str = ""
    # ((weekday number, "Monday", "07:00", "18:00"), ...) in week order.
    hours: tuple[tuple[int, str, str, str], ...] = field(default_factory=tuple)
    # ((first day, last day, reason), ...): the next closures, soonest first.
    closures: tuple[tuple[date, date, str], ...] = field(default_factory=tuple)

    @property
    def address_line(self) -> str:
        """ "1234 Example St, Madison, WI 53703", or just "Madison, WI" until staff enter it."""
        town = f"{self.city}, {self.region}"
        if self.postal_code:
            town = f"{town} {self.postal_code}"
        return f"{self.street_address}, {town}" if self.street_address else town

    @property
    def location_line(self) -> str:
        """The clinic's name and address, for a calendar file's LOCATION."""
        return f"{self.name}, {self.address_line}"

    @property
    def hours_by_day(self) -> list[tuple[str, str]]:
        """[("Monday", "7:00 AM to 6:00 PM"), ("Sunday", "Closed"), ...] for people."""
        days = []
        for number, label in Weekday.choices:
            periods = [
                f"{_clock(opens)} to {_clock(closes)}"
                for day, _, opens, closes in self.hours
                if day == number
            ]
            days.append((label, ", ".join(periods) or "Closed"))
        return days

    def closures_ahead(self) -> list[tuple[date, date, str]]:
        """Closures not over yet that start in the next CLOSURES_SHOWN_DAYS, judged today
        (a kept page may be a day old), soonest first."""
        today = timezone.localdate()
        return [
            (first, last, reason)
            for first, last, reason in self.closures
            if last >= today and first <= today + timedelta(days=CLOSURES_SHOWN_DAYS)
        ][:CLOSURES_SHOWN]

    @property
    def upcoming_closures(self) -> list[str]:
        """["Closed Fri Dec 25: Christmas Day", ...] for people."""
        from intake.times import day_range

        return [
            f"Closed {day_range(first, last)}: {reason}"
            for first, last, reason in self.closures_ahead()
        ]


def clinic_details(*, content_version: str | None = None) -> ClinicInfo:
    """The clinic's details, from this worker's copy when it is fresh enough and, for a
    page kept under `content_version`, was read under that version."""
    global _copy
    now = time.monotonic()
    if (
        _copy is None
        or _copy.expires <= now
        or (content_version is not None and _copy.content_version != content_version)
    ):
        _copy = _Copy(now + SECONDS, content_version, _read())
    return _copy.info


def first_working_weekday() -> int:
    """The weekday (Monday 0) the clinic's week starts on: its first open day, Monday
    while no opening hours are entered. Patients' time pages and the owner's figures
    page by the same weeks."""
    return min((day for day, *_ in clinic_details().hours), default=0)


def clinic_details_without_the_database() -> ClinicInfo:
    """This worker's last copy, however old, or what settings know: for the page shown
    while the database is failing, which must not ask it again."""
    return _copy.info if _copy is not None else from_settings()


def forget_clinic_details(info: ClinicInfo | None = None) -> None:
    """Drop this worker's copy (after an edit), or set it to `info` (tests start clean)."""
    global _copy
    _copy = None if info is None else _Copy(time.monotonic() + SECONDS, None, info)


def from_settings(**record) -> ClinicInfo:
    """The details before staff edit anything: the facts settings know, and `record`."""
    clinic = settings.CLINIC
    record.setdefault("email", settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">"))
    for name in ("city", "region", "phone_display", "phone_e164"):
        record.setdefault(name, clinic[name])
    return ClinicInfo(
        name=clinic["name"], short_name=clinic["short_name"], country=clinic["country"], **record
    )


def the_record() -> "ClinicDetails":
    """The one record staff edit, created with settings' details the first time it is asked for."""
    from intake.models import ClinicDetails

    record, _ = ClinicDetails.objects.get_or_create(pk=1)
    return record


@dataclass(frozen=True)
class _Copy:
    expires: float  # time.monotonic()
    content_version: str | None
    info: ClinicInfo


_copy: _Copy | None = None


def _read() -> ClinicInfo:
    from intake.models import ClinicClosure, ClinicDetails

    closures = tuple(
        ClinicClosure.objects.upcoming(timezone.localdate() - timedelta(days=1)).values_list(
            "start_date", "end_date", "reason"
        )[: CLOSURES_SHOWN + 2]
    )
    record = ClinicDetails.objects.filter(pk=1).prefetch_related("hours").first()
    if record is None:
        return from_settings(closures=closures)
    return from_settings(
        closures=closures,
        city=record.city,
        region=record.region,
        street_address=record.street_address,
        postal_code=record.postal_code,
        phone_display=record.phone_display,
        phone_e164=record.phone_e164,
        email=record.email,
        parking_notes=record.parking_notes,
        transit_notes=record.transit_notes,
        map_url=record.map_url,
        hours=tuple(
            (h.weekday, h.get_weekday_display(), f"{h.opens:%H:%M}", f"{h.closes:%H:%M}")
            for h in record.hours.all()
        ),
    )


def _clock(hhmm: str) -> str:
    hour, minute = (int(part) for part in hhmm.split(":"))
    suffix = "AM" if hour < 12 else "PM"
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {suffix}"
