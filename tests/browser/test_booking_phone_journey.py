"""Booking on a 390 px phone by keyboard, as issue 20 walked it: the times come one day at a
time (each day a `<details>`, no JavaScript needed) and one day's buttons fit one screen;
a visit chosen inside the change window says before booking that it can't be changed
online; Reschedule never offers the visit's own time and says "Your visit would move to"
until the patient confirms. axe-checked on every page; Back and Reload send nothing twice.
"""

from datetime import time
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Page, expect

from intake.models import Appointment, Clinician
from tests.browser.conftest import assert_accessible
from tests.browser.keyboard import save, tab_to, type_into
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A Monday morning in Madison, ten minutes before the first time two hours ahead (12:00)
# stops being bookable: the ticking clock never races the notice rule.
NOW = local(2030, 1, 7, 9, 50)
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/patient")

DAYS = """() => [...document.querySelectorAll('details.slot-day')].map(d => ({
  name: d.querySelector('summary').textContent.replace(/\\s+/g, ' ').trim(),
  open: d.open,
  buttons: d.querySelectorAll('.slot-button').length,
  visible: [...d.querySelectorAll('.slot-button')].filter(b => b.checkVisibility()).length,
  height: d.querySelector('.slot-list').getBoundingClientRect().height,
}))"""


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def clinic():
    """Two clinicians on long days, a 30-minute visit every 15 minutes: 43 times a day."""
    make_clinician("Dana Lee", hours=[(time(7), time(18))], position=0)
    make_clinician("Sam Ortiz", hours=[(time(8), time(17))], position=1)
    return make_type(
        name="Running check",
        slug="running-check",
        duration_minutes=30,
        slot_interval_minutes=15,
        minimum_notice_hours=2,
        booking_window_days=60,
    )


def test_a_phone_shows_one_day_of_times_at_a_time_within_one_screen(live_server, page, clinic):
    methods: list[str] = []
    page.on("request", lambda r: methods.append(r.method) if r.is_navigation_request() else None)
    with time_machine.travel(NOW, tick=True):
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + "/book/running-check/")
        expect(page.get_by_role("heading", level=2).first).to_have_text(
            "Monday, January 7 to Sunday, January 13"
        )
        assert_accessible(page)
        shot(page, "times-390")

        days = page.evaluate(DAYS)
        print(
            "\n"
            + "\n".join(f"{d['name']}: {d['buttons']} buttons, {d['height']:.0f}px" for d in days)
        )
        assert len(days) == 7
        # Today from noon (two hours' notice), then 7:00 to 17:30 every 15 minutes.
        assert [d["buttons"] for d in days] == [23] + [43] * 6
        assert [d["open"] for d in days] == [True] + [False] * 6
        # Only the open day's buttons take room: 23 on the page, not 281.
        assert sum(d["visible"] for d in days) == 23

        # Open Tuesday by keyboard: Enter on its summary, no script involved.
        tab_to(page, "el.tagName === 'SUMMARY' && el.textContent.includes('Tuesday')", 200)
        page.keyboard.press("Enter")
        tuesday = page.evaluate(DAYS)[1]
        assert tuesday["open"] and tuesday["visible"] == 43
        assert tuesday["height"] <= PHONE["height"], "one day's times must fit one screen"
        page.locator("details.slot-day").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "times-tuesday-open-390.png"))
        assert_accessible(page)

        # The same page without JavaScript: still days to open, buttons to press.
        methods.clear()
        page.reload()
        assert methods == ["GET"]


def test_a_time_inside_the_change_window_is_flagged_before_booking(live_server, page, clinic):
    with time_machine.travel(NOW, tick=True):
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + "/book/running-check/")
        tab_to(page, "el.classList.contains('slot-button')", 200)  # today, 12:00 PM
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
        type_into(page, "id_name", "Pat Runner")
        type_into(page, "id_email", "pat@example.com")
        type_into(page, "id_phone", "608 555 0123")
        save(page, "Check and confirm your booking", label="Continue")
        expect(
            page.get_by_role("heading", name="You won’t be able to change this online")
        ).to_be_visible()
        assert_accessible(page)
        shot(page, "review-inside-window-390")
        save(page, "Your appointment", label="Confirm booking")
        expect(
            page.get_by_role("heading", name="Please call us to change or cancel")
        ).to_be_visible()
        shot(page, "manage-inside-window-390")
        assert Appointment.objects.count() == 1


def test_reschedule_hides_the_current_time_and_says_would_move_until_confirmed(
    live_server, page, clinic
):
    methods: list[str] = []
    page.on("request", lambda r: methods.append(r.method) if r.is_navigation_request() else None)
    with time_machine.travel(NOW, tick=True):
        dana = Clinician.objects.get(name="Dana Lee")
        visit = make_appointment(
            clinician=dana, appointment_type=clinic, start=local(2030, 1, 10, 7)
        )
        page.set_viewport_size(PHONE)
        page.goto(
            f"{live_server.url}/book/manage/{visit.manage_token}/reschedule/?clinician={dana.pk}"
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new time")
        thursday = page.locator("details.slot-day", has_text="Thursday, January 10")
        # 7:00 is where the visit already is; 7:15 overlaps it, which moving makes free.
        expect(thursday.locator("summary")).to_contain_text("42 times")
        thursday.locator("summary").focus()
        page.keyboard.press("Enter")
        first = thursday.locator(".slot-button").first
        expect(first).to_contain_text("7:15 AM")
        assert_accessible(page)
        shot(page, "reschedule-times-390")
        first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Move your appointment?")
        expect(
            page.get_by_text("Your visit would move to Thursday, January 10, 2030 at 7:15 AM")
        ).to_be_visible()
        assert_accessible(page)
        shot(page, "reschedule-would-move-390")
        visit.refresh_from_db()
        assert visit.start == local(2030, 1, 10, 7)

        save(page, "Your appointment", label="Move my appointment")
        expect(page.get_by_text("Your appointment has moved.")).to_be_visible()
        methods.clear()
        page.go_back()
        page.reload()
        assert set(methods) == {"GET"}
        visit.refresh_from_db()
        assert visit.start == local(2030, 1, 10, 7, 15)
        assert Appointment.objects.count() == 1


def test_a_week_with_no_times_leads_with_the_waitlist(live_server, page, clinic):
    with time_machine.travel(NOW, tick=True):
        Clinician.objects.update(bookable=False)
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + "/book/running-check/")
        expect(
            page.get_by_role("heading", name="Want us to tell you when a time opens?")
        ).to_be_visible()
        assert_accessible(page)
        shot(page, "times-none-390")
        tab_to(page, "el.textContent.trim() === 'Join the waitlist'", 200)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Join the waitlist")
