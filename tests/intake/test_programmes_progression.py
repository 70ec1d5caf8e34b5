"""The step-up suggestion: after 3 logged sessions in a row with pain 3 or less and effort
6 or less, the clinician's view offers a next dose; one click approves it as a new
version. Never automatic."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import Lead, Programme, ProgrammeSession, ReadLogEntry
from intake.programmes import suggests_progression
from intake.retention import anonymise_leads
from tests.intake.leads_support import make_lead
from tests.intake.programme_factories import clinician_user, log_on, make_programme

pytestmark = pytest.mark.django_db


def three_easy_days(programme: Programme, **ratings) -> None:
    today = timezone.localdate()
    for n in (2, 1, 0):
        log_on(programme, today - timedelta(days=n), **{"pain": 2, "effort": 5, **ratings})


def test_three_easy_sessions_in_a_row_suggest_a_step_up_and_a_harder_one_does_not():
    programme = make_programme()
    three_easy_days(programme)
    assert suggests_progression(programme.sessions.all(), since_version=1)
    ProgrammeSession.objects.filter(day=timezone.localdate()).update(effort=7)
    assert not suggests_progression(programme.sessions.all(), since_version=1)
    ProgrammeSession.objects.filter(day=timezone.localdate()).update(effort=6, pain=4)
    assert not suggests_progression(programme.sessions.all(), since_version=1)
    ProgrammeSession.objects.filter(day=timezone.localdate()).update(pain=None)
    assert not suggests_progression(programme.sessions.all(), since_version=1)


def test_the_clinician_approves_a_step_up_with_one_click_and_a_version_is_saved(client):
    user = clinician_user()
    client.force_login(user)
    programme = make_programme(by=user)
    three_easy_days(programme)
    page = client.get(reverse("admin:intake_programme_change", args=[programme.pk]))
    html = page.content.decode()
    assert "Ready to step up?" in html
    assert programme.versions.count() == 1  # nothing changed by itself
    [step, *_] = page.context["home_programmes"][0].steps
    data = {
        "step-exercise": step.row.exercise_id,
        "step-sets": step.to.sets or "",
        "step-reps": step.to.reps or "",
        "step-hold_seconds": step.to.hold_seconds or "",
        "step-per_side": step.to.per_side,
        "step-times": step.to.times,
        "step-per": step.to.per,
        "step-note": step.to.note,
    }
    response = client.post(
        reverse("admin:intake_programme_step_up", args=[programme.pk, step.row.pk]), data
    )
    assert response.status_code == 302
    version = programme.versions.first()
    assert version.number == 2 and "→" in version.changes
    # The suggestion waits for 3 new sessions at the new dose.
    page = client.get(reverse("admin:intake_programme_change", args=[programme.pk]))
    assert "Ready to step up?" not in page.content.decode()


def test_purging_a_lead_deletes_its_programmes_their_logs_and_the_read_log():
    lead = make_lead(name="Pat Runner", email="pat@example.com", status="not_a_fit")
    programme = make_programme(lead=lead)
    log_on(programme, timezone.localdate(), pain=5, note="sore")
    ReadLogEntry.objects.create(lead=lead, user=clinician_user(), action="viewed_programme")
    anonymise_leads(leads=Lead.objects.filter(pk=lead.pk))
    assert not Programme.objects.exists()
    assert not ProgrammeSession.objects.exists()
    assert not ReadLogEntry.objects.exists()
