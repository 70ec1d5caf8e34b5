"""Moving through a page by keyboard alone, the way a sighted keyboard user does: Tab to a
control, arrows within a radio group, Space to tick. Shared by the journeys that must work
without a mouse."""


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
