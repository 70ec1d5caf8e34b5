"""A new patient fills in the whole before-visit form on a phone, by keyboard alone
(Tab, arrows, Space, typing, Enter), with axe on every section. Set PREVISIT_SHOTS to a
folder to keep a full-page screenshot of each page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from intake.models import ConsentSignature, Measure, MeasureResponse, PreVisit
from tests.browser.conftest import assert_accessible
from tests.browser.keyboard import active, choose, save, tab_to, type_into
from tests.intake.previsit_support import CALM_GENERAL, CALM_SAFETY, book, form_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = os.environ.get("PREVISIT_SHOTS", "")


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_new_patient_fills_in_the_whole_form_by_keyboard_on_a_phone(live_server, page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    previsit = form_of(book(message="Sore knee after long runs"))
    page.goto(f"{live_server.url}/before-your-visit/{previsit.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Before your first visit")
    assert_accessible(page)
    shoot(page, "0-overview")

    tab_to(page, "el.textContent.trim() === 'Start: Your contact details'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your contact details")
    # The booking's details are already there.
    expect(page.get_by_label("Your full name")).to_have_value("Pat Runner")
    assert_accessible(page)
    type_into(page, "id_date_of_birth", "04231988")
    type_into(page, "id_emergency_name", "Sam Runner")
    type_into(page, "id_emergency_phone", "608 555 0199")
    shoot(page, "1-contact")
    save(page, "What brings you in")

    expect(page.get_by_label("What brings you in?", exact=False)).to_have_value(
        "Sore knee after long runs"
    )
    assert_accessible(page)
    choose(page, "body_area", ["knee"])
    choose(page, "activities", ["running"])
    type_into(page, "id_goals", "Run the Madison half marathon")
    shoot(page, "2-reasons")
    save(page, "Your health history")

    assert_accessible(page)
    choose(page, "conditions", ["lung"])
    type_into(page, "id_medications", "Inhaler")
    choose(page, "pregnancy", "not_relevant")
    shoot(page, "3-history")
    save(page, "Safety questions")

    assert_accessible(page)
    # The age comes from the date of birth. An injury reveals its follow-up questions in
    # place; leaving them blank is an error.
    expect(page.get_by_text("How old are you?")).to_have_count(0)
    for key, value in CALM_GENERAL.items():
        choose(page, key, value)
    choose(page, "injury", "yes")
    save(page, "Safety questions")
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
    shoot(page, "4-safety-errors")
    for key in ["out_of_place", "lift_leg", "tendon_gap", "foot_colour", "walk_then"]:
        choose(page, key, CALM_SAFETY[key])
    choose(page, "walk_now", CALM_SAFETY["walk_now"])
    choose(page, "fast_swelling", "no")
    choose(page, "bone_tender", "no")
    choose(page, "bend_90", "yes")
    for key in ["locking", "giving_way", "swelling", "hot_red", "calf", "night_pain"]:
        choose(page, key, CALM_SAFETY[key])
    for key in ["weight_cancer", "other_joints", "nerves"]:
        choose(page, key, CALM_SAFETY[key])
    save(page, "How your problem affects you")

    assert_accessible(page)
    psfs = Measure.objects.get(slug="psfs").pk
    pain = Measure.objects.get(slug="pain").pk
    type_into(page, f"id_m{psfs}_1_name", "Running 10 km")
    choose(page, f"m{psfs}_1_rating", "4")
    assert active(page, "checked")
    choose(page, f"m{pain}_now", "3")
    shoot(page, "5-measures")
    save(page, "Consent and privacy")

    assert_accessible(page)
    tab_to(page, "el.name === 'agree_treatment'")
    page.keyboard.press("Space")
    tab_to(page, "el.name === 'agree_privacy'")
    page.keyboard.press("Space")
    type_into(page, "id_typed_name", "Pat Runner")
    shoot(page, "6-consent")
    save(page, "Before your first visit", label="Sign and save")

    expect(page.get_by_role("heading", name="All done: thank you")).to_be_visible()
    assert_accessible(page)
    shoot(page, "7-done")
    previsit = PreVisit.objects.get(pk=previsit.pk)
    assert previsit.status == "done"
    assert previsit.answers["contact"]["date_of_birth"] == "1988-04-23"
    assert ConsentSignature.objects.filter(previsit=previsit).count() == 2
    psfs_answers = MeasureResponse.objects.get(previsit=previsit, measure_id=psfs).answers
    assert psfs_answers == [{"item": "activity", "label": "Running 10 km", "value": 4}]


def test_a_red_flag_answer_shows_the_self_checks_advice(live_server, page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    previsit = form_of(book())
    page.goto(f"{live_server.url}/before-your-visit/{previsit.token}/safety/")
    for key, value in CALM_GENERAL.items():
        choose(page, key, "yes" if key == "g_d4" else value)  # a swollen, painful calf
    save(page, "Before your first visit")

    expect(page.get_by_role("heading", name="See a doctor first")).to_be_focused()
    assert_accessible(page)
    shoot(page, "8-red-flag")


def test_a_follow_up_rates_the_same_activities_by_keyboard(live_server, page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    first = form_of(book(days_ahead=3))
    psfs = Measure.objects.get(slug="psfs")
    MeasureResponse.objects.create(
        previsit=first,
        measure=psfs,
        answers=[{"item": "activity", "label": "Running 10 km", "value": 3}],
        score=3,
    )
    follow_up = form_of(book("follow-up", days_ahead=6))
    page.goto(f"{live_server.url}/before-your-visit/{follow_up.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How are you doing?")
    assert_accessible(page)
    shoot(page, "9-follow-up-overview")

    tab_to(page, "el.textContent.trim() === 'Start: How are you doing?'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("“Running 10 km”: how well can you do it now?")).to_be_visible()
    assert_accessible(page)
    choose(page, f"m{psfs.pk}_1_rating", "6")
    shoot(page, "10-follow-up-measures")
    save(page, "How are you doing?")

    expect(page.get_by_role("heading", name="All done: thank you")).to_be_visible()
    saved = MeasureResponse.objects.get(previsit=follow_up, measure=psfs)
    assert saved.answers == [{"item": "activity", "label": "Running 10 km", "value": 6}]
    assert saved.score == 6


def test_back_and_reload_after_saving_a_section_never_send_it_again(live_server, page: Page):
    """Every save redirects, so the browser's Back, Forward and Reload only ever ask for
    pages: the saved answers come back filled in and nothing is saved twice."""
    page.set_viewport_size({"width": 390, "height": 844})
    previsit = form_of(book())
    page.goto(f"{live_server.url}/before-your-visit/{previsit.token}/contact/")
    type_into(page, "id_date_of_birth", "04231988")
    type_into(page, "id_emergency_name", "Sam Runner")
    type_into(page, "id_emergency_phone", "608 555 0199")
    save(page, "What brings you in")
    saved_at = PreVisit.objects.get(pk=previsit.pk).updated_at

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your contact details")
    expect(page.get_by_label("Emergency contact: their name")).to_have_value("Sam Runner")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your contact details")
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_have_text("What brings you in")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("What brings you in")

    assert PreVisit.objects.get(pk=previsit.pk).updated_at == saved_at
