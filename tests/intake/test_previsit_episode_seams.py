"""Where the three parts of the before-visit work meet: one patient booked through the
real booking function, seen after her first visit made her a patient (so later bookings
start a new lead)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.attendance import record_attendance
from intake.booking import Patient, book_appointment, find_slots, send_due_reminders
from intake.models import Appointment, AppointmentStatus, AppointmentType, Lead, PreVisit
from tests.intake.booking_factories import CHICAGO
from tests.intake.previsit_factories import make_previsit, pain, respond
from tests.intake.previsit_support import (
    CONTACT,
    book,
    clinician,
    form_of,
    measures_data,
    section_url,
)
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db


def first_visit_done_then_follow_up(*, email: str = "Maria@Example.com"):
    """Maria's first visit, with her PSFS, completed; a follow-up booked afterwards."""
    first = book(days_ahead=1, email="maria@example.com", name="Maria Gonzalez")
    respond(previsit=form_of(first), slug="psfs", values={"Running 5 km": 2})
    record_attendance(appointment=first, status=AppointmentStatus.COMPLETED, now=first.end)
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


def count_queries(client, url: str) -> int:
    """The page's queries, each counted from the same cold content-type cache (the first
    page of a test would otherwise pay a lookup the others get from memory)."""
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def maria_with_follow_ups(count: int):
    """Maria's first visit (tomorrow, so it is on Today) with her PSFS and pain, completed;
    then `count` follow-ups, each with its scores, under her new lead."""
    first = book(days_ahead=1, email="maria@example.com", name="Maria Gonzalez")
    respond(previsit=form_of(first), slug="psfs", values={"Running 5 km": 2, "Stairs": 4})
    respond(previsit=form_of(first), slug="pain", values=pain(6))
    record_attendance(appointment=first, status=AppointmentStatus.COMPLETED, now=first.end)
    visits = [first]
    for number in range(1, count + 1):
        follow_up = book("follow-up", days_ahead=1 + 7 * number, email="maria@example.com")
        form = form_of(follow_up)
        respond(previsit=form, slug="psfs", values={"Running 5 km": 2 + 2 * number, "Stairs": 5})
        respond(previsit=form, slug="pain", values=pain(6 - 2 * number))
        visits.append(follow_up)
    return visits


def staff_pages(visits) -> dict[str, str]:
    first, latest = visits[0], visits[-1]
    return {
        "Today": "/admin/",
        "summary": f"/admin/intake/appointment/{first.pk}/previsit/",
        "appointment page": f"/admin/intake/appointment/{latest.pk}/change/",
        "lead page": f"/admin/intake/lead/{first.lead_id}/change/",
    }


def test_the_staff_pages_of_an_episode_cost_the_same_queries_for_1_or_3_visits(
    client, group_member
):
    client.force_login(group_member("Clinician"))
    one = maria_with_follow_ups(0)
    with_one = {name: count_queries(client, url) for name, url in staff_pages(one).items()}
    PreVisit.objects.all().delete()
    Appointment.objects.all().delete()
    Lead.objects.all().delete()
    three = maria_with_follow_ups(2)
    page = client.get(staff_pages(three)["appointment page"]).content.decode()
    assert page.count('<circle class="dot"') == 3 * 4  # PSFS, two activities, pain

    with_three = {name: count_queries(client, url) for name, url in staff_pages(three).items()}

    print(f"queries with 1 visit: {with_one}; with 3 visits: {with_three}")
    assert with_three == with_one


def test_a_follow_ups_summary_points_to_the_first_visit_for_consent_and_safety(
    client, group_member
):
    """The check-in asks the measures only; "Not signed yet" and "No red-flag answers" would
    read as if she had skipped them."""
    first, follow_up = maria_with_follow_ups(1)
    client.force_login(group_member("Clinician"))

    page = client.get(f"/admin/intake/appointment/{follow_up.pk}/previsit/").content.decode()

    assert "Not signed yet" not in page
    assert "No red-flag answers" not in page
    assert "Not asked at a follow-up: the patient signs on the first-visit form" in page
    assert f'href="/admin/intake/appointment/{first.pk}/previsit/">its summary</a>' in page
    first_page = client.get(f"/admin/intake/appointment/{first.pk}/previsit/").content.decode()
    assert "Not signed yet" in first_page  # the factory's first visit has no signatures


def test_saving_the_check_in_says_so_without_a_stray_full_stop(client):
    first = book(days_ahead=1, email="maria@example.com", name="Maria Gonzalez")
    respond(previsit=form_of(first), slug="psfs", values={"Running 5 km": 2})
    check_in = form_of(book("follow-up", days_ahead=4, email="maria@example.com"))

    response = client.post(
        section_url(check_in, "measures"), measures_data(psfs={"Running 5 km": "5"}), follow=True
    )

    assert "Saved: How are you doing?<" in response.content.decode()
    assert "doing?." not in response.content.decode()
    contact = client.post(section_url(form_of(first), "contact"), CONTACT, follow=True)
    assert "Saved: Your contact details.<" in contact.content.decode()


def book_within_a_day(type_slug: str) -> Appointment:
    """Maria books the first free time less than 23 hours from now."""
    visit = AppointmentType.objects.get(slug=type_slug)
    now = timezone.now()
    today = now.astimezone(CHICAGO).date()
    slots = find_slots(
        appointment_type=visit,
        start_date=today,
        end_date=today + timedelta(days=1),
        clinician=clinician(),
    )
    slot = next(s for s in slots if s.start < now + timedelta(hours=23))
    patient = Patient(name="Maria Gonzalez", email="maria@example.com", phone="+16085550123")
    return book_appointment(slot=slot, appointment_type=visit, patient=patient)


def test_a_follow_up_booked_less_than_a_day_ahead_gets_the_check_in_link_with_its_confirmation():
    """Booked that close, no 24-hour reminder goes (the confirmation is it), so the
    confirmation must carry the "How are you doing?" link or she never gets it."""
    AppointmentType.objects.filter(slug="follow-up").update(minimum_notice_hours=0)
    make_previsit(start=timezone.now() - timedelta(days=7), patient_email="maria@example.com")
    follow_up = book_within_a_day("follow-up")
    check_in = form_of(follow_up)
    assert check_in.episode is not None
    (confirmation,) = [m for m in deliver_queued_emails() if m.to == ["maria@example.com"]]

    assert "How are you doing?" in confirmation.body
    assert f"/before-your-visit/{check_in.token}/" in confirmation.body
    assert "sign the consent forms" not in confirmation.body
    assert send_due_reminders(now=follow_up.start - timedelta(hours=1)) == 0


def test_a_follow_up_booked_days_ahead_keeps_the_link_for_its_reminder():
    book(days_ahead=1, email="maria@example.com", name="Maria Gonzalez")
    follow_up = book("follow-up", days_ahead=4, email="maria@example.com")
    deliver_queued_emails()

    assert send_due_reminders(now=follow_up.start - timedelta(hours=23)) == 1
    (reminder,) = deliver_queued_emails()
    assert f"/before-your-visit/{form_of(follow_up).token}/" in reminder.body
