"""A clinician reads a patient's progress in Chromium: the charts and tables on the
appointment and lead pages, in the light and dark themes and on paper; the front desk
opening the same pages sees none of it. axe on each page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from intake.models import LeadNote
from tests.browser.conftest import assert_accessible, pass_second_factor
from tests.intake.leads_support import make_lead
from tests.intake.previsit_factories import make_episode

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, only when SHOTS_DIR names a folder for them."""
    if folder := os.environ.get("SHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.locator("#id_username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("pw-group-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_factor(page)  # first sign-in: set up the authenticator


def maria_after_two_follow_ups():
    lead = make_lead(name="Maria Gonzalez", email="maria@example.com")
    LeadNote.objects.create(lead=lead, text="Left a voicemail about her first visit.")
    forms = make_episode(
        psfs=[
            {"Running 5 km": 2, "Carrying my baby upstairs": 4},
            {"Running 5 km": 4, "Carrying my baby upstairs": 6},
            {"Running 5 km": 7, "Carrying my baby upstairs": 5},
        ],
        pain_now=[7, 5, 6],
        lead=lead,
    )
    return lead, forms


def test_clinician_reads_the_change_and_the_front_desk_sees_none(live_server, page, group_member):
    lead, forms = maria_after_two_follow_ups()
    appointment_url = (
        f"{live_server.url}/admin/intake/appointment/{forms[-1].appointment_id}/change/"
    )
    lead_url = f"{live_server.url}/admin/intake/lead/{lead.pk}/change/"
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, appointment_url, group_member("Clinician").username)
    outcomes = page.get_by_role("region", name="Outcome measures")
    expect(outcomes).to_be_visible()
    psfs_chart = outcomes.get_by_role(
        "img", name="Patient-Specific Functional Scale, 3 visits: from 3 to 6, improved by 3"
    )
    expect(psfs_chart).to_be_visible()
    expect(psfs_chart.locator("circle.dot")).to_have_count(3)
    expect(outcomes.get_by_role("img", name="Pain rating, 3 visits: from 7 to 6")).to_be_visible()
    pain_table = outcomes.get_by_role("table", name="Pain rating by visit")
    expect(pain_table.get_by_role("row", name="Clinically important change no")).to_be_visible()
    expect(pain_table.get_by_role("row").nth(3)).to_contain_text("this visit")
    assert_accessible(page)
    outcomes.scroll_into_view_if_needed()
    shot(page, "appointment-clinician-light")

    page.emulate_media(color_scheme="dark")
    # The admin fades link colours over 0.15 s; checked mid-fade, light links sit on
    # dark rows. Check the theme as people see it, once every fade has finished.
    page.evaluate("Promise.all(document.getAnimations().map(animation => animation.finished))")
    assert_accessible(page)
    shot(page, "appointment-clinician-dark")
    page.emulate_media(color_scheme="light", media="print")
    shot(page, "appointment-clinician-print")
    if folder := os.environ.get("SHOTS_DIR"):
        page.pdf(path=f"{folder}/appointment-clinician.pdf")
    page.emulate_media(media="screen")

    # From the table, by keyboard, to the first visit.
    first_visit = pain_table.get_by_role("link").first
    first_visit.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/appointment/{forms[0].appointment_id}/change/")

    page.goto(lead_url)
    expect(page.get_by_role("heading", name="Outcome measures")).to_be_visible()
    expect(
        page.get_by_role("img", name="Patient-Specific Functional Scale: Running 5 km")
    ).to_be_visible()
    # The whole page, the notes too: a saved note, the empty row and one added by script.
    assert_accessible(page)
    shot(page, "lead-clinician")
    notes = page.get_by_role("group", name="Lead notes")
    notes.get_by_role("button", name="Add another Lead note").click()
    note_boxes = notes.get_by_label("Text").filter(visible=True)
    expect(note_boxes).to_have_count(2)
    assert_accessible(page)
    note_boxes.first.fill("Called back: the knee is better on hills.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(notes).to_contain_text("Called back: the knee is better on hills.")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(appointment_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(page, "appointment-clinician-phone")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, appointment_url, group_member("Front desk").username)
    expect(page.locator("h1")).to_be_visible()
    assert "Outcome measures" not in page.content()
    assert "Running 5 km" not in page.content()
    page.goto(lead_url)
    assert "Outcome measures" not in page.content()
    shot(page, "lead-front-desk")


def test_clinician_keeps_the_measures_and_revises_a_signed_consent_text(
    live_server, page, group_member
):
    from django.utils import timezone

    from intake.models import ConsentKind, ConsentSignature, ConsentText
    from tests.intake.previsit_factories import make_previsit

    signed = ConsentText.objects.get(kind=ConsentKind.TREATMENT, version=1)
    ConsentSignature.objects.create(
        previsit=make_previsit(),
        consent_text=signed,
        typed_name="Maria Gonzalez",
        signed_at=timezone.now(),
        client_address_hash="0" * 64,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, f"{live_server.url}/admin/intake/measure/", group_member("Clinician").username)

    expect(page.get_by_role("link", name="Patient-Specific Functional Scale")).to_be_visible()
    shot(page, "measures-list")
    page.get_by_role("link", name="Patient-Specific Functional Scale").click()
    expect(page.get_by_text("Stratford P, Gill C")).to_be_visible()
    expect(page.get_by_role("heading", name="Source and licence")).to_be_visible()
    shot(page, "measure-psfs")

    page.goto(f"{live_server.url}/admin/intake/consenttext/")
    expect(page.get_by_role("row", name="Consent to treat")).to_contain_text("1 patient")
    assert_accessible(page)
    page.locator("#result_list").get_by_role("link", name="Consent to treat").click()
    expect(page.get_by_text("1 patient agreed to version 1")).to_be_visible()
    page.get_by_label("Body").fill("The clinic's revised consent to treat.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Version 1 has been signed, so it is kept as it was")).to_be_visible()
    expect(page.locator("#result_list tbody tr")).to_have_count(3)  # two kinds, one twice
    assert_accessible(page)
    shot(page, "consent-texts-after-edit")
    signed.refresh_from_db()
    assert "revised" not in signed.body
    assert ConsentText.objects.current()[0].version == 2
