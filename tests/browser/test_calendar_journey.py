"""The front desk's calendar in Chromium, by keyboard: from Today to the day's grid, a
free time to the booking form at that time, a visit to its page, then the week; at
1280 px, on a 390 px phone (the grid scrolls in its own box, the page does not) and on
paper. axe runs on every view. The clock is Tuesday 8 December 2026, 7:30 in Madison."""

import os
import re
from datetime import date, time
from pathlib import Path

from django.contrib.auth.models import Group

from intake.models import AppointmentStatus, ClinicClosure, Clinician, TimeOff
from tests.browser.conftest import assert_accessible, pass_second_factor
from tests.browser.keyboard import tab_to
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, only when SHOTS_DIR names a folder for them."""
    if folder := os.environ.get("SHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def press_link(page, name: str) -> None:
    """Tab to the link with that accessible name and press Enter."""
    link = page.get_by_role("link", name=name, exact=True)
    assert link.count() == 1, name
    tab_to(page, f"el === document.querySelector('{_selector(page, link)}')", limit=400)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _selector(page, link) -> str:
    """A unique selector for `link`, so Tab can tell when it reached it."""
    link.evaluate("el => el.setAttribute('data-journey-target', '')")
    return "[data-journey-target]"


def test_front_desk_reads_and_books_from_the_calendar_by_keyboard(
    live_server, page, django_user_model, time_machine
):
    time_machine.move_to(local(2026, 12, 8, 7, 30), tick=True)
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(8), time(12))], weekdays=range(5))
    sam = make_clinician("Sam Ortiz", hours=[(time(12), time(17))], weekdays=range(5), position=1)
    visit = make_type(name="Evaluation", duration_minutes=60)
    jane = make_appointment(
        clinician=dana, appointment_type=visit, start=local(2026, 12, 8, 9), patient_name="Jane Doe"
    )
    make_appointment(
        clinician=sam,
        appointment_type=visit,
        start=local(2026, 12, 8, 13),
        patient_name="Carl Cancel",
        status=AppointmentStatus.CANCELLED,
    )
    make_appointment(
        clinician=sam,
        appointment_type=visit,
        start=local(2026, 12, 8, 15),
        patient_name="Ada Arrived",
        status=AppointmentStatus.ARRIVED,
    )
    TimeOff.objects.create(
        clinician=dana, start=local(2026, 12, 8, 11), end=local(2026, 12, 8, 12), reason="Course"
    )
    ClinicClosure.objects.create(
        start_date=date(2026, 12, 11), end_date=date(2026, 12, 11), reason="Staff training"
    )
    desk = django_user_model.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    desk.groups.add(Group.objects.get(name="Front desk"))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").focus()
    page.keyboard.type("desk")
    page.keyboard.press("Tab")
    page.keyboard.type("pw-desk-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)
    page.wait_for_url(live_server.url + "/admin/")

    press_link(page, "this day")
    assert page.locator("h1").inner_text() == "Calendar: Tuesday, December 8, 2026"
    grid = page.locator(".calendar-grid")
    assert grid.get_by_role("link", name="Visit: Jane Doe, 9:00 AM, Evaluation, Booked").count()
    assert grid.get_by_role("link", name="Visit: Ada Arrived, 3:00 PM, Evaluation, Arrived").count()
    assert "Time off: Dana Lee, 11:00 AM to 12:00 PM" in grid.inner_text()
    assert page.locator("td.off-hours").count() > 0
    assert_accessible(page)
    shot(page, "calendar-day-1280")
    table_width = grid.evaluate("el => el.getBoundingClientRect().width")
    assert table_width <= 1280

    # A free time: the booking form at that time, by the agreed address.
    press_link(page, "Book Dana Lee Tue Dec 8 10:00 AM")
    assert page.url == (
        f"{live_server.url}/admin/intake/appointment/add/?clinician={dana.pk}"
        "&start=2026-12-08T10:00"
    )
    assert page.locator("h1").inner_text() == "Book an appointment"
    page.go_back()

    press_link(page, "Visit: Jane Doe, 9:00 AM, Evaluation, Booked")
    assert page.url.endswith(f"/admin/intake/appointment/{jane.pk}/change/")
    page.go_back()

    press_link(page, "Week view")
    assert page.locator("h1").inner_text() == "Calendar: everyone, week of December 7, 2026"
    assert page.locator("th[scope=colgroup]").count() == 5
    # Friday's closure fills both clinicians' columns, with nothing to book.
    closed = page.locator(".calendar-grid .closure")
    assert closed.count() == 2
    assert "Staff training" in closed.first.inner_text()
    assert not page.get_by_role("link", name=re.compile(r"^Book .* Fri Dec 11 ")).count()
    assert_accessible(page)
    shot(page, "calendar-week-everyone-1280")
    press_link(page, "Next week →")
    assert "week of December 14, 2026" in page.locator("h1").inner_text()
    press_link(page, "This week")
    assert "week of December 7, 2026" in page.locator("h1").inner_text()

    # A phone: the page keeps its width; a grid wider than the phone scrolls sideways
    # in its own box (the times stay put at its left).
    page.set_viewport_size({"width": 390, "height": 844})
    widths = """() => {
        const box = document.querySelector('.calendar-scroll');
        return [document.documentElement.scrollWidth, box.scrollWidth > box.clientWidth];
    }"""
    page.goto(f"{live_server.url}/admin/intake/appointment/day/?date=2026-12-08")
    assert page.evaluate(widths)[0] <= 390
    assert_accessible(page)
    shot(page, "calendar-day-390")
    press_link(page, "Book Sam Ortiz Tue Dec 8 4:30 PM")
    assert "start=2026-12-08T16:30" in page.url
    page.go_back()
    page.goto(f"{live_server.url}/admin/intake/appointment/week/?clinician={sam.pk}")
    assert page.evaluate(widths) == [390, True]
    assert_accessible(page)
    shot(page, "calendar-week-sam-390")
    page.goto(f"{live_server.url}/admin/intake/appointment/week/")
    assert page.evaluate(widths) == [390, True]
    assert_accessible(page)

    # The dark theme keeps every status and block readable (axe checks the contrast).
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server.url}/admin/intake/appointment/day/?date=2026-12-08")
    assert_accessible(page)
    shot(page, "calendar-day-dark")
    page.emulate_media(color_scheme="light")

    # Paper: the admin around the grid is gone, the grid is all there.
    page.emulate_media(media="print")
    assert not page.locator("#header").is_visible()
    assert not page.locator(".calendar-nav").is_visible()
    assert page.locator(".calendar-grid").is_visible()
    unclipped = page.evaluate(
        "() => getComputedStyle(document.querySelector('.calendar-scroll')).overflow"
    )
    assert unclipped == "visible"
    shot(page, "calendar-day-print")
    if folder := os.environ.get("SHOTS_DIR"):
        page.pdf(path=f"{folder}/calendar-day.pdf", landscape=True)
