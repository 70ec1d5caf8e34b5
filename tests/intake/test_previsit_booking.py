"""Booking opens the before-visit form, and the emails and pages carry its link (only the
link: never the answers)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from intake.booking import Patient as BookingPatient
from intake.booking import (
    StaffChange,
    book_appointment,
    find_slots,
    reschedule_appointment,
    send_reminder,
    slots_at,
)
from intake.models import Appointment, PreVisit, PreVisitKind
from tests.intake.previsit_support import (
    CONTACT,
    book,
    fill_first_visit,
    form_of,
    measures_data,
    section_url,
)
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://peak.example"


def test_booking_an_initial_evaluation_opens_the_form_and_emails_its_link(client):
    appointment = book(message="Knee pain")

    previsit = form_of(appointment)
    assert previsit.kind == PreVisitKind.FIRST_VISIT
    sent = deliver_queued_emails()
    confirmation = next(m for m in sent if m.to == ["pat@example.com"])
    link = f"https://peak.example/before-your-visit/{previsit.token}/"
    assert "Before your visit: fill in your forms" in confirmation.body
    assert link in confirmation.body
    assert previsit.token not in previsit.token_hash


def test_the_confirmation_page_links_to_the_form_until_it_is_done(client):
    appointment = book()
    previsit = form_of(appointment)
    manage = f"/book/manage/{appointment.manage_token}/"

    page = client.get(manage).content.decode()
    assert "Before your visit: fill in your forms" in page
    assert f"/before-your-visit/{previsit.token}/" in page

    fill_first_visit(client, previsit)
    assert "Thank you: your forms are done." in client.get(manage).content.decode()


def test_emails_never_carry_the_answers():
    appointment = book()
    previsit = form_of(appointment)
    deliver_queued_emails()
    fill_first_visit(Client(), previsit)
    previsit.refresh_from_db()
    send_reminder(appointment, now=timezone.now())

    bodies = " ".join(m.body + m.subject for m in deliver_queued_emails())
    for secret in ["Sam Runner", "1988-04-23", "Ibuprofen", "Running 10 km", "half marathon"]:
        assert secret not in bodies


def test_a_phone_consult_opens_no_form():
    appointment = book("free-phone-consult")

    assert not PreVisit.objects.filter(appointment=appointment).exists()
    confirmation = deliver_queued_emails()[0]
    assert "/before-your-visit/" not in confirmation.body


def test_a_staff_booking_opens_the_form_too():
    first = book()
    slot_start = first.start + timedelta(days=1)
    slot = slots_at(
        appointment_type=first.appointment_type, start=slot_start, clinician=first.clinician
    )[0]
    appointment = book_appointment(
        slot=slot,
        appointment_type=first.appointment_type,
        patient=BookingPatient(name="Walk In", email="walk@example.com", phone="+16085550111"),
        staff=StaffChange(email_patient=False),
    )

    assert form_of(appointment).kind == PreVisitKind.FIRST_VISIT


def move_a_day_later(appointment: Appointment) -> str:
    """Move the visit to the first free time of a later day; the patient's email about it."""
    deliver_queued_emails()
    day = appointment.local_start.date() + timedelta(days=1)
    slot = find_slots(
        appointment_type=appointment.appointment_type,
        start_date=day,
        end_date=day + timedelta(days=7),
        clinician=appointment.clinician,
    )[0]
    reschedule_appointment(appointment=appointment, slot=slot)
    return next(m for m in deliver_queued_emails() if m.to == ["pat@example.com"]).body


def test_the_moved_visit_email_repeats_the_form_link_until_the_form_is_done(client):
    appointment = book()
    previsit = form_of(appointment)
    link = f"https://peak.example/before-your-visit/{previsit.token}/"
    client.post(section_url(previsit, "contact"), CONTACT)  # started, not finished

    moved = move_a_day_later(appointment)

    assert "Your forms are not finished yet." in moved
    assert link in moved
    assert "1988-04-23" not in moved and "Sam Runner" not in moved  # the link, no answers
    fill_first_visit(client, previsit)
    assert "/before-your-visit/" not in move_a_day_later(appointment)


def test_a_moved_follow_up_email_leaves_the_check_in_link_to_the_reminder(settings):
    settings.FOLLOW_UP_MEASURES_EVERY = 1
    book(days_ahead=3)
    follow_up = book("follow-up", days_ahead=6)
    assert form_of(follow_up).kind == PreVisitKind.FOLLOW_UP

    assert "/before-your-visit/" not in move_a_day_later(follow_up)


def follow_up_reminder(appointment: Appointment) -> str:
    deliver_queued_emails()
    send_reminder(appointment, now=timezone.now())
    return deliver_queued_emails()[0].body


def test_each_follow_up_reminder_carries_the_how_are_you_doing_link(settings):
    settings.FOLLOW_UP_MEASURES_EVERY = 1
    book(days_ahead=3)
    deliver_queued_emails()
    follow_up = book("follow-up", days_ahead=6)

    previsit = form_of(follow_up)
    assert previsit.kind == PreVisitKind.FOLLOW_UP
    # The confirmation does not carry it: the reminder, the day before, does.
    confirmation = deliver_queued_emails()
    assert all("/before-your-visit/" not in m.body for m in confirmation)
    body = follow_up_reminder(follow_up)
    assert "How are you doing?" in body
    assert f"https://peak.example/before-your-visit/{previsit.token}/" in body


def test_every_nth_follow_up_gets_the_check_in(settings):
    settings.FOLLOW_UP_MEASURES_EVERY = 2
    book(days_ahead=3)
    follow_ups = [book("follow-up", days_ahead=days) for days in (6, 9, 12, 15)]

    with_form = [PreVisit.objects.filter(appointment=a).exists() for a in follow_ups]
    assert with_form == [False, True, False, True]
    assert "/before-your-visit/" not in follow_up_reminder(follow_ups[0])


def test_a_follow_up_repeats_the_activities_the_patient_named_at_the_start(client):
    first = form_of(book(days_ahead=3, email="Pat@Example.com"))
    fill_first_visit(client, first)
    follow_up = form_of(book("follow-up", days_ahead=6, email="pat@example.com"))
    assert follow_up.episode == first

    page = client.get(section_url(follow_up, "measures"))

    content = page.content.decode()
    assert "“Running 10 km”: how well can you do it now?" in content
    assert "“Climbing stairs”: how well can you do it now?" in content
    assert "Rate the same activities you named at your first visit" in content
    # The names are fixed: no box to rename them.
    assert "_name" not in "".join(page.context["form"].fields)
    psfs_pk = next(m.pk for m in page.context["measures"] if m.slug == "psfs")
    response = client.post(
        section_url(follow_up, "measures"),
        {f"m{psfs_pk}_1_rating": "6", f"m{psfs_pk}_2_rating": "9", f"m{psfs_pk}_1_name": "Golf"},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    saved = follow_up.responses.get(measure_id=psfs_pk)
    assert [(a["label"], a["value"]) for a in saved.answers] == [
        ("Running 10 km", 6),
        ("Climbing stairs", 9),
    ]
    assert str(saved.score) == "7.50"


def test_a_follow_up_with_no_first_visit_form_lets_the_patient_name_activities(client):
    follow_up = form_of(book("follow-up", days_ahead=6, email="new@example.com"))
    assert follow_up.episode is None

    response = client.post(
        section_url(follow_up, "measures"), measures_data(psfs={"Deadlifts": "5"})
    )

    assert response.status_code == 302
    assert follow_up.responses.get(measure__slug="psfs").answers[0]["label"] == "Deadlifts"
