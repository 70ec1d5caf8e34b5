"""purge_leads: closed leads past the retention period lose the person's details,
notes and history; everything else is left alone."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from intake.models import Lead, LeadNote, LeadSource, LeadStatus
from tests.intake.leads_support import make_lead

pytestmark = pytest.mark.django_db


def aged(lead: Lead, days: int) -> Lead:
    """Pretend nobody has touched the lead for `days` days."""
    Lead.objects.filter(pk=lead.pk).update(updated_at=timezone.now() - timedelta(days=days))
    return lead


@pytest.fixture
def leads():
    old_closed = make_lead(
        name="Olive Old",
        email="olive@example.com",
        message="Shoulder pain when I throw",
        body_area="shoulder",
        activity="overhead",
        triage_outcome="book_evaluation",
        answers=[{"question": "Q", "answer": "A"}],
        status=LeadStatus.NOT_A_FIT,
        source=LeadSource.SELF_CHECK,
    )
    LeadNote.objects.create(lead=old_closed, text="Olive prefers mornings")
    LogEntry.objects.log_actions(
        user_id=get_user_model().objects.create_user("desk").pk,
        queryset=[old_closed],
        action_flag=CHANGE,
        change_message="Changed status.",
        single_object=True,
    )
    old_closed.status = LeadStatus.NO_RESPONSE
    old_closed.save()  # two history rows
    return {
        "old_closed": aged(old_closed, 400),
        "old_open": aged(make_lead(name="Owen Open", status=LeadStatus.CONTACTED), 400),
        "recent_closed": aged(make_lead(name="Rita Recent", status=LeadStatus.NOT_A_FIT), 30),
        "old_patient": aged(make_lead(name="Pam Patient", status=LeadStatus.BECAME_PATIENT), 400),
    }


def test_dry_run_lists_what_it_would_do_without_changing_anything(leads, capsys):
    before = list(Lead.objects.order_by("pk").values())
    history_before = Lead.history.count()
    call_command("purge_leads", "--days", "365", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run: would anonymise 2 closed lead(s)" in out
    assert f"#{leads['old_closed'].pk}  no_response" in out
    assert f"#{leads['old_patient'].pk}  became_patient" in out
    assert "Olive" not in out  # ids only: this output may be logged
    assert list(Lead.objects.order_by("pk").values()) == before
    assert Lead.history.count() == history_before
    assert LeadNote.objects.count() == 1


def test_real_run_anonymises_old_closed_leads_with_their_notes_and_history(leads, capsys):
    call_command("purge_leads", "--days", "365")
    assert "Anonymised 2 closed lead(s)" in capsys.readouterr().out

    olive = Lead.objects.get(pk=leads["old_closed"].pk)
    assert (olive.name, olive.email, olive.phone, olive.message) == ("", "", "", "")
    assert (olive.body_area, olive.activity, olive.triage_outcome, olive.answers) == (
        "",
        "",
        "",
        [],
    )
    assert olive.anonymised_at is not None
    # What the dashboard's conversion rates need stays.
    assert (olive.status, olive.source) == (LeadStatus.NO_RESPONSE, LeadSource.SELF_CHECK)
    assert str(olive) == f"Anonymised lead #{olive.pk}"
    assert not LeadNote.objects.filter(lead=olive).exists()
    assert not Lead.history.filter(id=olive.pk).exists()
    assert not Lead.history.filter(name="Olive Old").exists()
    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == ["Anonymised lead"]

    kept = Lead.objects.filter(pk__in=[leads["old_open"].pk, leads["recent_closed"].pk])
    assert sorted(kept.values_list("name", flat=True)) == ["Owen Open", "Rita Recent"]
    assert Lead.history.filter(name="Owen Open").exists()

    call_command("purge_leads", "--days", "365")
    assert "Anonymised 0 closed lead(s)" in capsys.readouterr().out


def test_days_default_comes_from_settings(leads, settings, capsys):
    settings.LEAD_RETENTION_DAYS = 10
    call_command("purge_leads", "--dry-run")
    assert "would anonymise 3 closed lead(s)" in capsys.readouterr().out


def test_days_must_be_positive():
    with pytest.raises(CommandError):
        call_command("purge_leads", "--days", "0")
