"""Online booking limits: per client address per hour, and upcoming visits per email and phone."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from intake.models import Appointment, AppointmentStatus, Clinician
from tests.intake import booking_client
from tests.intake.booking_client import SLOT_VALUES
from tests.intake.booking_factories import make_appointment, make_clinician, make_type

PATIENT = {"name": "Pat Runner", "email": "pat@example.com", "phone": "(608) 555-0123"}


@pytest.fixture
def visit(db):
    Clinician.objects.all().delete()
    clinician = make_clinician("Dana Lee", hours=[(time(8), time(18))])
    visit = make_type(slug="consult", duration_minutes=15, slot_interval_minutes=15)
    visit.clinician = clinician
    return visit


def free_slots(client, visit) -> list[str]:
    return SLOT_VALUES.findall(client.get(f"/book/{visit.slug}/").content.decode())


def book_upcoming(visit, count: int, **patient) -> None:
    """`count` visits already booked next month for this patient."""
    start = timezone.now() + timedelta(days=30)
    for n in range(count):
        make_appointment(
            clinician=visit.clinician,
            appointment_type=visit,
            start=start + timedelta(hours=n),
            **patient,
        )


def confirm(client, visit, slot: str, **overrides):
    """Details, check, then "Confirm booking", as a patient does; the last response."""
    return booking_client.confirm(client, visit, slot, **{**PATIENT, **overrides})


def assert_refused_with_the_phone(page, heading: str) -> None:
    body = page.content.decode()
    assert page.status_code == 429
    assert heading in body
    assert 'href="tel:+16082184215"' in body


@pytest.mark.parametrize(
    "already",
    [
        {"patient_email": "PAT@example.com", "patient_phone": "+16085550999"},
        {"patient_email": "someone@example.com", "patient_phone": "+16085550123"},
    ],
    ids=["same email", "same phone"],
)
def test_a_patient_holding_the_most_upcoming_visits_is_asked_to_call(
    client, visit, settings, already
):
    settings.BOOKING_MAX_UPCOMING_PER_EMAIL = settings.BOOKING_MAX_UPCOMING_PER_PHONE = 3
    book_upcoming(visit, 3, **already)
    slot = free_slots(client, visit)[0]

    review = booking_client.review(client, visit, slot, **PATIENT)
    assert_refused_with_the_phone(review, "You already have visits booked")
    assert_refused_with_the_phone(confirm(client, visit, slot), "You already have visits booked")
    assert Appointment.objects.count() == 3


def test_cancelled_and_past_visits_do_not_count_towards_the_limit(client, visit, settings):
    settings.BOOKING_MAX_UPCOMING_PER_EMAIL = 1
    book_upcoming(visit, 1, patient_email=PATIENT["email"], status=AppointmentStatus.CANCELLED)
    make_appointment(
        clinician=visit.clinician,
        appointment_type=visit,
        start=timezone.now() - timedelta(days=3),
        patient_email=PATIENT["email"],
    )
    slot = free_slots(client, visit)[0]

    assert confirm(client, visit, slot).status_code == 302
    assert confirm(client, visit, free_slots(client, visit)[0]).status_code == 429


def test_one_connection_books_only_the_hourly_limit_whatever_the_emails(client, visit, settings):
    settings.BOOKING_RATE_LIMIT = 2
    for n in range(2):
        page = confirm(
            client,
            visit,
            free_slots(client, visit)[0],
            email=f"p{n}@example.com",
            phone=f"608555010{n}",
        )
        assert page.status_code == 302

    page = confirm(
        client, visit, free_slots(client, visit)[0], email="p9@example.com", phone="6085550109"
    )
    assert_refused_with_the_phone(page, "a lot of bookings from your connection")
    assert 0 < int(page["Retry-After"]) <= settings.BOOKING_RATE_WINDOW
    assert Appointment.objects.count() == 2
