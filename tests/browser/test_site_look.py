"""The clinic's look on a phone: one-row header, accessible home and guide, the Print button."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible

PHONE = {"width": 390, "height": 844}
GUIDE = "/guides/knee-pain-with-running/"
HANDOUT = "/protocols/runners-patellofemoral-pain/print/"


def assert_header_is_one_short_row(page: Page) -> None:
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 100
    logo = page.locator(".site-header .brand").bounding_box()
    call = page.locator(".site-header a[href^='tel:']").bounding_box()
    menu = page.locator(".site-menu summary").bounding_box()
    middles = [box["y"] + box["height"] / 2 for box in (logo, call, menu)]
    assert max(middles) - min(middles) < 8, middles  # side by side, not wrapped
    assert logo["x"] < call["x"] < menu["x"]
    assert menu["x"] + menu["width"] <= PHONE["width"]


def test_phone_header_is_one_row_and_its_menu_works_without_javascript(
    live_server, browser: Browser
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + GUIDE)
    assert_header_is_one_short_row(page)
    # "Call" is all a 390px row has room for; a screen reader still hears the number.
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Call (608) 218-4215")).to_be_visible()

    page.get_by_text("Menu", exact=True).click()
    expect(page.locator(".site-menu-panel")).to_be_visible()
    # The open menu lies over the page instead of pushing the header taller.
    assert page.locator(".site-header").bounding_box()["height"] <= 100
    page.get_by_role("link", name="Book", exact=True).click()
    expect(page).to_have_url(live_server.url + "/book/")
    assert_header_is_one_short_row(page)
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}])
def test_home_and_guide_are_accessible_on_phone_and_desktop(live_server, page: Page, viewport):
    page.set_viewport_size(viewport)
    for path in ("/", GUIDE):
        page.goto(live_server.url + path)
        assert_accessible(page)
    if viewport == PHONE:
        page.get_by_text("Menu", exact=True).click()
        expect(page.locator(".site-menu-panel")).to_be_visible()
        assert_accessible(page)
    else:
        expect(page.locator(".site-menu")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_home_page_offers_the_three_next_steps_in_order(live_server, page: Page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    steps = page.locator(".start-steps > li h3")
    expect(steps).to_have_text(["Read a guide", "Take the self-check", "Book a visit"])
    page.get_by_role("link", name="Check your knee pain").click()
    expect(page).to_have_url(live_server.url + "/check/")


def test_handout_print_button_prints_and_shows_only_with_javascript(
    live_server, page: Page, browser: Browser
):
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + HANDOUT)
    button = page.get_by_role("button", name="Print this handout")
    expect(button).to_be_visible()
    assert_accessible(page)
    button.click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    expect(button).to_be_hidden()  # the sheet does not show its own Print button

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(live_server.url + HANDOUT)
    expect(no_js.get_by_text("Repeat 10 times on each leg with eyes closed")).to_be_visible()
    expect(no_js.get_by_role("button", name="Print this handout")).to_have_count(0)
    expect(no_js.get_by_text("use your browser’s Print command")).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", [320, 360, 414])
def test_header_fits_smaller_and_larger_phones_without_sideways_scrolling(
    live_server, page: Page, width
):
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") == width
    assert page.locator(".site-header").bounding_box()["height"] <= 100
    expect(page.locator(".site-menu summary")).to_be_visible()
