"""How long the clinic keeps a lead's personal details: closed leads are anonymised.

The row stays, stripped to its source, status and dates, so the admin
dashboard's conversion rates still count it; the person's details, their health
details, the staff notes about them, every historical copy of the lead and the read log of
who looked at it go; so do the before-visit forms of the lead's appointments (with their
measure answers and consent signatures), which are its health details too, its home
exercise programmes with their versions and logged sessions, and its waitlist entries.
"""

from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from intake.models import Lead, LeadNote, PreVisit, Programme, ReadLogEntry, WaitlistEntry
from intake.models.leads import CLOSED_STATUSES, LeadQuerySet


def due_for_anonymising(*, unchanged_since: datetime) -> LeadQuerySet:
    """Closed leads nobody has changed since the cut-off and not yet anonymised."""
    return Lead.objects.filter(
        status__in=CLOSED_STATUSES,
        updated_at__lt=unchanged_since,
        anonymised_at__isnull=True,
    ).order_by("pk")


def anonymise_leads(*, leads: LeadQuerySet) -> tuple[int, int]:
    """Remove the person from these leads; returns (leads anonymised, history rows deleted)."""
    with transaction.atomic():
        ids = list(leads.values_list("pk", flat=True))
        LeadNote.objects.filter(lead_id__in=ids).delete()
        # Who read the details is kept as long as the details are.
        ReadLogEntry.objects.filter(lead_id__in=ids).delete()
        # Deleting a form deletes its measure responses and signatures (on_delete CASCADE).
        PreVisit.objects.filter(appointment__lead_id__in=ids).delete()
        # A home programme's versions and logs go with it (CASCADE): health data too.
        Programme.objects.filter(Q(lead_id__in=ids) | Q(appointment__lead_id__in=ids)).delete()
        # A waitlist entry holds the person's name, email and phone too.
        WaitlistEntry.objects.filter(lead_id__in=ids).delete()
        history_deleted, _ = Lead.history.filter(id__in=ids).delete()
        # The admin's own action log names the lead; keep who did what, drop the name.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Lead),
            object_id__in=[str(pk) for pk in ids],
        ).update(object_repr="Anonymised lead")
        # update() writes no new history row, so no copy of the details is left.
        Lead.objects.filter(pk__in=ids).update(
            name="",
            email="",
            phone="",
            message="",
            preferred_contact_method="",
            preferred_time="",
            activity="",
            body_area="",
            triage_outcome="",
            triage_rule="",
            answers=[],
            follow_up_due=None,
            duplicate_of=None,
            anonymised_at=timezone.now(),
        )
    return len(ids), history_deleted
