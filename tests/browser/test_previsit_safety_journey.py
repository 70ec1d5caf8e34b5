"""The safety questions in Chromium: follow-on questions revealed in place with JavaScript
and asked on a second page without it (axe clean both ways, on a phone and a desktop), and
a shoulder patient booked three weeks ahead whose answer means "See a doctor first": what
they read, the email the front desk gets and what Today shows. Set SAFETY_SHOTS to a
folder to keep full-page screenshots (and the email's text)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from intake.models import PreVisit
from intake.previsit import safety_questions, safety_spec
from tests.browser.conftest import assert_accessible, sign_in_at
from tests.browser.keyboard import choose, save
from tests.intake.previsit_support import (
    CALM_GENERAL,
    CONTACT,
    HISTORY,
    book,
    form_of,
    name_areas,
    section_url,
)
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = os.environ.get("SAFETY_SHOTS", "")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PREGNANCY_ITEMS = ["g_e5", "g_e6", "g_d7", "g_d8"]


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def shoulder_patient(client) -> PreVisit:
    """Sam, a swimmer booked three weeks ahead, who has filled in the first sections."""
    previsit = form_of(
        book(days_ahead=21, name="Sam Swimmer", email="sam@example.com", message="Swimming")
    )
    client.post(section_url(previsit, "contact"), {**CONTACT, "name": "Sam Swimmer"})
    name_areas(client, previsit, "shoulder")
    client.post(section_url(previsit, "history"), HISTORY)
    deliver_queued_emails()  # the booking's own
    return previsit


def shoulder_keys() -> list[str]:
    spec = safety_spec(areas=["shoulder"])
    return [q.key for q in safety_questions(spec) if q.key.startswith("s_")]


def question(page: Page, key: str):
    return page.locator(f"fieldset:has(input[name='{key}'])")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_follow_ons_are_revealed_in_place_with_javascript(live_server, page: Page, viewport):
    page.set_viewport_size(viewport)
    previsit = form_of(book(days_ahead=21))
    page.goto(live_server.url + section_url(previsit, "safety"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety questions")
    for key in PREGNANCY_ITEMS:
        expect(question(page, key)).to_be_hidden()
    expect(page.get_by_text("Only if you said")).to_have_count(0)
    assert_accessible(page)

    choose(page, "pregnant_recent", "yes")

    for key in PREGNANCY_ITEMS:
        expect(question(page, key)).to_be_visible()
    shoot(page, f"js-revealed-{viewport['width']}")
    # Right under the question that asks for them, before the next one.
    # Measured in one go: the page may still be scrolling to the focused answer.
    tops = page.evaluate(
        """keys => keys.map(key => document.querySelector(`input[name="${key}"]`)
            .closest("fieldset").getBoundingClientRect().top)""",
        ["pregnant_recent", "g_e5", "g_d1"],
    )
    assert tops == sorted(tops)
    assert_accessible(page)

    choose(page, "pregnant_recent", "no")
    expect(question(page, "g_e5")).to_be_hidden()
    choose(page, "pregnant_recent", "yes")
    for key, value in CALM_GENERAL.items():
        if key != "pregnant_recent":
            choose(page, key, value)
    save(page, "Safety questions")  # the revealed ones left blank

    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary li")).to_have_count(4)
    for key in PREGNANCY_ITEMS:
        expect(question(page, key)).to_be_visible()
    assert_accessible(page)
    shoot(page, f"js-errors-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_follow_ons_come_on_a_second_page_without_javascript(
    live_server, browser: Browser, viewport
):
    previsit = form_of(book(days_ahead=21))
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + section_url(previsit, "safety"))
    for key in PREGNANCY_ITEMS:
        expect(question(page, key)).to_be_hidden()

    for key, value in {**CALM_GENERAL, "pregnant_recent": "yes"}.items():
        question(page, key).get_by_label("Yes" if value == "yes" else "No").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="A few more questions")).to_be_visible()
    expect(page.locator("fieldset")).to_have_count(4)
    shoot(page, f"nojs-second-page-{viewport['width']}")
    for key in PREGNANCY_ITEMS:
        question(page, key).get_by_label("No").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).not_to_have_text("Safety questions")
    saved = PreVisit.objects.get(pk=previsit.pk).answers["safety"]["answers"]
    assert saved["pregnant_recent"] == ["yes"]
    assert {key: saved[key] for key in PREGNANCY_ITEMS} == dict.fromkeys(PREGNANCY_ITEMS, ["no"])
    context.close()


def test_the_second_page_without_javascript_passes_axe(live_server, page: Page):
    """axe needs JavaScript, so this page keeps it but refuses the reveal script: the
    server then lays out the second page exactly as for a browser without JavaScript."""
    page.route("**/js/reveal.js", lambda route: route.abort())
    page.set_viewport_size(PHONE)
    previsit = form_of(book(days_ahead=21))
    page.goto(live_server.url + section_url(previsit, "safety"))
    for key, value in {**CALM_GENERAL, "pregnant_recent": "yes"}.items():
        choose(page, key, value)
    save(page, "Safety questions")

    expect(page.get_by_role("heading", name="A few more questions")).to_be_visible()
    assert_accessible(page)
    save(page, "Safety questions")  # nothing answered on the second page
    expect(page.locator("#error-summary li")).to_have_count(4)
    assert_accessible(page)


def test_a_shoulder_patient_three_weeks_ahead_who_needs_a_doctor_gets_a_call_today(
    live_server, page: Page, browser: Browser, client, group_member
):
    previsit = shoulder_patient(client)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + section_url(previsit, "safety"))
    expect(page.get_by_text("Does your knee")).to_have_count(0)
    assert_accessible(page)
    shoot(page, "walk-1-safety-questions")
    for key, value in CALM_GENERAL.items():
        if key != "pregnant_recent":  # filled in from the health history
            choose(page, key, value)
    for key in shoulder_keys():
        choose(page, key, "yes" if key == "s_d2" else "no")
    shoot(page, "walk-2-answered")
    save(page, "Before your first visit")

    expect(page.get_by_role("heading", name="See a doctor first")).to_be_focused()
    expect(page.get_by_text("We will call you today about your visit on")).to_be_visible()
    expect(page.get_by_role("link", name="Call (608) 218-4215").first).to_be_visible()
    assert_accessible(page)
    shoot(page, "walk-3-patient-sees")
    page.set_viewport_size(DESKTOP)
    shoot(page, "walk-3-patient-sees-desktop")

    (email,) = [e for e in deliver_queued_emails() if e.subject == "Urgent: please call today"]
    assert "Sam Swimmer" in email.body and "lump" not in email.body
    if SHOTS:
        Path(SHOTS, "walk-4-front-desk-email.txt").write_text(
            f"To: {', '.join(email.to)}\nSubject: {email.subject}\n\n{email.body}"
        )

    group_member("Front desk")
    sign_in_at(page, live_server.url + "/admin/", "front_desk")
    urgent = page.get_by_role("region", name="Urgent: call these people today")
    expect(urgent.get_by_role("link", name="Sam Swimmer", exact=True)).to_be_visible()
    expect(urgent).not_to_contain_text("Intake summary")
    assert_accessible(page)
    shoot(page, "walk-5-today-front-desk")

    group_member("Clinician")
    context = browser.new_context(viewport=DESKTOP)
    clinician_page = context.new_page()
    sign_in_at(clinician_page, live_server.url + "/admin/", "clinician")
    urgent = clinician_page.get_by_role("region", name="Urgent: call these people today")
    expect(urgent.get_by_role("link", name="Sam Swimmer", exact=True)).to_be_visible()
    shoot(clinician_page, "walk-6-today-clinician")
    with clinician_page.expect_navigation():
        urgent.get_by_role("link", name="Intake summary of Sam Swimmer").click()
    expect(clinician_page.get_by_text("S-D2 New lump around the shoulder")).to_be_visible()
    shoot(clinician_page, "walk-7-summary")
    with clinician_page.expect_navigation():
        clinician_page.get_by_role("button", name="Mark red flag reviewed").click()
    clinician_page.goto(live_server.url + "/admin/")
    expect(clinician_page.get_by_text("Sam Swimmer")).to_have_count(0)
    shoot(clinician_page, "walk-8-today-after-review")
    context.close()
