"""A clinician's morning with before-visit forms, in Chromium: Today flags the form with
a red-flag answer, the summary opens by keyboard, prints on at most two sheets, and the
flag is marked reviewed; the day view shows the same. The front desk sees how far each
patient got and is refused the answers. axe on every page."""

import os
import re
from datetime import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from intake.models import Clinician, PreVisitStatus, TriageOutcome
from tests.browser.conftest import assert_accessible, pass_second_factor
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.leads_support import make_lead
from tests.intake.previsit_staff_factories import fill_previsit, make_previsit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shot(page: Page, tmp_path: Path, name: str) -> None:
    """Full-page screenshots go to SHOTS_DIR when set (to look at), else to the test's tmp."""
    folder = Path(os.environ.get("SHOTS_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def at(hour: int):
    day = timezone.localdate()
    return local(day.year, day.month, day.day, hour)


def a_day_of_forms() -> None:
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(7), time(19))])
    visit = make_type(name="Initial evaluation", duration_minutes=45)
    flagged = make_appointment(
        clinician=dana,
        appointment_type=visit,
        start=at(9),
        patient_name="Maria Gonzalez",
        lead=make_lead(name="Maria Gonzalez", email="maria@example.com"),
    )
    previsit = fill_previsit(make_previsit(appointment=flagged), activities=5)
    # A long form, as a real first visit's can be: the printout must still fit two sheets.
    long_text = (
        "It started last spring after a trail race with a lot of downhill. It eased off "
        "over the summer, came back in September when I added hill repeats, and now it "
        "hurts on stairs and after sitting through a movie. Ice helps for an hour or so. "
    )
    previsit.answers = {
        **previsit.answers,
        "reasons": {
            "problem": long_text * 3,
            "body_area": "knee",
            "activities": ["running", "climbing", "crossfit", "postpartum"],
            "goals": long_text,
        },
        "history": {
            **previsit.answers["history"],
            "conditions": ["lung", "blood_pressure", "arthritis", "clots"],
            "other_conditions": long_text,
            "surgeries": "Left ACL reconstruction in 2015; appendix out as a child",
        },
        "safety": {
            "answers": {
                "injury": ["yes"],
                "out_of_place": ["no"],
                "lift_leg": ["yes"],
                "tendon_gap": ["no"],
                "foot_colour": ["no"],
                "walk_then": ["yes"],
                "walk_now": ["no"],
                "fast_swelling": ["yes"],
                "bone_tender": ["no"],
                "bend_90": ["yes"],
                "hot_red": ["no"],
                "calf": ["no"],
                "night_pain": ["yes"],
            },
            "outcome": "see_doctor",
            "explanation": "",
        },
    }
    previsit.red_flag_outcome = TriageOutcome.SEE_DOCTOR
    previsit.needs_review = True
    previsit.save()
    make_previsit(
        appointment=make_appointment(
            clinician=dana, appointment_type=visit, start=at(10), patient_name="Ian Park"
        ),
        status=PreVisitStatus.IN_PROGRESS,
    )
    make_appointment(clinician=dana, appointment_type=visit, start=at(11), patient_name="Walt Ng")


def sign_in(page: Page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)
    page.wait_for_url(live_server.url + "/admin/")


def test_clinician_reads_prints_and_reviews_a_flagged_form(
    live_server, page: Page, group_member, tmp_path
):
    a_day_of_forms()
    group_member("Clinician")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "clinician", "pw-group-123")

    maria = page.locator("tr", has_text="Maria Gonzalez")
    expect(maria).to_contain_text("Forms: done")
    expect(maria).to_contain_text("Red flag: review")
    expect(page.locator("tr", has_text="Ian Park")).to_contain_text("Forms: in progress")
    expect(page.locator("tr", has_text="Walt Ng")).not_to_contain_text("Forms:")
    assert_accessible(page)
    shot(page, tmp_path, "today-clinician")

    page.get_by_role("link", name="Intake summary for Maria Gonzalez").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Before-visit form: Maria Gonzalez")
    expect(page.get_by_text("See a doctor first")).to_be_visible()
    expect(page.get_by_text("Activity 5: 7")).to_be_visible()
    assert_accessible(page)
    shot(page, tmp_path, "summary-screen")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 816, "height": 1056})  # Letter at 96 dpi, for the shot
    expect(page.locator("#header")).to_be_hidden()
    expect(page.get_by_role("button", name="Mark red flag reviewed")).to_be_hidden()
    shot(page, tmp_path, "summary-print")
    # Chromium writes one "/Type /Page" object per printed page.
    for paper in ("Letter", "A4"):
        sheets = len(re.findall(rb"/Type\s*/Page\b", page.pdf(format=paper)))
        assert 1 <= sheets <= 2, (paper, sheets)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Mark red flag reviewed").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Red flag marked reviewed.")
    expect(page.get_by_text("Reviewed by clinician on")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/admin/intake/appointment/day/")
    maria = page.locator("tr", has_text="Maria Gonzalez")
    expect(maria).to_contain_text("Forms: done")
    expect(maria).not_to_contain_text("Red flag")
    assert_accessible(page)
    shot(page, tmp_path, "day-clinician")

    # From the appointment's own page, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    # The day is the calendar: the visit's link is named "Visit: Maria Gonzalez, 9:00 AM, …".
    maria.get_by_role("link", name=re.compile(r"^Visit: Maria Gonzalez,")).click()
    page.get_by_role("link", name="Intake summary").click()
    expect(page.locator("h1")).to_have_text("Before-visit form: Maria Gonzalez")
    assert_accessible(page)
    shot(page, tmp_path, "summary-phone")


def test_front_desk_sees_how_far_patients_got_but_not_the_answers(
    live_server, page: Page, django_user_model, tmp_path
):
    a_day_of_forms()
    desk = django_user_model.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    desk.groups.add(Group.objects.get(name="Front desk"))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "desk", "pw-desk-123")

    expect(page.locator("tr", has_text="Maria Gonzalez")).to_contain_text("Forms: done")
    expect(page.get_by_text("Red flag")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Intake summary"))).to_have_count(0)
    assert_accessible(page)
    shot(page, tmp_path, "today-front-desk")

    page.goto(live_server.url + "/admin/intake/previsit/")
    expect(page.locator("#result_list")).to_contain_text("Maria Gonzalez")
    expect(page.locator("#result_list")).not_to_contain_text("Red flag")
    assert_accessible(page)
    shot(page, tmp_path, "forms-list-front-desk")

    response = page.goto(live_server.url + "/admin/intake/appointment/1/previsit/")
    assert response is not None and response.status == 403
