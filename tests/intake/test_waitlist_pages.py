"""The waitlist pages a patient uses: join, see or change or leave, and answer an offer.
The clock is pinned at NOW (Monday 2029-12-31, 10:00 in Madison)."""

from datetime import date, time, timedelta

import pytest
import time_machine

from intake.booking import CancelledBy, cancel_appointment
from intake.models import Appointment, FreedTime, WaitlistEntry
from intake.waitlist import run_offer_round
from tests.intake.booking_factories import make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails
from tests.intake.waitlist_factories import NOW, freed_at, join

pytestmark = pytest.mark.django_db

JOIN = {
    "clinician": "any",
    "weekdays": ["0", "2"],
    "parts_of_day": ["morning"],
    "from_date": "2029-12-31",
    "until_date": "2030-01-31",
    "name": "Ana Silva",
    "email": "ana@example.com",
    "phone": "(608) 555-0142",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def dana():
    return make_clinician("Dana Lee", hours=[(time(8), time(19))])


@pytest.fixture
def visit():
    return make_type(name="Follow-up visit", slug="moved-up", duration_minutes=60)


def test_the_times_page_offers_the_waitlist_after_the_times(client, dana, visit):
    response = client.get("/book/moved-up/")

    assert 'href="/book/moved-up/waitlist/">Tell me if a time opens that suits me' in response.text


def test_joining_redirects_to_the_private_page_and_emails_its_link(client, dana, visit):
    response = client.post("/book/moved-up/waitlist/", JOIN)

    entry = WaitlistEntry.objects.get()
    assert response.status_code == 302
    assert response.url == f"/waitlist/{entry.token}/"
    assert entry.weekdays == [0, 2]
    assert entry.parts_of_day == ["morning"]
    assert entry.phone == "+16085550142"
    page = client.get(response.url)
    assert "You’re on the waitlist" in page.text
    assert "Follow-up visit with any clinician" in page.text
    [email] = deliver_queued_emails()
    assert f"/waitlist/{entry.token}/" in email.body


def test_a_wrong_date_is_named_on_its_field_and_the_input_kept(client, dana, visit):
    response = client.post("/book/moved-up/waitlist/", {**JOIN, "until_date": "2029-12-30"})

    assert response.status_code == 200
    assert "Choose a date on or after the From date." in response.text
    assert 'value="ana@example.com"' in response.text
    assert not WaitlistEntry.objects.exists()


def test_a_booked_patient_asks_for_an_earlier_time_from_the_manage_page(client, dana, visit):
    later = make_appointment(
        clinician=dana, appointment_type=visit, start=freed_at(9) + timedelta(days=14)
    )
    token = later.manage_token
    manage = client.get(f"/book/manage/{token}/")
    assert "Tell me if an earlier time opens" in manage.text

    response = client.post(
        f"/book/manage/{token}/waitlist/",
        {"clinician": "any", "from_date": "2029-12-31", "until_date": "2030-01-20"},
    )

    entry = WaitlistEntry.objects.get()
    assert response.url == f"/waitlist/{entry.token}/"
    assert entry.appointment == later
    assert entry.email == later.patient_email


def test_changing_and_leaving_from_the_private_page(client, dana, visit):
    entry = join(visit, email="ana@example.com")

    changed = client.post(
        f"/waitlist/{entry.token}/",
        {"clinician": str(dana.pk), "from_date": "2030-01-02", "until_date": "2030-01-09"},
    )
    assert changed.url == f"/waitlist/{entry.token}/"
    entry.refresh_from_db()
    assert (entry.clinician, entry.from_date) == (dana, date(2030, 1, 2))

    left = client.post(f"/waitlist/{entry.token}/leave/")
    assert left.url == "/book/"
    assert not WaitlistEntry.objects.exists()
    assert client.get(f"/waitlist/{entry.token}/").status_code == 404


def offered(dana, visit, *entries):
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=freed_at(9))
    cancel_appointment(appointment=appointment, reason="", cancelled_by=CancelledBy.STAFF, now=NOW)
    return run_offer_round(freed_time_id=FreedTime.objects.get().pk, now=NOW)


def test_take_this_time_books_it_and_the_second_taker_is_told_kindly(client, dana, visit):
    first, second = offered(dana, visit, join(visit), join(visit))
    page = client.get(f"/waitlist/offer/{first.token}/")
    assert "Take this time" in page.text
    assert "Not this one" in page.text

    taken = client.post(f"/waitlist/offer/{first.token}/", {"answer": "take"})
    booked = Appointment.objects.get(status="booked")
    assert taken.url == f"/book/manage/{booked.manage_token}/"

    refused = client.post(f"/waitlist/offer/{second.token}/", {"answer": "take"}, follow=True)
    assert "Sorry, someone else took it; you are still on the waitlist." in refused.text
    assert WaitlistEntry.objects.filter(pk=second.entry_id).exists()
    # Reload of the winner's offer page shows the booking, not a second one.
    assert "You took this time" in client.get(f"/waitlist/offer/{first.token}/").text
    assert Appointment.objects.filter(status="booked").count() == 1


def test_not_this_one_keeps_the_patient_on_the_list(client, dana, visit):
    [offer] = offered(dana, visit, join(visit))

    response = client.post(f"/waitlist/offer/{offer.token}/", {"answer": "decline"}, follow=True)

    assert "You are still on the waitlist" in response.text
    assert WaitlistEntry.objects.count() == 1


def test_the_offer_and_entry_pages_read_a_fixed_number_of_queries(
    client, dana, visit, django_assert_max_num_queries
):
    offers = offered(dana, visit, join(visit), join(visit), join(visit))
    for offer in offers:
        with django_assert_max_num_queries(6):
            client.get(f"/waitlist/offer/{offer.token}/")
        with django_assert_max_num_queries(6):
            client.get(f"/waitlist/{offer.entry.token}/")


def test_an_unknown_offer_link_is_not_found(client, db):
    assert client.get("/waitlist/offer/nope/").status_code == 404


def test_joins_from_one_connection_are_limited_so_no_one_can_spam_addresses(
    client, dana, visit, settings
):
    settings.BOOKING_RATE_LIMIT = 2
    for n in range(2):
        assert (
            client.post(
                "/book/moved-up/waitlist/", {**JOIN, "email": f"p{n}@example.com"}
            ).status_code
            == 302
        )

    refused = client.post("/book/moved-up/waitlist/", {**JOIN, "email": "p9@example.com"})

    assert refused.status_code == 429
    assert "Nothing was saved." in refused.text
    assert WaitlistEntry.objects.count() == 2
