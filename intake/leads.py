"""Leads: how one comes in, how its status moves, and who read or exported it.

The contact form calls `record_lead`, and so does the admin when the front desk
types in a caller. Everything happens in one transaction: the lead, its
self-check answers, the duplicate flag, the urgent follow-up date and the two
emails queued for the worker. Either all of it is kept or none of it is, so a
request can never be saved without the front desk hearing of it. A booking
joins the person's open lead instead (`record_booking_lead`).

A lead's status moves only through the named transitions here: `mark_contacted`,
`mark_needs_follow_up` and `close` (the admin's actions), and
`lead_after_appointment`, the one place that moves a lead when one of its
appointments is booked, cancelled, completed or missed, whoever made the change
(the patient online, the front desk in the admin, a clinician on the Today page),
so the lead list always says who needs a call.
"""

import enum
import logging
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TypedDict

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from intake import emails, times
from intake.models import (
    Appointment,
    Lead,
    LeadNote,
    LeadSource,
    LeadStatus,
    ReadAction,
    ReadLogEntry,
    TriageOutcome,
)
from intake.models.leads import (
    CLOSED_STATUSES,
    IS_OPEN,
    URGENT_OUTCOMES,
    LeadExport,
    is_overdue,
)
from intake.selfcheck import SelfCheckHandoff

logger = logging.getLogger(__name__)

# After a contact request, the booking form starts with the same name, email and
# phone. Contact details only (no message, no answers), so the server-side
# session may hold them.
CONTACT_DETAILS_SESSION_KEY = "intake.contact_details"


class LeadDetails(TypedDict):
    """What the contact form hands `record_lead`: the type checker matches each key to
    the function's keywords, so a misspelt or missing one fails `make lint`."""

    name: str
    email: str
    phone: str
    preferred_contact_method: str
    preferred_time: str
    activity: str
    body_area: str
    message: str
    heard_about: str
    source: LeadSource
    handoff: SelfCheckHandoff | None
    consented: bool
    submission_key: uuid.UUID


def record_lead(
    *,
    name: str,
    email: str,
    source: LeadSource,
    submission_key: uuid.UUID | None = None,
    phone: str = "",
    preferred_contact_method: str = "",
    preferred_time: str = "",
    activity: str = "",
    body_area: str = "",
    message: str = "",
    heard_about: str = "",
    consented: bool = False,
    handoff: SelfCheckHandoff | None = None,
    triage_outcome: str = "",
    assigned_to: User | None = None,
    follow_up_due: date | None = None,
    duplicate_of: Lead | None = None,
    note: str = "",
    acknowledge: bool = True,
) -> Lead:
    """Save a lead and queue its emails; with a `submission_key` already used, return that lead.

    `handoff` attaches the self-check answers, outcome and rule the person chose
    to send. Staff typing in a caller pass what they know instead: the
    `triage_outcome` when the caller described a red flag (the lead is then urgent,
    as online), whom it is `assigned_to`, a `follow_up_due` date (an urgent lead
    without one is due today), and `duplicate_of` when they already know the
    earlier lead (else it is looked for, as online). `note` adds a first staff
    note. `acknowledge=False` skips the email to the person.
    """
    with transaction.atomic():
        if submission_key is not None:
            existing = Lead.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing
        lead = Lead(
            name=name,
            email=email,
            phone=phone,
            preferred_contact_method=preferred_contact_method,
            preferred_time=preferred_time,
            activity=activity,
            body_area=body_area,
            message=message,
            heard_about=heard_about,
            consent_at=timezone.now() if consented else None,
            source=source,
            submission_key=submission_key,
            assigned_to=assigned_to,
            follow_up_due=follow_up_due,
            triage_outcome=triage_outcome if triage_outcome in TriageOutcome else "",
            duplicate_of=duplicate_of or Lead.objects.earliest_open_match(email=email, phone=phone),
        )
        _attach_selfcheck(lead, handoff)
        if lead.triage_outcome in URGENT_OUTCOMES and follow_up_due is None:
            # The self-check said see a doctor (or 911): someone calls them today.
            lead.follow_up_due = business_day(timezone.localdate())
        try:
            with transaction.atomic():
                lead.save()
        except IntegrityError:
            # The same form, sent twice at once: the other request saved it first.
            if submission_key is None:
                raise
            return Lead.objects.get(submission_key=submission_key)
        if note:
            LeadNote.objects.create(lead=lead, text=note)
        emails.queue_lead_emails(lead, acknowledge=acknowledge)
    logger.info("Lead %s recorded from %s", lead.pk, lead.source)
    return lead


def mark_contacted(*, leads: Iterable[Lead], by: User) -> list[Lead]:
    """New leads move to Contacted (the first call was made); any other status stays, so a
    lead never moves backwards. Returns the leads moved; their history names `by`."""
    return _move(leads, {LeadStatus.NEW}, LeadStatus.CONTACTED, by=by, reason="Marked contacted")


def mark_needs_follow_up(*, leads: Iterable[Lead], by: User) -> list[Lead]:
    """Open leads that need another call (set its date on the lead); closed ones stay closed."""
    return _move(leads, _OPEN, LeadStatus.FOLLOW_UP, by=by, reason="Needs a follow-up call")


def close(*, leads: Iterable[Lead], outcome: LeadStatus, by: User) -> list[Lead]:
    """Close open leads as a patient, not a fit, or no response: nothing more to chase, so
    their follow-up date goes; leads already closed keep the outcome they have."""
    if outcome not in CLOSED_STATUSES:
        raise ValueError(f"{outcome} does not close a lead")
    return _move(leads, _OPEN, outcome, by=by, reason=f"Closed: {outcome.label}")


_OPEN = set(LeadStatus) - set(CLOSED_STATUSES)


def _move(
    leads: Iterable[Lead],
    allowed_from: set[LeadStatus],
    to: LeadStatus,
    *,
    by: User,
    reason: str,
) -> list[Lead]:
    moved = [lead for lead in leads if lead.status in allowed_from and lead.status != to]
    for lead in moved:
        lead.status = to
        if to in CLOSED_STATUSES:
            lead.follow_up_due = None
    _save_with_history(moved, ["status", "follow_up_due"], by=by, reason=reason)
    return moved


def assign(*, leads: Iterable[Lead], to: User, by: User) -> list[Lead]:
    """Give the leads to one staff member to follow up; their history names `by`."""
    assigned = list(leads)
    for lead in assigned:
        lead.assigned_to = to
    _save_with_history(assigned, ["assigned_to"], by=by, reason="Assigned")
    return assigned


def _save_with_history(leads: list[Lead], fields: list[str], *, by: User, reason: str) -> None:
    now = timezone.now()
    for lead in leads:
        lead.updated_at = now
    bulk_update_with_history(
        leads, Lead, [*fields, "updated_at"], default_user=by, default_change_reason=reason
    )


def record_read(
    *, lead_id: int, user: User, action: ReadAction = ReadAction.VIEWED
) -> ReadLogEntry:
    """A staff member was shown the lead's health details (its page, an earlier version)."""
    return ReadLogEntry.objects.create(lead_id=lead_id, user=user, action=action)


def record_export(*, leads: list[Lead], by: User) -> LeadExport:
    """Log a CSV export: one export row and one read-log row per lead, all or none."""
    with transaction.atomic():
        export = LeadExport.objects.create(exported_by=by, row_count=len(leads))
        ReadLogEntry.objects.bulk_create(
            ReadLogEntry(lead=lead, user=by, action=ReadAction.EXPORTED) for lead in leads
        )
    return export


def add_note(*, lead: Lead, text: str, author: User | None = None) -> LeadNote:
    """A staff note on the lead's follow-up record; notes are added, never rewritten."""
    return LeadNote.objects.create(lead=lead, text=text, author=author)


def record_booking_lead(
    *,
    name: str,
    email: str,
    phone: str,
    message: str,
    handoff: SelfCheckHandoff | None,
    lead: Lead | None = None,
) -> Lead:
    """Move the person's open lead (same email or phone) to Scheduled, or start one.

    A booking advances the pipeline rather than opening a second lead for someone
    the front desk is already working. `lead` is the one staff booked from (its
    "Book a visit" button): that lead follows, even when the caller's email or phone
    changed since. No lead email: the booking sends its own. Call it inside the
    booking's transaction.
    """
    if lead is None:
        lead = Lead.objects.earliest_open_match(email=email, phone=phone)
    if lead is None:
        lead = Lead(name=name, email=email, phone=phone, message=message, source=LeadSource.BOOKING)
    else:
        lead.phone = lead.phone or phone
        if message:
            LeadNote.objects.create(lead=lead, text=f"Message sent with a booking:\n{message}")
    _attach_selfcheck(lead, handoff)
    return lead_after_appointment(lead=lead, event=AppointmentEvent.BOOKED)


def record_waitlist_lead(
    *, name: str, email: str, phone: str, visit_type: str, lead: Lead | None = None
) -> Lead:
    """The lead a patient joining the waitlist belongs to, with a note saying they joined:
    `lead` when it is known (staff on its page, a booked visit's lead), else their open
    lead (same email or phone), else a new one. So the front desk sees who is waiting, and
    the entry is purged with the person's details (`intake.retention`). No lead email: the
    join sends its own. Call it inside the join's transaction."""
    lead = lead or Lead.objects.earliest_open_match(email=email, phone=phone)
    if lead is None:
        lead = Lead.objects.create(name=name, email=email, phone=phone, source=LeadSource.WAITLIST)
    _note(lead, f"Joined the waitlist for {visit_type}.")
    return lead


class AppointmentEvent(enum.StrEnum):
    """What happened to one of a lead's appointments."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    # Its outcome was undone or corrected away: the visit counts as on again.
    REOPENED = "reopened"


def lead_after_appointment(
    *,
    lead: Lead,
    event: AppointmentEvent,
    appointment: Appointment | None = None,
    now: datetime | None = None,
) -> Lead:
    """Move the lead on after `event` happened to `appointment` (one of its own); save it.

    Booked: Scheduled, nothing to chase. Cancelled, with no other appointment ahead:
    needs a follow-up call by the next business day. Completed: became a patient.
    No-show: needs a follow-up call today. Each change leaves a note saying why, so
    whoever makes the call knows what happened. A closed lead only moves to "became
    a patient"; a cancellation while another visit is still booked changes nothing.
    Call it inside the transaction that changed the appointment.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    visit = _describe(appointment)
    if event == AppointmentEvent.BOOKED:
        if lead.status != LeadStatus.BECAME_PATIENT:
            lead.status = LeadStatus.SCHEDULED
            lead.follow_up_due = None
    elif event == AppointmentEvent.COMPLETED:
        lead.status = LeadStatus.BECAME_PATIENT
        lead.follow_up_due = None
        _note(lead, f"Came to {visit}.")
    elif event == AppointmentEvent.REOPENED:
        # An outcome recorded by mistake: the lead goes back to what the visit made it,
        # unless another visit already made them a patient.
        others_completed = (
            appointment is not None
            and lead.appointments.filter(status="completed").exclude(pk=appointment.pk).exists()
        )
        if not others_completed:
            lead.status = LeadStatus.SCHEDULED
            lead.follow_up_due = None
        _note(lead, f"The outcome of {visit} was taken back.")
    elif not lead.is_open:
        pass
    elif event == AppointmentEvent.CANCELLED:
        if lead.pk and lead.appointments.active().filter(start__gt=now).exists():
            _note(lead, f"Cancelled {visit}; another visit is still booked.")
            return lead
        lead.status = LeadStatus.FOLLOW_UP
        lead.follow_up_due = business_day(today + timedelta(days=1))
        _note(lead, f"Cancelled {visit} and has nothing else booked: call to rebook.")
    elif event == AppointmentEvent.NO_SHOW:
        lead.status = LeadStatus.FOLLOW_UP
        lead.follow_up_due = business_day(today)
        _note(lead, f"Did not come to {visit}: call them today.")
    lead.save()
    return lead


def business_day(day: date) -> date:
    """`day`, or the Monday after when it falls on a weekend (the clinic's phones are off)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _describe(appointment: Appointment | None) -> str:
    if appointment is None:
        return "a visit"
    return f"the {appointment.appointment_type.name} on {times.short(appointment.start)}"


def _note(lead: Lead, text: str) -> None:
    if lead.pk:
        LeadNote.objects.create(lead=lead, text=text)


def _attach_selfcheck(lead: Lead, handoff: SelfCheckHandoff | None) -> None:
    """The answers, outcome and rule the person chose to send; an unknown outcome is dropped."""
    if handoff is None:
        return
    lead.answers = list(handoff.answers)
    lead.triage_outcome = handoff.outcome if handoff.outcome in TriageOutcome else ""
    lead.triage_rule = handoff.rule[:200]


def dashboard_figures(now: datetime) -> dict:
    """What the front desk sees first on the admin index, in two queries."""
    today = timezone.localdate(now)
    week_start = timezone.make_aware(
        datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time())
    )
    counts = Lead.objects.aggregate(
        new_this_week=Count("pk", filter=Q(created_at__gte=week_start)),
        overdue=Count("pk", filter=is_overdue(today)),
        open=Count("pk", filter=IS_OPEN),
    )
    conversion = Lead.objects.conversion_by_source()
    return {**counts, "week_start": week_start, "conversion": conversion}
