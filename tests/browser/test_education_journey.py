"""A runner with knee pain finds the guide, its exercises and the printable handout."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

# Registered before any page script runs, so every blocked resource or inline code is recorded.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def check_page(page: Page) -> None:
    """What every page owes the patient: accessible, callable in one tap, nothing blocked."""
    assert_accessible(page)
    expect(page.locator('a[href="tel:+16082184215"]').first).to_be_visible()
    assert page.evaluate("window.cspViolations") == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_runner_walks_from_home_to_the_printable_handout(live_server, page: Page):
    console_problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            console_problems.append(message.text) if message.type in {"error", "warning"} else None
        ),
    )
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone

    page.goto(live_server.url + "/")
    check_page(page)

    page.get_by_role("link", name="Read our guides").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guides")
    check_page(page)

    # Searching by keyboard alone, as many phone users with a screen reader do.
    page.get_by_label("Search the guides").fill("running knee")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 guide matching “running knee”")
    check_page(page)

    page.get_by_role("link", name="3 ways to Improve Knee Pain with Running").click()
    expect(page).to_have_url(re.compile(r"/guides/knee-pain-with-running/$"))
    expect(page.get_by_text("Pain with stairs, especially going down")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name="Step-down").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step-down")
    expect(page.get_by_text("3-4 sets of 10-15 reps, 3-4 times per week")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name="Home exercises for runner’s knee pain").click()
    expect(page).to_have_url(re.compile(r"/protocols/runners-patellofemoral-pain/$"))
    expect(page.get_by_text("4 sets to fatigue, 3-4 times per week")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name="Print a one-page handout").click()
    expect(page).to_have_url(re.compile(r"/protocols/runners-patellofemoral-pain/print/$"))
    expect(page.get_by_text("Printed ")).to_be_visible()
    check_page(page)

    # On paper: only the handout, without the site's navigation.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("Repeat 10 times on each leg with eyes closed")).to_be_visible()
    # One sheet on either paper size: Chromium writes one "/Type /Page" object per page.
    for paper in ("A4", "Letter"):
        assert len(re.findall(rb"/Type\s*/Page\b", page.pdf(format=paper))) == 1, paper

    assert [text for text in console_problems if "Content Security Policy" in text] == []
    assert console_problems == []
