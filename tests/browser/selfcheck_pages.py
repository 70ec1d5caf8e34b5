"""Drive the self-check's pages in Chromium, as a patient clicks through them."""

# The answers that fit patellofemoral (kneecap) pain, on top of selfcheck_client.CALM.
KNEECAP_PATTERN = {
    "where": "kneecap",
    "worse_with": ["stairs_down", "downhill"],
    "builds": "yes",
}


def answer_every_step(page, answers: dict) -> None:
    """Tick the given answer for each question shown, then Next, until the result."""
    while page.locator("form.selfcheck-form").count():
        names = page.evaluate(
            """() => [...new Set([...document.querySelectorAll('form.selfcheck-form input')]
                .filter(i => i.type === 'radio' || i.type === 'checkbox').map(i => i.name))]"""
        )
        for name in names:
            values = answers[name] if isinstance(answers[name], list) else [answers[name]]
            for value in values:
                page.locator(f"input[name='{name}'][value='{value}']").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
