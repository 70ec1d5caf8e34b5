"""One freed time followed from cancel to filled, on a phone-sized screen by keyboard:
a patient finds no suitable time and joins the waitlist; another cancels; the offer
email arrives; the patient takes the time. Back and Reload never take it twice.

The clock is pinned at a weekday morning (ticking), so quiet hours and the booking
rules give the same answer whenever the suite runs.
"""

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page, expect

from intake.booking import CancelledBy, cancel_appointment
from intake.models import Appointment, FreedTime, WaitlistEntry
from intake.waitlist import run_offer_round
from tests.browser.conftest import assert_accessible
from tests.browser.keyboard import save, tab_to, type_into
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOW = local(2030, 1, 2, 10)  # a Wednesday morning in Madison
FREED = local(2030, 1, 14, 9)  # a Monday, 9:00
SHOTS = Path("/tmp/shots-waitlist")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_freed_time_goes_from_cancel_to_filled_through_the_waitlist(live_server, page: Page):
    methods: list[str] = []
    page.on("request", lambda r: methods.append(r.method) if r.is_navigation_request() else None)
    with time_machine.travel(NOW, tick=True):
        dana = make_clinician("Dana Lee", hours=[(time(9), time(10))], weekdays=[0])
        visit = make_type(name="Knee check", slug="knee-check", booking_window_days=60)
        booked = make_appointment(clinician=dana, appointment_type=visit, start=FREED)
        page.set_viewport_size({"width": 390, "height": 844})

        # No suitable time (Dana's only free hour is a week later than the patient wants),
        # so after the times the patient asks to hear when one opens.
        page.goto(live_server.url + "/book/knee-check/")
        tab_to(page, "el.textContent.trim() === 'Tell me if a time opens that suits me'", 200)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Join the waitlist")
        assert_accessible(page)
        tab_to(page, "el.name === 'weekdays' && el.value === '0'", limit=200)
        page.keyboard.press("Space")
        tab_to(page, "el.name === 'parts_of_day' && el.value === 'morning'")
        page.keyboard.press("Space")
        type_into(page, "id_name", "Ana Silva")
        type_into(page, "id_email", "ana@example.com")
        type_into(page, "id_phone", "608 555 0142")
        shot(page, "join-390")
        save(page, "Your place on the waitlist", label="Join the waitlist")
        expect(page.get_by_text("You’re on the waitlist.")).to_be_visible()
        assert_accessible(page)
        shot(page, "entry-390")
        methods.clear()
        page.reload()
        assert methods == ["GET"]
        assert WaitlistEntry.objects.count() == 1
        [joined] = deliver_queued_emails()

        # The other patient cancels; after the undo buffer the round sends the offer.
        cancel_appointment(appointment=booked, reason="", cancelled_by=CancelledBy.PATIENT)
        deliver_queued_emails()
        run_offer_round(freed_time_id=FreedTime.objects.get().pk, now=NOW + timedelta(minutes=5))
        [offer_email] = deliver_queued_emails()
        print("\n--- joined email ---\n" + joined.subject + "\n" + joined.body)
        print("--- offer email ---\n" + offer_email.subject + "\n" + offer_email.body)
        offer_url = re.search(r"http\S+/waitlist/offer/\S+/", offer_email.body).group(0)
        path = offer_url.split("://", 1)[1].split("/", 1)[1]

        page.goto(f"{live_server.url}/{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text("A time opened up")
        assert_accessible(page)
        shot(page, "offer-390")
        save(page, "Your appointment", label="Take this time")
        expect(page.get_by_text("The time is yours.")).to_be_visible()
        assert_accessible(page)
        shot(page, "taken-390")

        # Back to the offer page, then Reload: it shows the booking, never a second one.
        methods.clear()
        page.go_back()
        page.reload()
        assert set(methods) == {"GET"}
        expect(page.get_by_text("You took this time.")).to_be_visible()
        assert Appointment.objects.filter(status="booked").count() == 1
        assert Appointment.objects.get(status="booked").patient_email == "ana@example.com"
        freed = FreedTime.objects.get()
        assert freed.filled_at is not None
        page.set_viewport_size({"width": 1280, "height": 900})
        shot(page, "offer-after-desktop")
