"""The front desk books a caller from their lead in three presses of Enter: "Book a visit"
on the lead page, a free time on the scheduler, "Book it" on the filled-in form. Then a
known patient is found by phone number on the scheduler, and a clash offers the free
times nearby. By keyboard, axe on every page, at 1280 px and at 390 px (a phone, in the
dark theme)."""

import time as clock
from datetime import time, timedelta

import pytest
from django.utils import timezone

from intake.models import Appointment, Clinician, Lead, LeadStatus
from tests.browser.conftest import assert_accessible, sign_in_at
from tests.browser.keyboard import tab_to
from tests.browser.test_staff_schedule_journey import shot
from tests.intake.booking_factories import make_appointment, make_clinician, make_type

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def press(page, test: str) -> None:
    """Tab to the control `test` names and press Enter on it: one click, counted."""
    tab_to(page, test, limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def clinic(db):
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(8), time(17))], weekdays=range(6))
    make_clinician("Sam Ortiz", hours=[(time(8), time(17))], weekdays=range(6), position=1)
    visit = make_type(name="Knee evaluation", slug="knee-evaluation", minimum_notice_hours=24)
    return dana, visit


@pytest.mark.parametrize("width", [1280, 390])
def test_front_desk_books_a_caller_from_their_lead_in_three_clicks(
    live_server, page, group_member, clinic, width
):
    lead = Lead.objects.create(name="Pat Caller", email="pat@example.com", phone="+16085550142")
    page.set_viewport_size({"width": width, "height": 900})
    if width == 390:
        # The phone in dark mode: axe checks the contrast of the pickers and time buttons.
        page.emulate_media(color_scheme="dark")
    desk = group_member("Front desk")
    sign_in_at(page, f"{live_server.url}/admin/intake/lead/{lead.pk}/change/", desk.username)

    clicks = 0
    walk_started = clock.monotonic()
    press(page, "el.textContent.trim() === 'Book a visit'")
    clicks += 1
    assert "Booking for Pat Caller" in page.locator(".booking-for").inner_text()
    walked = clock.monotonic() - walk_started
    shot(page, f"sched-{width}-1-scheduler")
    assert_accessible(page)

    started = clock.monotonic()
    press(page, "el.classList.contains('free-time')")
    clicks += 1
    assert page.get_by_label("Patient name").input_value() == "Pat Caller"
    assert page.get_by_label("Patient's phone").input_value() == "(608) 555-0142"
    walked += clock.monotonic() - started
    shot(page, f"sched-{width}-2-form")
    assert_accessible(page)

    started = clock.monotonic()
    press(page, "el.type === 'submit' && el.value === 'Book it'")
    clicks += 1
    walked += clock.monotonic() - started
    assert "Booked: Pat Caller" in page.locator(".messagelist").inner_text()

    appointment = Appointment.objects.get()
    assert appointment.lead == lead
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SCHEDULED
    assert clicks <= 3
    print(f"\nLead to booked visit at {width}px: {clicks} clicks, {walked:.1f} s of page loads")


def test_front_desk_finds_a_known_patient_by_phone_and_a_clash_offers_times_nearby(
    live_server, page, group_member, clinic
):
    dana, visit = clinic
    lead = Lead.objects.create(name="Pat Caller", email="pat@example.com", phone="+16085550142")
    page.set_viewport_size({"width": 390, "height": 900})
    desk = group_member("Front desk")
    sign_in_at(page, f"{live_server.url}/admin/intake/appointment/schedule/", desk.username)
    assert_accessible(page)

    tab_to(page, "el.name === 'q'", limit=200)
    page.keyboard.type("608 555 0142")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    shot(page, "sched-390-3-search")
    assert_accessible(page)
    press(page, "el.textContent.trim() === 'Book for Pat Caller'")
    assert "Booking for Pat Caller" in page.locator(".booking-for").inner_text()

    # The first free time is taken while the desk was on the phone.
    first = page.locator("a.free-time").first.get_attribute("href")
    start = timezone.datetime.fromisoformat(first.split("start=")[1].split("&")[0])
    rival_start = start.replace(tzinfo=timezone.get_default_timezone())
    rival_clinician = Clinician.objects.get(pk=int(first.split("clinician=")[1].split("&")[0]))
    make_appointment(clinician=rival_clinician, appointment_type=visit, start=rival_start)
    press(page, "el.classList.contains('free-time')")
    press(page, "el.type === 'submit' && el.value === 'Book it'")
    assert "already has an appointment at that time" in page.locator("#content-main").inner_text()
    shot(page, "sched-390-4-clash")
    assert_accessible(page)

    press(page, "el.name === 'use_time'")
    assert "Booked: Pat Caller" in page.locator(".messagelist").inner_text()
    booked = Appointment.objects.get(patient_email="pat@example.com")
    assert booked.lead == lead
    assert abs(booked.start - rival_start) <= timedelta(days=3)
    assert booked.start != rival_start or booked.clinician != rival_clinician
