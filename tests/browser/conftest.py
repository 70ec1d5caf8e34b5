"""Browser journeys: Playwright drives Debian's Chromium against the live server."""

from functools import cache
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        skip_or_fail("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def serialized_rollback_in_every_context(django_db_setup) -> None:
    """Make `serialized_rollback=True` restore the seeded rows in browser tests.

    Playwright's sync API runs an event loop in the main thread, and Django then
    keeps database connections per async context: a browser test gets a fresh
    connection object that lacks the contents serialized at setup, so Django
    silently restores nothing after a flush when other database tests ran first.
    Sharing the contents on the connection class reaches every such object.
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def plain_static_storage(settings) -> None:
    """The live server serves static files from the finders, by their unhashed names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def uploads_served_by_the_site(monkeypatch) -> None:
    """Uploads reach clinic.views.uploaded_file, as in production, with its byte ranges and
    security headers: the live server would otherwise answer /media/ itself, without them."""
    from django.test.testcases import _MediaFilesHandler

    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda handler, path: False)


_SETTLED = """async () => {
    const running = document.getAnimations().filter(
        (animation) => animation.effect?.getComputedTiming().endTime !== Infinity
    );
    await Promise.all(running.map((animation) => animation.finished.catch(() => null)));
}"""


@cache
def axe_source() -> str:
    return AXE_SOURCE.read_text()


def assert_accessible(page) -> None:
    """Run axe-core on the page as it is now; fail listing every violation.

    axe is injected with evaluate(), not a <script> tag, because the CSP blocks
    scripts without the page's nonce; once per document, since a page checked again (at
    another width, in the dark theme, after a script changed it) still holds it.
    """
    if page.evaluate("typeof window.axe") == "undefined":
        page.evaluate(axe_source())
    # A check right after a resize or a theme switch would read colours halfway through the
    # admin's transitions (the sidebar fading in): wait for every finite one to end.
    page.evaluate(_SETTLED)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
    ]
    assert violations == [], f"axe violations on {page.url}:\n" + "\n".join(violations)


def sign_in_at(page, url: str, username: str, password: str = "pw-group-123") -> None:
    """Open a staff page, which asks to sign in first, and sign in as at a first sign-in:
    password, then the authenticator set up. The group_member fixture's password is the
    default; superuser's is "pw-boss-123"."""
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    pass_second_factor(page)


def pass_second_factor(page) -> None:
    """The sign-in's second step, as at a staff member's first sign-in: set up the
    authenticator from the setup key on the page, type its code, continue past the
    recovery codes to the page that was asked for."""
    from base64 import b32decode

    from django_otp.oath import totp

    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.get_by_label("6-digit code from the app").fill(f"{totp(b32decode(secret)):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on").click()
    with page.expect_navigation():
        page.get_by_role("link", name="I have saved them: continue").click()
