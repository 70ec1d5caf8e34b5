"""Limits on online booking, so a script cannot fill a clinician's week.

Two limits, both from settings: bookings per client address per window (counted
by intake.ratelimit, so every worker shares the count), and upcoming visits per
email address and per phone number. Only the patient's online path applies them;
staff booking for a patient at the desk are never limited.

The upcoming-visits count is read before booking, not inside its transaction: two
bookings sent at the same moment may both pass, which a limit of "a few" can
afford, and it keeps booking's own transaction as short as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from intake import ratelimit
from intake.models import Appointment

if TYPE_CHECKING:  # intake.booking applies these limits, so it imports this module
    from intake.booking import Patient


class LimitReached(StrEnum):
    ADDRESS = "address"  # too many bookings from one connection this hour
    UPCOMING = "upcoming"  # this email or phone already holds the most upcoming visits


@dataclass(frozen=True)
class Refusal:
    """Which limit a booking would pass, and for the address limit when to try again."""

    reached: LimitReached
    retry_after: int = 0


class OverLimit(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.reached)
        self.refusal = refusal


def limit_reached(*, patient: Patient, client: str | None = None) -> Refusal | None:
    """The limit this online booking would pass, or None.

    The check page asks without a `client` (only the patient's upcoming visits); the
    confirm step passes the client's key, which also counts the attempt against it.
    """
    if upcoming_limit_reached(patient=patient):
        return Refusal(LimitReached.UPCOMING)
    if client is not None:
        verdict = count_booking(client=client)
        if not verdict.allowed:
            return Refusal(LimitReached.ADDRESS, verdict.retry_after)
    return None


def upcoming_limit_reached(*, patient: Patient, now: datetime | None = None) -> bool:
    """Whether the patient's email or phone already holds the most upcoming visits."""
    upcoming = Appointment.objects.upcoming(now or timezone.now())
    by_email = upcoming.filter(patient_email__iexact=patient.email)
    by_phone = upcoming.filter(patient_phone=patient.phone)
    return (
        by_email.count() >= settings.BOOKING_MAX_UPCOMING_PER_EMAIL
        or by_phone.count() >= settings.BOOKING_MAX_UPCOMING_PER_PHONE
    )


def count_booking(*, client: str) -> ratelimit.Verdict:
    """Count one booking attempt from `client` (see ratelimit.client_key)."""
    return ratelimit.hit(
        "booking",
        client,
        limit=settings.BOOKING_RATE_LIMIT,
        window=settings.BOOKING_RATE_WINDOW,
    )
