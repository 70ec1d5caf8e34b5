"""Moving through a page by keyboard alone, the way a sighted keyboard user does: Tab to a
control, arrows within a radio group, Space to tick. Shared by the journeys that must work
without a mouse."""

from playwright.sync_api import expect


def active(page, prop: str):
    """A property of the focused element (its id, value, checked...)."""
    return page.evaluate(f"() => document.activeElement && document.activeElement.{prop}")


def tab_to(page, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element passes `test` (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({test}); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def choose(page, name: str, value) -> None:
    """Answer one question from the keyboard, the way a sighted keyboard user would."""
    if isinstance(value, list):  # check boxes: Tab to each one wanted and press Space
        for item in value:
            tab_to(page, f"el.name === '{name}' && el.value === '{item}'")
            page.keyboard.press("Space")
        return
    tab_to(page, f"el.name === '{name}'")  # Tab enters a radio group once
    options = page.evaluate(
        f"() => [...document.querySelectorAll('input[name=\"{name}\"]')].map(i => i.value)"
    )
    key = "ArrowDown" if options.index(value) >= options.index(active(page, "value")) else "ArrowUp"
    while active(page, "value") != value:
        page.keyboard.press(key)
    page.keyboard.press("Space")


def type_into(page, field_id: str, text: str) -> None:
    """Tab to a text box and replace what it holds."""
    tab_to(page, f"el.id === '{field_id}'")
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def save(page, heading: str, label: str = "Save and continue") -> None:
    """Tab to a form's button, press Enter, and wait for the next page's heading."""
    tab_to(page, f"el.textContent.trim() === '{label}'", limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
