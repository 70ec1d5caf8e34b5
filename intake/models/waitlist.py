"""The waitlist: patients who asked to hear when a suitable time frees, the times that
freed, and the offers sent for them.

An entry is reached by a private link like the appointment's manage link: only the
SHA-256 of its token is stored, and the token is derived again from a per-entry
secret under SECRET_KEY, so every email about the entry carries the same link.
A freed time is one row per cancelled visit; it records the offer rounds and
whether (and when) it was filled, which is what the fill-rate figures count.
"""

import base64
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from phonenumber_field.modelfields import PhoneNumberField

from intake.models.booking import (
    Appointment,
    AppointmentType,
    Clinician,
    hash_manage_token,
)
from intake.times import clinic_zone


def derive_waitlist_token(secret: str, purpose: str) -> str:
    """A private link's token for a row's secret (see `derive_manage_token`)."""
    digest = salted_hmac(f"intake.waitlist.{purpose}", secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class PartOfDay(models.TextChoices):
    """When in the day a visit starts, in clinic local time."""

    MORNING = "morning", "Morning (before noon)"
    MIDDAY = "midday", "Midday (noon to 4 PM)"
    EVENING = "evening", "Late afternoon and evening (4 PM on)"


# Where each part of the day begins (local wall-clock time).
MIDDAY_FROM = time(12)
EVENING_FROM = time(16)


def part_of_day(local_start: datetime) -> PartOfDay:
    clock = local_start.time()
    if clock < MIDDAY_FROM:
        return PartOfDay.MORNING
    if clock < EVENING_FROM:
        return PartOfDay.MIDDAY
    return PartOfDay.EVENING


class WaitlistEntryQuerySet(models.QuerySet):
    def by_token(self, token: str) -> "WaitlistEntryQuerySet":
        return self.filter(token_hash=hash_manage_token(token))

    def for_time(
        self, *, appointment_type: AppointmentType, clinician_id: int, local_day: date
    ) -> "WaitlistEntryQuerySet":
        """Entries whose type, clinician choice and date range admit a time on `local_day`
        with that clinician. Days of the week and parts of the day are `entry.suits`."""
        return self.filter(
            Q(clinician__isnull=True) | Q(clinician_id=clinician_id),
            appointment_type=appointment_type,
            from_date__lte=local_day,
            until_date__gte=local_day,
        ).select_related("appointment_type", "clinician", "appointment")

    def expired(self, today: date) -> "WaitlistEntryQuerySet":
        """Entries past their end date: removed by `purge_expired_entries`."""
        return self.filter(until_date__lt=today)


class WaitlistEntry(models.Model):
    """A patient waiting for an earlier or better time of one visit type."""

    appointment_type = models.ForeignKey(
        AppointmentType,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        help_text="The visit they want.",
    )
    clinician = models.ForeignKey(
        Clinician,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        help_text="Only this clinician; empty for any clinician.",
    )
    weekdays = models.JSONField(
        default=list, help_text="Days of the week that suit (0 is Monday); empty for any day."
    )
    parts_of_day = models.JSONField(
        default=list, help_text="Morning, midday, evening; empty for any time of day."
    )
    from_date = models.DateField(help_text="The earliest date that suits.")
    until_date = models.DateField(
        help_text="The last date that suits. The entry is removed after it."
    )
    name = models.CharField(max_length=120, help_text="The patient's name.")
    email = models.EmailField(help_text="Offers go here. One entry per email and visit type.")
    phone = PhoneNumberField(
        region="US",
        max_length=20,
        help_text="Kept in E.164 form, e.g. +16082184215; any US format may be typed.",
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        help_text="Their booked visit, moved to the offered time when they take it.",
    )
    lead = models.ForeignKey(
        "intake.Lead",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        help_text="The person's lead: found by email or phone when they joined, or started "
        "then. The entry is removed when the lead's details are purged.",
    )
    priority = models.PositiveSmallIntegerField(
        default=0,
        help_text="Set by a clinician: higher numbers are offered first (0 for most).",
    )
    token_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the patient's private waitlist link; the link is not stored.",
    )
    secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, help_text="When they joined.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "created_at"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "appointment_type", name="waitlist_one_entry_per_person_and_type"
            ),
            models.CheckConstraint(
                condition=Q(until_date__gte=models.F("from_date")),
                name="waitlist_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.appointment_type}"

    def issue_token(self) -> str:
        self.secret = secrets.token_urlsafe(32)
        token = derive_waitlist_token(self.secret, "entry")
        self.token_hash = hash_manage_token(token)
        return token

    @property
    def token(self) -> str:
        return derive_waitlist_token(self.secret, "entry")

    def suits(self, start: datetime) -> bool:
        """Whether a visit starting at `start` falls on a chosen day and part of the day."""
        local = start.astimezone(clinic_zone())
        if self.weekdays and local.weekday() not in self.weekdays:
            return False
        return not self.parts_of_day or part_of_day(local) in self.parts_of_day

    def has_later_visit(self, start: datetime) -> bool:
        """Whether taking a time at `start` would move their booked visit earlier."""
        return (
            self.appointment is not None
            and self.appointment.status == "booked"
            and self.appointment.start > start
        )


class FreedTimeStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for the undo buffer or quiet hours"
    OFFERING = "offering", "Offered"
    FILLED = "filled", "Filled from the waitlist"
    GONE = "gone", "No longer free (rebooked, or the cancel was undone)"
    UNFILLED = "unfilled", "Nobody on the waitlist took it"


@dataclass(frozen=True)
class WeekFigures:
    """How well the waitlist filled the times freed in one week (Monday to Sunday)."""

    monday: date
    freed: int
    filled: int
    median_minutes_to_fill: int | None

    @property
    def fill_rate(self) -> int | None:
        """Percent of the week's freed times filled from the waitlist."""
        return round(100 * self.filled / self.freed) if self.freed else None


class FreedTimeQuerySet(models.QuerySet):
    def freed_on(self, day: date) -> "FreedTimeQuerySet":
        """Times freed on the clinic's calendar day, with what the Today page shows."""
        tz = clinic_zone()
        start = datetime.combine(day, time(0), tz)
        return self.filter(
            freed_at__gte=start, freed_at__lt=start + timedelta(days=1)
        ).select_related("clinician", "appointment_type", "filled_by")

    def weekly_figures(self, *, today: date, weeks: int) -> list["WeekFigures"]:
        """Fill rate and median minutes from freeing to filled for each of the last
        `weeks` weeks, newest first, in one query. A time freed but then booked again
        directly, or by a cancel undone, still counts as freed and not filled."""
        tz = clinic_zone()
        first_monday = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
        rows = self.filter(freed_at__gte=datetime.combine(first_monday, time(0), tz)).values_list(
            "freed_at", "filled_at"
        )
        by_week: dict[date, list[float | None]] = {
            first_monday + timedelta(weeks=n): [] for n in range(weeks)
        }
        for freed_at, filled_at in rows:
            day = freed_at.astimezone(tz).date()
            minutes = (filled_at - freed_at).total_seconds() / 60 if filled_at else None
            by_week[day - timedelta(days=day.weekday())].append(minutes)
        figures = []
        for monday, fills in sorted(by_week.items(), reverse=True):
            done = [minutes for minutes in fills if minutes is not None]
            figures.append(
                WeekFigures(
                    monday=monday,
                    freed=len(fills),
                    filled=len(done),
                    median_minutes_to_fill=round(median(done)) if done else None,
                )
            )
        return figures


# A freed time in one of these gets no more offers.
CLOSED_FREED_STATUSES = (FreedTimeStatus.FILLED, FreedTimeStatus.GONE, FreedTimeStatus.UNFILLED)


class FreedTime(models.Model):
    """A visit time that a cancellation freed, and how offering it went."""

    clinician = models.ForeignKey(
        Clinician, on_delete=models.CASCADE, related_name="freed_times", help_text="Whose time."
    )
    appointment_type = models.ForeignKey(
        AppointmentType,
        on_delete=models.CASCADE,
        related_name="freed_times",
        help_text="The type of the cancelled visit: offers go to entries for this type.",
    )
    start = models.DateTimeField(help_text="When the freed visit starts.")
    cancelled = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="freed_times",
        help_text="The visit whose cancellation freed it.",
    )
    freed_at = models.DateTimeField(help_text="When it was cancelled.")
    status = models.CharField(
        max_length=20, choices=FreedTimeStatus, default=FreedTimeStatus.WAITING
    )
    rounds = models.PositiveSmallIntegerField(default=0, help_text="Offer rounds sent so far.")
    filled_by = models.OneToOneField(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filled_freed_time",
        help_text="The visit that took the time from the waitlist.",
    )
    filled_at = models.DateTimeField(null=True, blank=True)

    objects = FreedTimeQuerySet.as_manager()

    class Meta:
        ordering = ["-freed_at"]

    def __str__(self) -> str:
        return f"{self.appointment_type} with {self.clinician} at {self.local_start:%Y-%m-%d %H:%M}"

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.start, clinic_zone())

    def minutes_to_fill(self) -> int | None:
        if self.filled_at is None:
            return None
        return round((self.filled_at - self.freed_at).total_seconds() / 60)


class OfferOutcome(models.TextChoices):
    SENT = "sent", "Sent, waiting"
    ACCEPTED = "accepted", "Took the time"
    DECLINED = "declined", "Said not this one"
    LAPSED = "lapsed", "Hold lapsed"
    TOO_LATE = "too_late", "Someone else took it first"


class WaitlistOfferQuerySet(models.QuerySet):
    def by_token(self, token: str) -> "WaitlistOfferQuerySet":
        return self.filter(token_hash=hash_manage_token(token)).select_related(
            "entry__appointment",
            "freed_time__clinician",
            "freed_time__appointment_type",
            "freed_time__filled_by",
        )


class WaitlistOffer(models.Model):
    """One freed time offered to one entry, with the hold it gives them."""

    freed_time = models.ForeignKey(FreedTime, on_delete=models.CASCADE, related_name="offers")
    # Kept without the entry once it leaves, for the fill-rate figures.
    entry = models.ForeignKey(
        WaitlistEntry, on_delete=models.SET_NULL, null=True, related_name="offers"
    )
    round = models.PositiveSmallIntegerField(help_text="1 for the first round of offers.")
    sent_at = models.DateTimeField()
    hold_until = models.DateTimeField(
        help_text="The claim lapses then; a later accept still books if the time is free."
    )
    outcome = models.CharField(max_length=20, choices=OfferOutcome, default=OfferOutcome.SENT)
    answered_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    secret = models.CharField(max_length=64, editable=False)

    objects = WaitlistOfferQuerySet.as_manager()

    class Meta:
        ordering = ["freed_time", "round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["freed_time", "entry"], name="waitlist_one_offer_per_entry_and_time"
            )
        ]

    def __str__(self) -> str:
        return f"Offer of {self.freed_time} (round {self.round})"

    def issue_token(self) -> str:
        self.secret = secrets.token_urlsafe(32)
        token = derive_waitlist_token(self.secret, "offer")
        self.token_hash = hash_manage_token(token)
        return token

    @property
    def token(self) -> str:
        return derive_waitlist_token(self.secret, "offer")
