"""One patient's whole episode on the merged before-visit code, in Chromium: Maria, a
runner, books an initial evaluation online and fills in her forms on a phone by
keyboard; a clinician sees "Forms: done" on Today, reads her answers and records the
visit; the front desk books two follow-ups (under a new lead, since she became a
patient); each 24-hour reminder carries the "How are you doing?" link, where she rates
the same activities, better each time; the clinician reads the change on the
follow-up's and both leads' pages; the front desk sees statuses, never scores.

Time is real: the visits are booked ahead of now, and the reminders are sent with the
`now` of 23 hours before each follow-up, which is what the scheduled job would see.
Set SHOTS_DIR to a folder to keep a full-page screenshot of every step.
"""

import os
import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from intake.booking import send_due_reminders
from intake.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Clinician,
    Lead,
    Measure,
    MeasureResponse,
    PreVisit,
)
from tests.browser.conftest import assert_accessible, pass_second_factor
from tests.browser.keyboard import choose, save, tab_to, type_into
from tests.intake.booking_factories import CHICAGO, make_clinician
from tests.intake.previsit_support import CALM_SAFETY
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
LINK = re.compile(r"/before-your-visit/[^/\s]+/")


def shot(page: Page, name: str) -> None:
    if folder := os.environ.get("SHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def staff_page(browser, live_server, user) -> Page:
    """A browser of the staff member's own (their own session), signed in with both steps."""
    page = browser.new_context(viewport=DESK).new_page()
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-group-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)
    page.wait_for_url(live_server.url + "/admin/")
    return page


def book_online(page: Page, live_server) -> None:
    """The patient's booking: the earliest time of an initial evaluation."""
    page.goto(live_server.url + "/book/")
    with page.expect_navigation():
        page.get_by_role("link", name="Choose a time for Initial evaluation").click()
    with page.expect_navigation():
        page.locator(".slot-button").first.click()
    page.fill("#id_name", "Maria Gonzalez")
    page.fill("#id_email", "maria@example.com")
    page.fill("#id_phone", "608 555 0123")
    page.fill("#id_message", "Knee pain after 5 km, worse on stairs.")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_text("You’re booked.")).to_be_visible()


def fill_first_visit_form(page: Page, psfs: int, pain: int) -> None:
    """Every section, by keyboard, from the overview page."""
    tab_to(page, "el.textContent.trim() === 'Start: Your contact details'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_label("Your full name")).to_have_value("Maria Gonzalez")
    type_into(page, "id_date_of_birth", "07141991")
    type_into(page, "id_emergency_name", "Luis Gonzalez")
    type_into(page, "id_emergency_phone", "608 555 0177")
    shot(page, "03-contact")
    save(page, "What brings you in")

    # The booking's message is already there.
    expect(page.get_by_label("What brings you in?", exact=False)).to_have_value(
        "Knee pain after 5 km, worse on stairs."
    )
    if not page.locator("input[name='body_area'][value='knee']").is_checked():
        choose(page, "body_area", ["knee"])
    choose(page, "activities", ["running"])
    type_into(page, "id_goals", "Run the Madison 10K in June")
    shot(page, "04-reasons")
    save(page, "Your health history")

    type_into(page, "id_medications", "None")
    choose(page, "pregnancy", "not_relevant")
    shot(page, "05-history")
    save(page, "Safety questions")

    for key, value in CALM_SAFETY.items():
        if page.locator(f"input[name='{key}']").first.is_visible():
            choose(page, key, value)
    shot(page, "06-safety")
    save(page, "How your problem affects you")

    type_into(page, f"id_m{psfs}_1_name", "Running 5 km")
    choose(page, f"m{psfs}_1_rating", "2")
    type_into(page, f"id_m{psfs}_2_name", "Stairs")
    choose(page, f"m{psfs}_2_rating", "4")
    choose(page, f"m{pain}_now", "6")
    choose(page, f"m{pain}_best", "3")
    choose(page, f"m{pain}_worst", "8")
    shot(page, "07-measures")
    save(page, "Consent and privacy")

    tab_to(page, "el.name === 'agree_treatment'")
    page.keyboard.press("Space")
    tab_to(page, "el.name === 'agree_privacy'")
    page.keyboard.press("Space")
    type_into(page, "id_typed_name", "Maria Gonzalez")
    shot(page, "08-consent")
    save(page, "Before your first visit", label="Sign and save")
    expect(page.get_by_role("heading", name="All done: thank you")).to_be_visible()


def book_follow_up(desk: Page, live_server, start) -> Appointment:
    """The front desk books a follow-up in the admin, as for a patient at the counter."""
    local_start = start.astimezone(CHICAGO)
    desk.goto(live_server.url + "/admin/intake/appointment/add/")
    desk.select_option("#id_clinician", str(Clinician.objects.get(name="Dana Lee").pk))
    desk.select_option(
        "#id_appointment_type", str(AppointmentType.objects.get(slug="follow-up").pk)
    )
    desk.fill("#id_start_0", f"{local_start:%Y-%m-%d}")
    desk.fill("#id_start_1", f"{local_start:%H:%M}")
    desk.fill("#id_patient_name", "Maria Gonzalez")
    desk.fill("#id_patient_email", "Maria@Example.com")  # typed differently at the desk
    desk.fill("#id_patient_phone", "608-555-0123")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Book it").click()
    expect(desk.locator(".messagelist")).to_contain_text("Booked: Maria Gonzalez")
    return Appointment.objects.get(start=start)


def check_in_link(appointment: Appointment) -> str:
    """Send the 24-hour reminders as the scheduled job would 23 hours before the visit;
    the link in Maria's reminder."""
    deliver_queued_emails()  # the booking confirmations: not what we are after
    assert send_due_reminders(now=appointment.start - timedelta(hours=23)) == 1
    (reminder,) = deliver_queued_emails()
    assert reminder.to == ["Maria@Example.com"]
    assert "How are you doing?" in reminder.body
    assert "Running 5 km" not in reminder.body  # a link, never an answer
    return LINK.search(reminder.body).group(0)


def fill_check_in(page: Page, live_server, link: str, psfs: int, pain: int, scores, name: str):
    running, stairs, pain_now, pain_best, pain_worst = scores
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("How are you doing?")
    assert_accessible(page)
    tab_to(page, "el.textContent.trim() === 'Start: How are you doing?'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The same activities she named at the start, by name.
    expect(page.get_by_text("“Running 5 km”: how well can you do it now?")).to_be_visible()
    expect(page.get_by_text("“Stairs”: how well can you do it now?")).to_be_visible()
    assert_accessible(page)
    choose(page, f"m{psfs}_1_rating", str(running))
    choose(page, f"m{psfs}_2_rating", str(stairs))
    choose(page, f"m{pain}_now", str(pain_now))
    choose(page, f"m{pain}_best", str(pain_best))
    choose(page, f"m{pain}_worst", str(pain_worst))
    shot(page, f"{name}-measures")
    save(page, "How are you doing?")
    expect(page.get_by_text("Saved: How are you doing?", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="All done: thank you")).to_be_visible()
    shot(page, f"{name}-done")


def expect_outcomes(page: Page) -> None:
    """The PSFS and pain charts: three points each, the MCID band, the verdicts."""
    psfs = page.locator(
        ".outcome",
        has=page.locator(
            ".outcome-title", has_text=re.compile(r"^Patient-Specific Functional Scale$")
        ),
    )
    expect(psfs.locator("circle.dot")).to_have_count(3)
    expect(psfs.locator("rect.band")).to_have_count(1)
    expect(psfs.locator(".dot-label")).to_have_text(["3", "5", "7.5"])
    expect(psfs.locator(".outcome-verdict")).to_contain_text(
        "Clinically important change: yes: improved by 4.5 points (the MCID is 2)."
    )
    expect(psfs.locator(".outcome-table tbody tr")).to_have_count(3)
    expect(psfs.locator(".outcome-table tbody")).to_contain_text("+4.5: improved")
    pain = page.locator(
        ".outcome", has=page.locator(".outcome-title", has_text=re.compile(r"^Pain rating$"))
    )
    expect(pain.locator("circle.dot")).to_have_count(3)
    expect(pain.locator(".dot-label")).to_have_text(["5.67", "4", "2"])
    expect(pain.locator(".outcome-verdict")).to_contain_text(
        "Clinically important change: yes: improved by 3.67 points (the MCID is 2)."
    )
    # Each activity she named has its own chart too.
    running = page.locator(".outcome", has_text="Patient-Specific Functional Scale: Running 5 km")
    expect(running.locator(".dot-label")).to_have_text(["2", "4", "7"])


def test_one_patient_from_booking_through_two_follow_ups(
    live_server, page: Page, browser, group_member, time_machine
):
    Clinician.objects.all().delete()
    # Dana works every day, so the earliest online time is today or tomorrow: on Today.
    make_clinician("Dana Lee", hours=[(time(7), time(19))])
    AppointmentType.objects.filter(slug="initial-evaluation").update(minimum_notice_hours=2)
    psfs = Measure.objects.get(slug="psfs").pk
    pain = Measure.objects.get(slug="pain").pk

    # 1. Maria books online on her phone and fills in the form from the confirmation.
    page.set_viewport_size(PHONE)
    book_online(page, live_server)
    callout = page.locator("section.callout", has_text="Before your visit")
    expect(callout).to_contain_text("Fill in your forms")
    assert_accessible(page)
    shot(page, "01-booked")
    with page.expect_navigation():
        callout.get_by_role("link", name="Fill in your forms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before your first visit")
    shot(page, "02-overview")
    fill_first_visit_form(page, psfs, pain)
    assert_accessible(page)
    shot(page, "09-form-done")
    first = Appointment.objects.get(patient_email="maria@example.com")

    # 2. The clinician: Today, the summary, then she arrives and is seen (the clock moves to
    # her visit's start: attendance is recorded only from then).
    time_machine.move_to(first.start + timedelta(minutes=1), tick=True)
    clinician = staff_page(browser, live_server, group_member("Clinician"))
    row = clinician.locator("tr", has_text="Maria Gonzalez")
    expect(row).to_contain_text("Forms: done")
    expect(row).not_to_contain_text("Red flag")
    assert_accessible(clinician)
    shot(clinician, "10-today-clinician")
    with clinician.expect_navigation():
        clinician.get_by_role("link", name="Intake summary for Maria Gonzalez").click()
    expect(clinician.locator("h1")).to_have_text("Before-visit form: Maria Gonzalez")
    summary = clinician.locator("#content")
    for answer in ["Luis Gonzalez", "Run the Madison 10K in June", "Running 5 km", "Stairs"]:
        expect(summary).to_contain_text(answer)
    assert_accessible(clinician)
    shot(clinician, "11-summary")
    clinician.goto(live_server.url + "/admin/")
    for button in ("Arrived", "Completed"):
        with clinician.expect_navigation():
            clinician.locator("tr", has_text="Maria Gonzalez").get_by_role(
                "button", name=re.compile(button)
            ).click()
    first.refresh_from_db()
    assert first.status == AppointmentStatus.COMPLETED
    first_lead = first.lead
    assert first_lead.status == "became_patient"
    shot(clinician, "12-today-completed")

    # 3. The front desk books two follow-ups; each reminder links to the check-in.
    desk = staff_page(browser, live_server, group_member("Front desk"))
    row = desk.locator("tr", has_text="Maria Gonzalez")
    expect(row).to_contain_text("Forms: done")
    expect(desk.get_by_text("Red flag")).to_have_count(0)
    expect(desk.get_by_role("link", name=re.compile("Intake summary"))).to_have_count(0)
    shot(desk, "13-today-front-desk")
    day = timezone.localdate(first.start, CHICAGO)
    follow_ups = [
        book_follow_up(
            desk,
            live_server,
            timezone.make_aware(
                timezone.datetime.combine(day + timedelta(days=days), time(10)), CHICAGO
            ),
        )
        for days in (7, 14)
    ]
    shot(desk, "14-follow-up-booked")
    for number, (follow_up, scores) in enumerate(
        zip(follow_ups, [(4, 6, 4, 2, 6), (7, 8, 2, 1, 3)], strict=True), start=1
    ):
        link = check_in_link(follow_up)
        fill_check_in(
            page, live_server, link, psfs, pain, scores, f"{14 + number}-check-in-{number}"
        )
    forms = PreVisit.objects.filter(appointment__patient_email__iexact="maria@example.com")
    assert sorted(
        MeasureResponse.objects.filter(previsit__in=forms, measure_id=psfs).values_list(
            "score", flat=True
        )
    ) == [3, 5, 7.5]
    later_leads = Lead.objects.exclude(pk=first_lead.pk)
    assert later_leads.count() == 1  # she became a patient: the follow-ups start a new lead

    # 4. The clinician reads the change on the last follow-up's page and both leads'.
    pages = {
        "17-follow-up-2": f"/admin/intake/appointment/{follow_ups[1].pk}/change/",
        "18-follow-up-1": f"/admin/intake/appointment/{follow_ups[0].pk}/change/",
        "19-first-visit": f"/admin/intake/appointment/{first.pk}/change/",
        "20-first-lead": f"/admin/intake/lead/{first_lead.pk}/change/",
        "21-later-lead": f"/admin/intake/lead/{later_leads.get().pk}/change/",
    }
    for name, url in pages.items():
        clinician.goto(live_server.url + url)
        expect_outcomes(clinician)
        shot(clinician, name)
    # The last follow-up's own summary: her check-in answers, no first-visit sections.
    clinician.goto(live_server.url + f"/admin/intake/appointment/{follow_ups[1].pk}/previsit/")
    expect(clinician.locator("#content")).to_contain_text("Running 5 km: 7")
    expect(clinician.locator("#content")).to_contain_text("Stairs: 8")
    expect(clinician.locator("#content")).not_to_contain_text("Emergency contact")
    expect(clinician.locator("#content")).to_contain_text(
        "Not asked at a follow-up: the patient signs on the first-visit form"
    )
    assert_accessible(clinician)
    shot(clinician, "22-follow-up-summary")

    # The front desk opens the same pages: statuses, no scores or answers.
    for url in pages.values():
        desk.goto(live_server.url + url)
        expect(desk.locator(".outcomes")).to_have_count(0)
        expect(desk.locator("#content")).not_to_contain_text("Running 5 km")
    desk.goto(live_server.url + "/admin/intake/previsit/")
    expect(desk.locator("#result_list tbody tr")).to_have_count(3)
    expect(desk.locator("#result_list")).not_to_contain_text("Running 5 km")
    shot(desk, "23-forms-front-desk")
