"""Where the three parts of the before-visit work meet: one patient booked through the
real booking function, seen after her first visit made her a patient (so later bookings
start a new lead)."""

import pytest

from intake.attendance import record_attendance
from intake.models import AppointmentStatus, PreVisit
from tests.intake.previsit_factories import respond
from tests.intake.previsit_support import book, form_of

pytestmark = pytest.mark.django_db


def first_visit_done_then_follow_up(*, email: str = "Maria@Example.com"):
    """Maria's first visit, with her PSFS, completed; a follow-up booked afterwards."""
    first = book(days_ahead=1, email="maria@example.com", name="Maria Gonzalez")
    respond(previsit=form_of(first), slug="psfs", values={"Running 5 km": 2})
    record_attendance(appointment=first, status=AppointmentStatus.COMPLETED)
    follow_up = book("follow-up", days_ahead=4, email=email, name="Maria Gonzalez")
    return first, follow_up


def test_a_follow_up_without_its_own_form_under_a_new_lead_shows_the_first_visits_scores(
    client, group_member, settings
):
    """Measures are asked every 2nd follow-up, so the 1st has no form; she became a patient,
    so it is under a new lead. Its page still shows her episode's chart."""
    settings.FOLLOW_UP_MEASURES_EVERY = 2
    first, follow_up = first_visit_done_then_follow_up()
    assert follow_up.lead_id != first.lead_id
    assert not PreVisit.objects.filter(appointment=follow_up).exists()
    client.force_login(group_member("Clinician"))

    page = client.get(f"/admin/intake/appointment/{follow_up.pk}/change/").content.decode()

    assert "Outcome measures" in page
    assert "Patient-Specific Functional Scale: Running 5 km, 1 visit: 2 at the start" in page
    assert "This visit has no before-visit form" in page


def test_another_patients_scores_never_show_on_a_visit_without_a_form(
    client, group_member, settings
):
    settings.FOLLOW_UP_MEASURES_EVERY = 2
    first_visit_done_then_follow_up()
    stranger = book("follow-up", days_ahead=5, email="sam@example.com", name="Sam Other")
    client.force_login(group_member("Clinician"))

    page = client.get(f"/admin/intake/appointment/{stranger.pk}/change/").content.decode()

    assert "Running 5 km" not in page


def test_the_new_leads_page_shows_the_episode_when_its_only_visit_has_no_form(
    client, group_member, settings
):
    settings.FOLLOW_UP_MEASURES_EVERY = 2
    _, follow_up = first_visit_done_then_follow_up()
    client.force_login(group_member("Clinician"))

    page = client.get(f"/admin/intake/lead/{follow_up.lead_id}/change/").content.decode()

    assert "Patient-Specific Functional Scale: Running 5 km, 1 visit: 2 at the start" in page
