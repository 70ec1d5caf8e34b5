"""The private manage link: cancel or move a booking without an account."""

import logging
from datetime import time, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake.booking import Patient, book_appointment, find_slots, reschedule_appointment
from intake.models import Appointment, AppointmentStatus, CancelledBy, Clinician
from intake.models.booking import hash_manage_token
from tests.intake.booking_client import SLOT_VALUES
from tests.intake.booking_factories import make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails


@pytest.fixture
def visit(db):
    Clinician.objects.all().delete()
    make_clinician("Dana Lee", hours=[(time(0), time(23, 45))])
    return make_type(name="Initial evaluation", slug="evaluation", duration_minutes=60)


def book(visit, *, hours_ahead: int) -> Appointment:
    """A booking `hours_ahead` from now (on the hour), made through book_appointment."""
    start = (timezone.now() + timedelta(hours=hours_ahead)).replace(
        minute=0, second=0, microsecond=0
    )
    slot = next(
        slot
        for slot in find_slots(
            appointment_type=visit,
            start_date=start.date() - timedelta(days=1),
            end_date=start.date() + timedelta(days=1),
        )
        if slot.start >= start
    )
    patient = Patient(name="Pat Runner", email="pat@example.com", phone="+16085550123")
    return book_appointment(slot=slot, appointment_type=visit, patient=patient)


def test_manage_page_shows_the_booking_with_ways_to_change_it(client, visit):
    appointment = book(visit, hours_ahead=72)

    page = client.get(f"/book/manage/{appointment.manage_token}/")

    body = page.content.decode()
    assert page.status_code == 200
    assert "Initial evaluation" in body
    assert "Central Time" in body
    assert f'href="/book/manage/{appointment.manage_token}/cancel/">Cancel this visit' in body
    assert "Choose a new time" in body
    assert '<meta name="robots" content="noindex">' in body
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_cancelling_asks_first_showing_the_visits_time(client, visit):
    appointment = book(visit, hours_ahead=72)
    url = f"/book/manage/{appointment.manage_token}/cancel/"

    page = client.get(url)

    body = page.content.decode()
    assert page.status_code == 200
    assert "Cancel your appointment?" in body
    assert f"{appointment.local_start:%A, %B} {appointment.local_start.day}" in body
    assert "Yes, cancel this visit" in body
    assert f'action="{url}"' in body
    assert f'href="/book/manage/{appointment.manage_token}/">Keep my appointment' in body
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED  # nothing happens until confirmed


def test_patient_cancels_with_a_reason_and_staff_are_told(client, visit):
    appointment = book(visit, hours_ahead=72)
    emails = DBTaskResult.objects.filter(task_path__endswith="send_email")
    queued_before = emails.count()

    response = client.post(
        f"/book/manage/{appointment.manage_token}/cancel/", {"reason": "Work trip"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/book/cancelled/"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by == CancelledBy.PATIENT
    assert appointment.cancellation_reason == "Work trip"
    assert emails.count() == queued_before + 2  # patient and staff
    assert "is cancelled" in client.get(response["Location"]).content.decode()


def test_a_used_link_gets_a_clear_not_found_page(client, visit):
    appointment = book(visit, hours_ahead=72)
    token = appointment.manage_token
    client.post(f"/book/manage/{token}/cancel/", {"reason": ""})

    for response in (
        client.get(f"/book/manage/{token}/"),
        client.post(f"/book/manage/{token}/cancel/", {"reason": "again"}),
        client.get(f"/book/manage/{token}/reschedule/"),
    ):
        assert response.status_code == 404
        assert "This booking link doesn’t work" in response.content.decode()
        assert "tel:+16082184215" in response.content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="send_email").count() == 4


@pytest.mark.parametrize("token", ["nope", "x" * 43, "Zm9v-_bar"])
def test_a_wrong_link_gets_a_clear_not_found_page(client, visit, token):
    book(visit, hours_ahead=72)

    response = client.get(f"/book/manage/{token}/")

    assert response.status_code == 404
    assert "This booking link doesn’t work" in response.content.decode()


def test_manage_links_never_reach_the_logs(client, visit, caplog):
    """The link is the key to the booking: a log line with it would let anyone who reads
    the logs cancel or move the visit."""
    caplog.set_level(logging.DEBUG)
    token = book(visit, hours_ahead=72).manage_token

    client.get(f"/book/manage/{token}/")
    client.post(f"/book/manage/{token}/cancel/", {"reason": ""})
    client.get(f"/book/manage/{token}/")  # now a used link: 404
    client.get("/book/manage/a-mistyped-link/")

    assert token not in caplog.text
    assert "a-mistyped-link" not in caplog.text


def test_cancelling_inside_the_late_window_is_refused_with_the_phone_number(client, visit):
    appointment = book(visit, hours_ahead=10)

    page = client.get(f"/book/manage/{appointment.manage_token}/")
    refused = client.post(f"/book/manage/{appointment.manage_token}/cancel/", {"reason": "x"})
    moved = client.get(f"/book/manage/{appointment.manage_token}/reschedule/")

    for response in (page, refused, moved):
        body = response.content.decode()
        assert response.status_code == 200
        assert "Please call us to change or cancel" in body
        assert "less than 24 hours away" in body
        assert "tel:+16082184215" in body
        assert "Cancel my appointment" not in body
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_the_late_window_follows_the_setting(client, visit, settings):
    settings.BOOKING_LATE_CANCEL_HOURS = 4
    appointment = book(visit, hours_ahead=10)

    client.post(f"/book/manage/{appointment.manage_token}/cancel/", {"reason": ""})

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_patient_moves_the_booking_and_the_first_emails_link_keeps_working(client, visit):
    appointment = book(visit, hours_ahead=72)
    old_token = appointment.manage_token

    times = client.get(f"/book/manage/{old_token}/reschedule/")
    assert times.status_code == 200
    values = SLOT_VALUES.findall(times.content.decode())
    # The clinician's own current time is offered too: it does not block itself.
    new_value = values[-1]
    check = client.get(f"/book/manage/{old_token}/reschedule/", {"slot": new_value})
    assert "Move your appointment?" in check.content.decode()
    assert Appointment.objects.get().start == appointment.start  # not yet moved

    moved = client.post(f"/book/manage/{old_token}/reschedule/", {"slot": new_value})

    assert moved.status_code == 302
    assert moved["Location"] == f"/book/manage/{old_token}/"
    appointment.refresh_from_db()
    assert f"{appointment.start:%Y%m%dT%H%MZ}" == new_value.split("|")[1]
    assert appointment.sequence == 1
    assert appointment.status == AppointmentStatus.BOOKED
    assert "has moved" in client.get(moved["Location"]).content.decode()
    emails = DBTaskResult.objects.filter(task_path__endswith="send_email")
    assert emails.count() == 4  # booked (2) and moved (2)
    *_, moved_email, _staff = deliver_queued_emails()
    assert moved_email.to == ["pat@example.com"]
    assert f"/book/manage/{old_token}/" in moved_email.body


def test_moving_to_a_time_taken_meanwhile_says_so_and_keeps_the_booking(client, visit):
    appointment = book(visit, hours_ahead=72)
    times = client.get(f"/book/manage/{appointment.manage_token}/reschedule/")
    value = SLOT_VALUES.findall(times.content.decode())[-1]
    clinician_id, start = value.split("|")
    rival = make_appointment(
        clinician=appointment.clinician,
        appointment_type=visit,
        start=timezone.datetime.strptime(start, "%Y%m%dT%H%MZ").replace(tzinfo=timezone.UTC),
    )

    page = client.post(f"/book/manage/{appointment.manage_token}/reschedule/", {"slot": value})

    assert page.status_code == 200
    assert "That time was just taken" in page.content.decode()
    appointment.refresh_from_db()
    assert appointment.start != rival.start
    assert appointment.status == AppointmentStatus.BOOKED


def test_a_link_sent_before_links_were_stable_works_until_its_first_move(client, visit):
    """Appointments booked before the derived links kept only a hash of a random token:
    that link still opens the page, and the first move gives them a lasting one."""
    appointment = book(visit, hours_ahead=72)
    legacy_token = "legacy-token-from-an-old-email"
    Appointment.objects.filter(pk=appointment.pk).update(
        manage_secret="", manage_token_hash=hash_manage_token(legacy_token)
    )
    assert client.get(f"/book/manage/{legacy_token}/").status_code == 200

    slot = find_slots(
        appointment_type=visit,
        start_date=appointment.local_start.date() + timedelta(days=1),
        end_date=appointment.local_start.date() + timedelta(days=1),
    )[0]
    moved = reschedule_appointment(appointment=appointment, slot=slot)

    assert moved.manage_token
    assert client.get(f"/book/manage/{moved.manage_token}/").status_code == 200
    assert client.get(f"/book/manage/{legacy_token}/").status_code == 404
