"""The front desk's morning, in Chromium: sign in by keyboard, land on Today, mark a
patient arrived without JavaScript mattering, open a clinician's week; axe on each page."""

import os
from datetime import time, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import AppointmentStatus, Clinician, TimeOff, TriageOutcome
from tests.browser.conftest import assert_accessible, pass_second_factor
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.leads_support import make_lead


def at(hour: int):
    day = timezone.localdate()
    return local(day.year, day.month, day.day, hour)


def test_front_desk_runs_the_day_from_today_by_keyboard(
    live_server, page, django_user_model, time_machine
):
    # Five past nine: Maria's 9:00 visit has begun, so its attendance buttons show.
    time_machine.move_to(at(9) + timedelta(minutes=5), tick=True)
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(7), time(19))])
    visit = make_type(name="Initial evaluation", duration_minutes=45)
    appointment = make_appointment(
        clinician=dana, appointment_type=visit, start=at(9), patient_name="Maria Gonzalez"
    )
    TimeOff.objects.create(clinician=dana, start=at(15), end=at(17), reason="Conference")
    make_lead(name="Alex Calf", triage_outcome=TriageOutcome.SEE_DOCTOR)
    make_lead(
        name="Robin Later",
        email="robin@example.com",
        status="follow_up",
        follow_up_due=timezone.localdate() - timedelta(days=1),
    )
    desk = django_user_model.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    desk.groups.add(Group.objects.get(name="Front desk"))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server.url + "/admin/")
    page.keyboard.press("Tab")
    page.locator("#id_username").focus()
    page.keyboard.type("desk")
    page.keyboard.press("Tab")
    page.keyboard.type("pw-desk-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)  # first sign-in: set up the authenticator

    page.wait_for_url(live_server.url + "/admin/")
    assert page.locator("h1").inner_text().startswith("Today, ")
    urgent = page.locator("section", has=page.locator("#urgent-title"))
    assert "Alex Calf" in urgent.inner_text()
    assert "Time off: Conference" in page.content()
    assert_accessible(page)

    arrived = page.get_by_role("button", name="Arrived")
    arrived.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Maria Gonzalez: marked arrived.")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ARRIVED
    assert_accessible(page)

    # A slip is taken back the same day by keyboard, and the visit is as it was.
    undo = page.get_by_role("button", name="Undo Arrived")
    undo.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text(
        "Maria Gonzalez: Arrived undone, now Booked."
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert_accessible(page)
    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{folder}/today-undone.png", full_page=True)

    page.get_by_role("link", name="Week view for Dana Lee, DPT").first.click()
    page.wait_for_load_state()
    assert "Calendar: Dana Lee, week of" in page.locator("h1").inner_text()
    assert "Maria Gonzalez" in page.content()
    assert_accessible(page)


def test_leads_list_fits_beside_its_filters_at_1280_px(live_server, page, group_member):
    make_lead(name="Alex Calf", triage_outcome=TriageOutcome.EMERGENCY)
    make_lead(
        name="Robin Later",
        email="robin@example.com",
        status="follow_up",
        follow_up_due=timezone.localdate() - timedelta(days=1),
        triage_outcome=TriageOutcome.PATELLOFEMORAL,
    )
    group_member("Front desk")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/?next=/admin/intake/lead/")
    page.fill("#id_username", "front_desk")
    page.fill("#id_password", "pw-group-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)
    page.wait_for_url(live_server.url + "/admin/intake/lead/")

    table_right, filter_left, clipped = page.evaluate(
        """() => {
            const results = document.querySelector('.results');
            return [
                document.querySelector('#result_list').getBoundingClientRect().right,
                document.querySelector('#changelist-filter').getBoundingClientRect().left,
                results.scrollWidth > results.clientWidth,
            ];
        }"""
    )
    assert table_right <= filter_left
    assert not clipped
    assert page.locator(".lead-urgent").count() == 1
    assert_accessible(page)
