"""Staff add a clinician's photo in the admin; patients see it on /team/ and when booking."""

import os
from datetime import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from intake.models import AppointmentMode, Clinician, WeeklyAvailability
from tests.browser.conftest import assert_accessible, sign_in_at
from tests.browser.layout_shifts import RECORD_LAYOUT_SHIFTS
from tests.intake.booking_factories import make_type

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shot(page: Page, tmp_path: Path, name: str) -> None:
    """Full-page screenshots go to SHOTS_DIR when set (to look at), else to the test's tmp."""
    folder = Path(os.environ.get("SHOTS_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def portrait(path: Path) -> Path:
    Image.new("RGB", (900, 1200), (180, 110, 60)).save(path, "JPEG")
    return path


@pytest.fixture
def maya(db) -> Clinician:
    clinician = Clinician.objects.create(
        name="Maya Okafor",
        credentials="PT, DPT",
        bio="Maya treats runners and climbers, and new parents getting back to sport.",
    )
    for weekday in range(7):
        WeeklyAvailability.objects.create(
            clinician=clinician, weekday=weekday, start=time(8), end=time(18)
        )
    # A colleague without a photo yet (the seeded placeholder is kept off the page).
    Clinician.objects.create(name="Sam Rivera", credentials="PT", bio="Sam sees CrossFit athletes.")
    return clinician


def sign_in_and_add_photo(page: Page, live_server, superuser, clinician, upload: Path) -> None:
    sign_in_at(
        page,
        f"{live_server.url}/admin/intake/clinician/{clinician.pk}/change/",
        superuser.username,
        password="pw-boss-123",
    )
    page.locator("input[type=file][name=photo]").set_input_files(upload)
    page.get_by_label("Running").check()
    page.get_by_label("Climbing").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()


@pytest.mark.parametrize("viewport", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_photo_from_the_admin_shows_on_the_team_page_and_beside_a_booked_time(
    live_server, page: Page, superuser, maya, settings, tmp_path, viewport
):
    settings.MEDIA_ROOT = tmp_path / "media"
    width, height = viewport
    sign_in_and_add_photo(page, live_server, superuser, maya, portrait(tmp_path / "maya.jpg"))
    page.context.clear_cookies()  # the rest is what a patient sees

    page.add_init_script(RECORD_LAYOUT_SHIFTS)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/")
    if width < 992:
        page.get_by_text("Menu").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Our team").locator("visible=true").click()
    expect(page.get_by_role("heading", name="Meet the team")).to_be_visible()
    card = page.locator(f"#clinician-{maya.pk}")
    expect(card.get_by_role("heading")).to_have_text("Maya Okafor, PT, DPT")
    expect(card).to_contain_text("Running")
    expect(card).to_contain_text("Climbing")
    photo = card.get_by_role("img", name="Photo of Maya Okafor")
    photo.scroll_into_view_if_needed()
    loaded = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(loaded, arg=photo.element_handle())
    box = photo.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (160, 160)  # cropped to a circle
    # Sam has no photo: the initials stand in.
    expect(page.locator(".clinician-initials").first).to_be_visible()
    assert page.evaluate("window.layoutShift") == 0
    assert_accessible(page)
    shot(page, tmp_path, f"team-{width}")

    make_type(name="Free phone consult", slug="call", mode=AppointmentMode.PHONE)
    page.goto(f"{live_server.url}/book/call/?clinician={maya.pk}")
    expect(page.locator("main").get_by_role("img", name="Photo of Maya Okafor")).to_be_visible()
    assert_accessible(page)
    shot(page, tmp_path, f"booking-times-{width}")
    with page.expect_navigation():
        page.locator(".slot-button").first.click()
    chosen = page.locator(".chosen-time")
    expect(chosen).to_contain_text("with Maya Okafor, PT, DPT")
    expect(chosen.get_by_role("img", name="Photo of Maya Okafor")).to_be_visible()
    assert_accessible(page)
    shot(page, tmp_path, f"booking-details-{width}")

    page.get_by_label("Your name").fill("Pat Runner")
    page.get_by_label("Email").fill("pat@example.com")
    page.get_by_label("Phone").fill("(608) 555-0123")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    summary = page.locator(".booking-summary")
    expect(summary.get_by_role("img", name="Photo of Maya Okafor")).to_be_visible()
    expect(summary).to_contain_text("Maya Okafor, PT, DPT")
    assert_accessible(page)
    shot(page, tmp_path, f"booking-review-{width}")
