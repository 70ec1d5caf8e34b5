"""The front desk closes the clinic on Christmas Day, when 3 visits are already booked,
by keyboard only: from the closures page's holiday suggestions, through the choice for
the booked visits, to the patients' emails and the site's hours saying so. axe runs on
each page. The clicks (key presses that act) and seconds are printed for the closing note.

The clock is pinned (ticking) at Monday December 14, 2026, 10:00 in Madison.
"""

import time as wall
from datetime import date, time
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page

from intake.models import Appointment, AppointmentStatus, ClinicClosure, Clinician
from tests.browser.conftest import assert_accessible, pass_second_factor
from tests.browser.keyboard import tab_to
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOW = local(2026, 12, 14, 10)
CHRISTMAS = date(2026, 12, 25)
SHOTS = Path("/tmp/closures")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_front_desk_closes_christmas_day_over_three_booked_visits_by_keyboard(
    live_server, page: Page, group_member
):
    with time_machine.travel(NOW, tick=True):
        Clinician.objects.all().delete()
        dana = make_clinician("Dana Lee", hours=[(time(8), time(17))], weekdays=range(5))
        sam = make_clinician(
            "Sam Ortiz", hours=[(time(8), time(17))], weekdays=range(5), position=1
        )
        visit = make_type(name="Knee evaluation", slug="knee-evaluation", booking_window_days=60)
        booked = [
            make_appointment(
                clinician=clinician,
                appointment_type=visit,
                start=local(2026, 12, 25, hour),
                patient_email=f"patient{hour}@example.com",
            )
            for clinician, hour in ((dana, 9), (dana, 14), (sam, 11))
        ]
        desk = group_member("Front desk")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/admin/")
        page.locator("#id_username").focus()
        page.keyboard.type(desk.username)
        page.keyboard.press("Tab")
        page.keyboard.type("pw-group-123")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        pass_second_factor(page)

        clicks = 0
        started = wall.perf_counter()

        def act(test: str, key: str = "Enter", navigates: bool = True) -> None:
            nonlocal clicks
            tab_to(page, test, limit=300)
            clicks += 1
            if navigates:
                with page.expect_navigation():
                    page.keyboard.press(key)
            else:
                page.keyboard.press(key)

        # From the staff's home to the closures page.
        act("el.textContent.trim() === 'Clinic closures'")
        assert "Suggested: US federal holidays" in page.content()
        assert_accessible(page)
        shot(page, "1-suggestions")

        # One click on Christmas Day: visits are booked, so the form opens filled in.
        act("el.textContent.includes('for Christmas Day')")
        assert "Visits are booked on Christmas Day" in page.locator(".messagelist").inner_text()
        assert page.locator("#id_reason").input_value() == "Christmas Day"
        act("el.type === 'submit' && el.value === 'Save'")
        choice = page.locator(".stranded-appointments").inner_text()
        assert all(a.patient_name in choice for a in booked)
        assert not ClinicClosure.objects.exists()
        assert_accessible(page)
        shot(page, "2-choice")

        # Cancel all 3 (the radio group: Tab in, arrow to the choice) and save.
        tab_to(page, "el.name === 'for_all'", limit=300)
        page.keyboard.press("ArrowDown")  # "Cancel and email the patient, for all 3"
        clicks += 1
        assert page.evaluate("() => document.activeElement.value") == "cancel"
        act("el.type === 'submit' && el.value === 'Save'")
        seconds = wall.perf_counter() - started
        message = page.locator(".messagelist").inner_text()
        assert "3 appointment(s) cancelled and the patients emailed; 0 kept" in message
        assert_accessible(page)
        shot(page, "3-saved")
        print(f"\nclosing a day with 3 booked visits: {clicks} clicks, {seconds:.1f} seconds")

        closure = ClinicClosure.objects.get()
        assert (closure.start_date, closure.reason) == (CHRISTMAS, "Christmas Day")
        assert {a.status for a in Appointment.objects.all()} == {AppointmentStatus.CANCELLED}
        emails = deliver_queued_emails()
        assert sorted(e.to[0] for e in emails) == sorted(a.patient_email for a in booked)
        print("--- a patient's email ---\n" + emails[0].subject + "\n" + emails[0].body)
        assert "The clinic is closed Fri Dec 25: Christmas Day." in emails[0].body

        # Patients see it on the site's hours, and cannot book that day.
        page.goto(f"{live_server.url}/contact/")
        assert "Closed Fri Dec 25: Christmas Day" in page.locator(".clinic-closures").inner_text()
        assert_accessible(page)
        shot(page, "4-contact")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/book/knee-evaluation/?start=2026-12-24")
        body = page.locator("main").inner_text()
        assert "December 24" in body
        assert "December 25" not in body
        shot(page, "5-booking-390")


def test_a_snow_day_typed_by_keyboard_on_a_phone_closes_the_clinic(
    live_server, page: Page, group_member
):
    """No holiday to pick: the desk types the day and the reason into the browser's own
    date picker, on a 390 px screen, and nothing is booked that day so one save does it."""
    with time_machine.travel(NOW, tick=True):
        Clinician.objects.all().delete()
        make_clinician("Dana Lee", hours=[(time(8), time(17))], weekdays=range(5))
        make_type(name="Knee evaluation", slug="knee-evaluation", booking_window_days=60)
        desk = group_member("Front desk")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/admin/intake/clinicclosure/add/")
        page.locator("#id_username").focus()
        page.keyboard.type(desk.username)
        page.keyboard.press("Tab")
        page.keyboard.type("pw-group-123")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        pass_second_factor(page)
        assert_accessible(page)

        # The admin puts the cursor in the first box (its month part) already.
        assert page.evaluate("() => document.activeElement.id") == "id_start_date"
        page.keyboard.type("12162026")  # the picker's month, day, year
        tab_to(page, "el.id === 'id_reason'")
        page.keyboard.type("Snow day")
        shot(page, "6-snow-day-390")
        tab_to(page, "el.type === 'submit' && el.value === 'Save'", limit=300)
        with page.expect_navigation():
            page.keyboard.press("Enter")

        closure = ClinicClosure.objects.get()
        assert (closure.start_date, closure.end_date) == (date(2026, 12, 16), date(2026, 12, 16))
        assert "Wed Dec 16, 2026" in page.locator("#result_list").inner_text()
        assert_accessible(page)
        shot(page, "7-snow-day-listed-390")
