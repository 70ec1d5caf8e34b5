"""Leads: how one comes in from outside, and how it follows its appointments.

The contact form calls `record_lead`, and so does booking. Everything happens
in one transaction: the lead, its self-check answers, the duplicate flag and the
two emails queued for the worker. Either all of it is kept or none of it is, so
a request can never be saved without the front desk hearing of it.

`lead_after_appointment` is the one place that moves a lead when one of its
appointments is booked, cancelled, completed or missed, whoever made the change
(the patient online, the front desk in the admin, a clinician on the Today page),
so the lead list always says who needs a call.
"""

import enum
import logging
import uuid
from datetime import date, datetime, timedelta
from typing import TypedDict

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from intake import emails
from intake.models import Appointment, Lead, LeadNote, LeadSource, LeadStatus, TriageOutcome
from intake.models.booking import clinic_tz
from intake.models.leads import IS_OPEN, URGENT_OUTCOMES, is_overdue
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
    note: str = "",
    acknowledge: bool = True,
) -> Lead:
    """Save a lead and queue its emails; with a `submission_key` already used, return that lead.

    `handoff` attaches the self-check answers, outcome and rule the person chose
    to send. `note` adds a first staff note (booking: the appointment it came
    from). `acknowledge=False` skips the email to the person, for callers that
    send their own confirmation.
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
            duplicate_of=Lead.objects.earliest_open_match(email=email, phone=phone),
        )
        _attach_selfcheck(lead, handoff)
        if lead.triage_outcome in URGENT_OUTCOMES:
            # The self-check said see a doctor (or 911): someone calls them today.
            lead.follow_up_due = business_day(timezone.localdate(timezone=clinic_tz()))
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


def record_booking_lead(
    *, name: str, email: str, phone: str, message: str, handoff: SelfCheckHandoff | None
) -> Lead:
    """Move the person's open lead (same email or phone) to Scheduled, or start one.

    A booking advances the pipeline rather than opening a second lead for someone
    the front desk is already working. No lead email: the booking sends its own.
    Call it inside the booking's transaction.
    """
    lead = Lead.objects.earliest_open_match(email=email, phone=phone)
    if lead is None:
        lead = Lead(name=name, email=email, phone=phone, message=message, source=LeadSource.BOOKING)
    else:
        lead.phone = lead.phone or phone
        if message:
            LeadNote.objects.create(lead=lead, text=f"Message sent with a booking:\n{message}")
    _attach_selfcheck(lead, handoff)
    return lead_after_appointment(lead=lead, event=AppointmentEvent.BOOKED)


class AppointmentEvent(enum.StrEnum):
    """What happened to one of a lead's appointments."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


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
    today = timezone.localdate(now, timezone=clinic_tz())
    visit = _describe(appointment)
    if event == AppointmentEvent.BOOKED:
        if lead.status != LeadStatus.BECAME_PATIENT:
            lead.status = LeadStatus.SCHEDULED
            lead.follow_up_due = None
    elif event == AppointmentEvent.COMPLETED:
        lead.status = LeadStatus.BECAME_PATIENT
        lead.follow_up_due = None
        _note(lead, f"Came to {visit}.")
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
    local = timezone.localtime(appointment.start, clinic_tz())
    hour = local.strftime("%I:%M %p").lstrip("0")
    return f"the {appointment.appointment_type.name} on {local:%a %b} {local.day} at {hour}"


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
    by_source = {
        row["source"]: row
        for row in Lead.objects.values("source")
        .annotate(
            total=Count("pk"),
            converted=Count("pk", filter=Q(status=LeadStatus.BECAME_PATIENT)),
        )
        .order_by()
    }
    conversion = []
    for source in LeadSource:
        row = by_source.get(source.value, {"total": 0, "converted": 0})
        rate = round(100 * row["converted"] / row["total"]) if row["total"] else None
        conversion.append(
            {
                "source": source.label,
                "total": row["total"],
                "converted": row["converted"],
                "rate": rate,
            }
        )
    return {**counts, "week_start": week_start, "conversion": conversion}
