"""A lead whose self-check said Emergency or See a doctor is called the same business
day: it is marked urgent, sorts first, stands out, and the front desk's email says so
without saying why."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from intake import selfcheck
from intake.leads import business_day, record_lead
from intake.models import LeadSource, LeadStatus, TriageOutcome
from tests.intake.leads_support import make_lead

CLOT_ANSWER = "Calf is swollen, hot and red"


def blood_clot_handoff() -> selfcheck.SelfCheckHandoff:
    return selfcheck.SelfCheckHandoff(
        questionnaire="knee",
        outcome=TriageOutcome.SEE_DOCTOR,
        rule="possible-dvt",
        answers=[{"question": "Is your calf swollen?", "answer": CLOT_ANSWER}],
    )


@pytest.mark.django_db(transaction=True)
def test_see_a_doctor_lead_is_urgent_due_today_and_its_email_says_call_today_only(settings):
    settings.CLINIC_NOTIFY_EMAIL = "desk@peak.example"

    lead = record_lead(
        name="Alex Calf",
        email="alex@example.com",
        source=LeadSource.SELF_CHECK,
        message="Pain behind my knee since the flight",
        handoff=blood_clot_handoff(),
    )
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert lead.is_urgent
    assert lead.follow_up_due == business_day(timezone.localdate())
    (notification,) = [m for m in mail.outbox if m.to == ["desk@peak.example"]]
    assert notification.subject.startswith("Urgent: please call today")
    assert "please call this person today" in notification.body
    for detail in (CLOT_ANSWER, "doctor", "Doctor", "dvt", "flight", "calf", "Calf"):
        assert detail not in notification.subject
        assert detail not in notification.body.replace("Alex Calf", "")


@pytest.mark.django_db
def test_ordinary_lead_email_is_not_marked_urgent_and_has_no_due_date():
    lead = record_lead(name="Sam Climber", email="sam@example.com", source=LeadSource.CONTACT_FORM)

    assert not lead.is_urgent
    assert lead.follow_up_due is None


@pytest.mark.django_db
def test_urgent_leads_sort_first_and_stand_out_in_the_lead_list(client, group_member):
    make_lead(name="Older Ordinary", email="a@example.com")
    make_lead(name="Urgent Alex", email="b@example.com", triage_outcome=TriageOutcome.EMERGENCY)
    make_lead(name="Newest Ordinary", email="c@example.com")
    make_lead(
        name="Called Already",
        email="d@example.com",
        triage_outcome=TriageOutcome.SEE_DOCTOR,
        status=LeadStatus.CONTACTED,
        follow_up_due=date(2030, 1, 1),
    )
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/intake/lead/").content.decode()

    # Urgent first, then newest first as before.
    names = ["Urgent Alex", "Called Already", "Newest Ordinary", "Older Ordinary"]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    assert 'class="lead-urgent"' in page
    assert page.count("Urgent: call today") == 1
