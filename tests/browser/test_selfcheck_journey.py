"""The self-check by keyboard alone (Tab, arrows, Space, Enter), with axe on every page."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.keyboard import active, choose, tab_to
from tests.intake.selfcheck_client import CALM

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_button(page, label: str) -> None:
    tab_to(page, f"el.tagName === 'BUTTON' && el.textContent.trim() === '{label}'")
    press_enter_and_wait(page)


def questions_on_page(page) -> list[str]:
    return page.evaluate(
        """() => [...new Set([...document.querySelectorAll('form.selfcheck-form input')]
            .filter(i => i.type === 'radio' || i.type === 'checkbox').map(i => i.name))]"""
    )


def open_self_check(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Self-check'")
    press_enter_and_wait(page)
    assert_accessible(page)
    tab_to(page, "el.tagName === 'A' && el.textContent.includes(\"Runner's knee\")")
    press_enter_and_wait(page)


def finish(page, answers: dict) -> list[str]:
    """Answer every step shown; returns the progress lines seen. Runs axe on every step."""
    merged = {**CALM, **answers}
    progress = []
    while page.locator("#step-heading").count() and page.locator("form.selfcheck-form").count():
        assert_accessible(page)
        progress.append(page.locator(".step-progress").inner_text())
        for name in questions_on_page(page):
            choose(page, name, merged[name])
        press_button(page, "Next")
        if page.locator("#step-heading").count():
            assert active(page, "id") == "step-heading"  # focus moved to the new step
    return progress


@pytest.mark.parametrize(
    ("answers", "heading"),
    [
        ({"injury": "yes", "lift_leg": "no"}, "Get emergency care now"),
        ({"injury": "yes", "bone_tender": "yes"}, "See a doctor first"),
        (
            {"where": "kneecap", "worse_with": ["stairs_down", "downhill"], "builds": "yes"},
            "Your answers fit patellofemoral pain",
        ),
        ({"noises": "yes"}, "Book an evaluation"),
    ],
)
def test_each_outcome_by_keyboard_alone(page, live_server, answers, heading):
    open_self_check(page, live_server)
    progress = finish(page, answers)
    assert progress[0].startswith("Section 1 of 6")
    result_heading = page.locator("#result-heading")
    assert heading in result_heading.inner_text()
    assert active(page, "id") == "result-heading"
    assert_accessible(page)


def test_errors_are_announced_and_back_keeps_answers_by_keyboard(page, live_server):
    open_self_check(page, live_server)
    assert_accessible(page)
    choose(page, "age", "55_or_over")
    press_button(page, "Next")  # two questions left unanswered
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert active(page, "id") == "error-summary"
    assert "Choose yes or no." in page.locator("#id_injury_error").inner_text()
    assert_accessible(page)
    assert page.locator("input[name=age][value='55_or_over']").is_checked()
    choose(page, "injury", "no")
    choose(page, "where", "kneecap")
    press_button(page, "Next")
    assert "Section 4 of 6" in page.locator("#step-heading").inner_text()
    press_button(page, "Back")
    assert page.locator("input[name=where][value='kneecap']").is_checked()
    assert page.locator("input[name=age][value='55_or_over']").is_checked()
    assert_accessible(page)


def test_browser_back_forward_and_reload_never_send_a_step_again(page, live_server):
    """At every step: Back shows the previous step with its answers, Forward and Reload
    show the page again, and none of them sends a form (every navigation is a GET)."""
    methods = []
    page.on("request", lambda r: methods.append(r.method) if r.is_navigation_request() else None)
    open_self_check(page, live_server)
    merged = {**CALM, "injury": "yes"}
    seen = []
    while page.locator("form.selfcheck-form").count():
        seen.append(page.url)
        for name in questions_on_page(page):
            choose(page, name, merged[name])
        press_button(page, "Next")
        methods.clear()
        page.go_back()
        assert page.url == seen[-1]
        for name in questions_on_page(page):
            wanted = merged[name] if isinstance(merged[name], list) else [merged[name]]
            ticked = page.eval_on_selector_all(
                f"input[name='{name}']:checked", "els => els.map(e => e.value)"
            )
            assert ticked == wanted, name
        page.go_forward()
        page.reload()
        assert methods == ["GET", "GET", "GET"]
        assert "Confirm Form Resubmission" not in page.content()
    assert page.url.endswith("/result/")
    assert page.locator("#result-heading").count() == 1
    assert len(seen) == 6


def test_pain_scale_is_a_compact_grid_of_large_tap_targets_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/check/runners-knee/")
    while not page.locator("input[name=pain]").count():
        for name in questions_on_page(page):
            if isinstance(CALM[name], str):
                page.locator(f"input[name='{name}'][value='{CALM[name]}']").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
    boxes = [page.locator(f"label[for=id_pain_{level}]").bounding_box() for level in range(11)]
    assert all(box["width"] >= 44 and box["height"] >= 44 for box in boxes)
    assert len({round(box["y"]) for box in boxes}) <= 2  # two rows, not eleven
    page.locator("label[for=id_pain_7]").click()
    assert page.locator("#id_pain_7").is_checked()
    assert page.get_by_role("radio", name="10 (worst pain you can imagine)").count() == 1
    assert_accessible(page)
    page.screenshot(path="/tmp/shots-journeys/pain-scale-390.png", full_page=True)
