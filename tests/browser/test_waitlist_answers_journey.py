"""The waitlist's other two doors, on a phone-sized screen by keyboard, axe-checked on every
page, with Back and Reload sending nothing twice: a booked patient asks from their manage
page to hear of an earlier time, and a waiting patient answers an offer "Not this one".

The clock is pinned at a weekday morning (ticking), so quiet hours and the booking rules
give the same answer whenever the suite runs.
"""

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page, expect

from intake.booking import CancelledBy, cancel_appointment
from intake.models import Appointment, FreedTime, OfferOutcome, WaitlistEntry, WaitlistOffer
from intake.waitlist import run_offer_round
from tests.browser.conftest import assert_accessible
from tests.browser.keyboard import save, tab_to
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails
from tests.intake.waitlist_factories import join

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOW = local(2030, 1, 2, 10)  # a Wednesday morning in Madison
FREED = local(2030, 1, 14, 9)  # a Monday, 9:00
LATER = local(2030, 1, 28, 9)  # two weeks after it
SHOTS = Path("/tmp/patient")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def navigations(page: Page) -> list[str]:
    methods: list[str] = []
    page.on("request", lambda r: methods.append(r.method) if r.is_navigation_request() else None)
    return methods


def test_a_booked_patient_asks_from_the_manage_page_to_hear_of_an_earlier_time(
    live_server, page: Page
):
    methods = navigations(page)
    with time_machine.travel(NOW, tick=True):
        dana = make_clinician("Dana Lee", hours=[(time(9), time(10))], weekdays=[0])
        visit = make_type(name="Knee check", slug="knee-check", booking_window_days=60)
        mine = make_appointment(
            clinician=dana,
            appointment_type=visit,
            start=LATER,
            patient_name="Ana Silva",
            patient_email="ana@example.com",
        )
        page.set_viewport_size({"width": 390, "height": 844})

        page.goto(f"{live_server.url}/book/manage/{mine.manage_token}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
        tab_to(page, "el.textContent.trim() === 'Tell me if an earlier time opens'", 200)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Tell me if an earlier time opens")
        assert_accessible(page)
        # Only what the visit does not say already: no name, email or phone to type.
        assert page.locator("#id_email").count() == 0
        tab_to(page, "el.name === 'parts_of_day' && el.value === 'morning'", limit=200)
        page.keyboard.press("Space")
        shot(page, "join-from-visit-390")
        save(page, "Your place on the waitlist", label="Join the waitlist")
        expect(page.get_by_text("You’re on the waitlist.")).to_be_visible()
        assert_accessible(page)
        shot(page, "entry-from-visit-390")

        methods.clear()
        page.reload()
        page.go_back()
        page.reload()
        assert set(methods) == {"GET"}
        entry = WaitlistEntry.objects.get()
        assert (entry.appointment, entry.parts_of_day) == (mine, ["morning"])
        assert entry.lead.email == "ana@example.com"  # a lead for the front desk to see
        [joined] = deliver_queued_emails()
        assert joined.to == ["ana@example.com"]
        assert entry.token in joined.body

        # An earlier time frees; taking it would move the booked visit up.
        rival = make_appointment(clinician=dana, appointment_type=visit, start=FREED)
        cancel_appointment(appointment=rival, reason="", cancelled_by=CancelledBy.PATIENT)
        deliver_queued_emails()
        run_offer_round(freed_time_id=FreedTime.objects.get().pk, now=NOW + timedelta(minutes=5))
        [offer_email] = deliver_queued_emails()
        path = re.search(r"https?://[^/]+(/waitlist/offer/\S+/)", offer_email.body).group(1)
        page.goto(live_server.url + path)
        expect(page.get_by_text("Taking it moves your booked visit to this time.")).to_be_visible()
        assert_accessible(page)


def test_not_this_one_keeps_the_patient_waiting_and_back_and_reload_change_nothing(
    live_server, page: Page
):
    methods = navigations(page)
    with time_machine.travel(NOW, tick=True):
        dana = make_clinician("Dana Lee", hours=[(time(9), time(10))], weekdays=[0])
        visit = make_type(name="Knee check", slug="knee-check", booking_window_days=60)
        booked = make_appointment(clinician=dana, appointment_type=visit, start=FREED)
        entry = join(visit, email="ana@example.com", now=NOW)
        cancel_appointment(appointment=booked, reason="", cancelled_by=CancelledBy.PATIENT)
        run_offer_round(freed_time_id=FreedTime.objects.get().pk, now=NOW + timedelta(minutes=5))
        offer = WaitlistOffer.objects.get()
        page.set_viewport_size({"width": 390, "height": 844})

        page.goto(f"{live_server.url}/waitlist/offer/{offer.token}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("A time opened up")
        assert_accessible(page)
        shot(page, "offer-before-not-this-one-390")
        save(page, "A time opened up", label="Not this one")
        expect(
            page.get_by_text("You said “Not this one”. You are still on the waitlist")
        ).to_be_visible()
        assert_accessible(page)
        shot(page, "offer-after-not-this-one-390")
        # No button to press twice: the answer is the page now.
        assert page.get_by_role("button", name="Take this time").count() == 0

        methods.clear()
        page.go_back()
        page.reload()
        page.go_forward()
        page.reload()
        assert set(methods) == {"GET"}
        offer.refresh_from_db()
        assert offer.outcome == OfferOutcome.DECLINED
        assert WaitlistEntry.objects.filter(pk=entry.pk).exists()
        assert not Appointment.objects.filter(status="booked").exists()

        # The place is still there to see, change or leave, by keyboard.
        tab_to(page, "el.textContent.trim() === 'See or change your place on the waitlist'", 200)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your place on the waitlist")
        assert_accessible(page)
