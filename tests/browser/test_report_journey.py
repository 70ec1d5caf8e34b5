"""The owner reads the weekly figures in Chromium: from the top bar by keyboard, a date
range typed and sent by keyboard, the tables readable at 390 px (the wide table scrolls
inside its own box, never the page), the CSV link, and axe on each state."""

from datetime import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page

from clinic.groups import OWNER
from intake.models import AppointmentStatus, CancelledBy, Clinician
from tests.browser.conftest import assert_accessible, sign_in_at
from tests.browser.keyboard import tab_to
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOW = local(2026, 11, 11, 12)  # a Wednesday in Madison
SHOTS = Path("/tmp/report")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_owner_reads_the_weeks_figures_by_keyboard_on_a_phone(
    live_server, page: Page, django_user_model, time_machine
):
    time_machine.move_to(NOW, tick=True)
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", weekdays=range(5))
    eli = make_clinician("Eli Moss", hours=[(time(13), time(17))], weekdays=range(5), position=1)
    visit = make_type(duration_minutes=60)
    for day, status in ((2, AppointmentStatus.COMPLETED), (3, AppointmentStatus.NO_SHOW)):
        make_appointment(
            clinician=dana, appointment_type=visit, start=local(2026, 11, day, 9), status=status
        )
    make_appointment(
        clinician=eli,
        appointment_type=visit,
        start=local(2026, 11, 4, 14),
        status=AppointmentStatus.CANCELLED,
        cancelled_at=local(2026, 11, 4, 8),
        cancelled_by=CancelledBy.STAFF,
    )
    owner = django_user_model.objects.create_user("owner", password="pw-group-123", is_staff=True)
    owner.groups.add(Group.objects.get(name=OWNER))

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_at(page, live_server.url + "/admin/", "owner")
    assert_accessible(page)  # the owner's home: the sections, with the figures first
    shot(page, "home-390")
    tab_to(page, "el.textContent === 'Figures'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Figures")
    assert "Monday, September 14, 2026" in page.content()  # the last 8 whole weeks
    assert_accessible(page)
    shot(page, "default-390")

    tab_to(page, "el.id === 'id_first_day'")
    page.keyboard.type("11022026")  # Chromium's date field takes the digits in order
    tab_to(page, "el.id === 'id_last_day'")
    page.keyboard.type("11082026")
    tab_to(page, "el.value === 'Show these weeks'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    text = page.locator("#content-main").inner_text()
    assert "Monday, November 2, 2026" in text and "1 whole week" in text
    assert "50.0% of the visits marked completed or no-show were no-shows" in text
    assert "1 late (less than 24 hours before the visit) and 0 early" in text
    # Numbers sit on the right of their cells, and only the tables' boxes scroll sideways.
    align = page.locator("td.num").first.evaluate("el => getComputedStyle(el).textAlign")
    assert align == "right"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    shot(page, "week-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    shot(page, "week-1280")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page)  # the admin's dark theme: contrast of the totals and notes
    shot(page, "week-1280-dark")
    page.emulate_media(color_scheme="light")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the week-by-week figures (CSV)").click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0].startswith("Week starting,Clinician,Visits booked")
    assert lines[1] == '2026-11-02,"Dana Lee, DPT",2,1,1,50.0,0,0,2.0,15.0,13'
