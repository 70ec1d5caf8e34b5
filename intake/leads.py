"""Recording a request to be contacted: the one way a Lead comes in from outside.

The contact form calls `record_lead`, and so does booking. Everything happens
in one transaction: the lead, its self-check answers, the duplicate flag and the
two emails queued for the worker. Either all of it is kept or none of it is, so
a request can never be saved without the front desk hearing of it.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from intake.handoff import SelfCheckHandoff
from intake.models import Lead, LeadNote, LeadSource, LeadStatus, TriageOutcome
from intake.models.leads import IS_OPEN, is_overdue
from intake.tasks import send_email

logger = logging.getLogger(__name__)


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
        _queue_emails(lead, acknowledge=acknowledge)
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
    lead.status = LeadStatus.SCHEDULED
    _attach_selfcheck(lead, handoff)
    lead.save()
    return lead


def _attach_selfcheck(lead: Lead, handoff: SelfCheckHandoff | None) -> None:
    """The answers, outcome and rule the person chose to send; an unknown outcome is dropped."""
    if handoff is None:
        return
    lead.answers = list(handoff.answers)
    lead.triage_outcome = handoff.outcome if handoff.outcome in TriageOutcome else ""
    lead.triage_rule = handoff.rule[:200]


def _queue_emails(lead: Lead, *, acknowledge: bool) -> None:
    """Queue the emails about a new lead. Neither holds health details: no message,
    body area, answers or outcome. Staff follow the link to read those in the admin."""
    if acknowledge:
        send_email.enqueue(
            template="lead_acknowledgement",
            to=[lead.email],
            email_context={
                "name": lead.name,
                "contact_method": lead.get_preferred_contact_method_display(),
            },
        )
    send_email.enqueue(
        template="lead_notification",
        to=[settings.CLINIC_NOTIFY_EMAIL],
        email_context={
            "lead_id": lead.pk,
            "admin_url": settings.SITE_URL + reverse("admin:intake_lead_change", args=[lead.pk]),
            "possible_duplicate": lead.duplicate_of_id is not None,
        },
    )


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
