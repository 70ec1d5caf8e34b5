"""Closing the clinic: saving or removing a closure, with what it does to booked visits
and to the waitlist, all or nothing.

A closure over booked visits saves only with staff's choice for each (the form's
StrandedChoices, as time off): cancelled ones go through `cancel_for_schedule_change`,
so each patient is emailed with the nearest free times (found after the closure is
saved, so none falls inside it) and each freed time goes to the waitlist; kept ones stay
as exceptions. Days a closure no longer covers (removed, shortened or moved) are new
hours: the waitlist hears of them through `new_hours_opened`.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from intake import times
from intake.booking import cancel_for_schedule_change
from intake.holidays import Holiday, holidays_between
from intake.models import Appointment, ClinicClosure
from intake.waitlist import new_hours_opened

# Suggested holidays reach this far ahead: "the coming year".
SUGGESTION_DAYS = 365


def save_closure(
    *,
    closure: ClinicClosure,
    cancel: list[Appointment],
    was: tuple[date, date] | None = None,
    now: datetime | None = None,
) -> list[Appointment]:
    """Save the closure and cancel the visits staff chose to cancel; `was` is its dates
    before this edit, whose days it no longer covers open again. Returns the visits
    actually cancelled."""
    with transaction.atomic():
        closure.save()
        cancelled = cancel_for_schedule_change(
            cancel=cancel,
            reason=f"Clinic closed: {closure.reason}",
            now=now,
            why=f"The clinic is closed {closure.dates_text()}: {closure.reason}.",
        )
        if was is not None:
            _reopened(was, keep=(closure.start_date, closure.end_date), now=now)
    return cancelled


def delete_closure(*, closure: ClinicClosure, now: datetime | None = None) -> None:
    """Remove the closure; its days open again, and the waitlist hears of them."""
    with transaction.atomic():
        was = (closure.start_date, closure.end_date)
        closure.delete()
        _reopened(was, keep=None, now=now)


def _reopened(
    was: tuple[date, date], *, keep: tuple[date, date] | None, now: datetime | None
) -> None:
    first, last = was
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if keep is not None:
        days = [day for day in days if not keep[0] <= day <= keep[1]]
    if not days:
        return
    tz = times.clinic_zone()
    start = datetime.combine(days[0], time(), tz)
    end = datetime.combine(days[-1] + timedelta(days=1), time(), tz)
    reopened = set(days)
    new_hours_opened(
        start=start,
        end=end,
        is_new=lambda slot: times.local(slot.start).date() in reopened,
        now=now,
    )


def suggested_holidays(*, today: date | None = None) -> list[Holiday]:
    """Federal holidays in the coming year that no closure covers yet: offered, never
    imposed (a clinic may well open on Columbus Day)."""
    today = today or timezone.localdate()
    holidays = holidays_between(today, today + timedelta(days=SUGGESTION_DAYS))
    if not holidays:
        return []
    closures = list(
        ClinicClosure.objects.filter(
            end_date__gte=holidays[0].day, start_date__lte=holidays[-1].day
        ).values_list("start_date", "end_date")
    )
    return [
        holiday
        for holiday in holidays
        if not any(first <= holiday.day <= last for first, last in closures)
    ]
