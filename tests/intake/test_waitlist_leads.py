"""Every waitlist entry belongs to the person's lead, so the front desk sees who is waiting
and the entry (a name, email and phone) goes when purge_leads anonymises that lead."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from intake.models import Appointment, Lead, LeadSource, LeadStatus, WaitlistEntry
from tests.intake.booking_factories import make_clinician, make_type
from tests.intake.leads_support import make_lead
from tests.intake.waitlist_factories import NOW, freed_at, join

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def visit():
    make_clinician("Dana Lee")
    return make_type(name="Follow-up visit", slug="waited-for")


def test_a_patient_joining_online_is_tied_to_their_open_lead(visit):
    open_lead = make_lead(name="Ana Silva", email="ana@example.com", status=LeadStatus.CONTACTED)

    entry = join(visit, email="ANA@example.com")

    assert entry.lead == open_lead
    assert Lead.objects.count() == 1
    assert list(open_lead.notes.values_list("text", flat=True)) == [
        "Joined the waitlist for Follow-up visit."
    ]


def test_a_stranger_joining_starts_a_waitlist_lead_for_the_front_desk(client, visit):
    client.post(
        "/book/waited-for/waitlist/",
        {
            "clinician": "any",
            "from_date": "2029-12-31",
            "until_date": "2030-01-20",
            "name": "Ana Silva",
            "email": "ana@example.com",
            "phone": "(608) 555-0142",
        },
    )

    entry = WaitlistEntry.objects.get()
    assert entry.lead is not None
    assert (entry.lead.name, entry.lead.email, entry.lead.source) == (
        "Ana Silva",
        "ana@example.com",
        LeadSource.WAITLIST,
    )
    assert entry.lead.status == LeadStatus.NEW


def test_joining_again_changes_the_entry_and_keeps_its_one_lead(visit):
    first = join(visit, email="ana@example.com")
    again = join(visit, email="ana@example.com", until_date=first.until_date - timedelta(days=3))

    assert again.pk == first.pk
    assert again.lead == first.lead
    assert Lead.objects.count() == 1


def test_joining_from_a_booked_visit_uses_the_visits_lead(client, visit):
    from tests.intake.booking_client import confirm

    confirm(client, visit, f"any|{freed_at(9).astimezone(UTC):%Y%m%dT%H%MZ}")
    booked = Appointment.objects.get()

    client.post(
        f"/book/manage/{booked.manage_token}/waitlist/",
        {"clinician": "any", "from_date": "2029-12-31", "until_date": "2030-01-06"},
    )

    entry = WaitlistEntry.objects.get()
    assert entry.lead == booked.lead
    assert Lead.objects.count() == 1


def test_purging_a_lead_removes_its_waitlist_entries_and_keeps_others(visit):
    old_lead = make_lead(name="Olive Old", email="old@example.com", phone="+16085550170")
    recent_lead = make_lead(name="Rita Recent", email="recent@example.com", phone="+16085550171")
    gone = join(visit, email="old@example.com", lead=old_lead)
    kept = join(visit, email="recent@example.com", lead=recent_lead)
    Lead.objects.filter(pk=gone.lead_id).update(
        status=LeadStatus.NO_RESPONSE, updated_at=timezone.now() - timedelta(days=400)
    )
    Lead.objects.filter(pk=kept.lead_id).update(
        status=LeadStatus.NO_RESPONSE, updated_at=timezone.now() - timedelta(days=30)
    )

    call_command("purge_leads", "--days", "365")

    assert list(WaitlistEntry.objects.values_list("email", flat=True)) == ["recent@example.com"]
    assert Lead.objects.get(pk=gone.lead_id).email == ""


def test_a_dry_run_purges_no_entry(visit):
    gone = join(visit, email="old@example.com")
    Lead.objects.filter(pk=gone.lead_id).update(
        status=LeadStatus.NO_RESPONSE, updated_at=timezone.now() - timedelta(days=400)
    )

    call_command("purge_leads", "--days", "365", "--dry-run")

    assert WaitlistEntry.objects.filter(pk=gone.pk).exists()
