"""A sick database fails fast and kindly: a 503 page with the phone number within seconds,
the health check answers within 3 s, and a contact request that cannot be saved keeps the
person's message on the page. Bad request bodies get the 400 page, never a 500."""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from intake.models import Lead
from tests.conftest import skip_or_fail
from tests.database_faults import refuse_writes
from tests.intake.leads_support import contact_data
from tests.production_env import production_env

ROOT = Path(__file__).resolve().parent.parent
PHONE = 'href="tel:+16082184215"'


@pytest.mark.django_db
def test_database_error_on_any_page_is_a_503_with_the_phone_number(monkeypatch):
    def broken(self, sql, params=None):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = Client(raise_request_exception=False).get("/guides/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Sorry, our site is having trouble right now" in body
    assert PHONE in body


@pytest.mark.django_db
def test_contact_request_that_cannot_be_saved_shows_the_typed_message_to_copy(monkeypatch):
    refuse_writes(monkeypatch)
    message = "My knee hurts <going> down stairs & after long runs."
    response = Client(raise_request_exception=False).post(
        "/contact/", contact_data(message=message)
    )
    assert response.status_code == 503
    body = response.content.decode()
    assert "Your request was not sent" in body
    assert "My knee hurts &lt;going&gt; down stairs &amp; after long runs." in body
    assert PHONE in body
    monkeypatch.undo()
    assert Lead.objects.count() == 0


@pytest.mark.django_db
def test_a_page_without_a_form_shows_no_message_box_on_a_database_error(monkeypatch):
    refuse_writes(monkeypatch)
    monkeypatch.setattr(
        "clinic.views.render", lambda *a, **k: Lead.objects.create(name="x", email="x@x.org")
    )
    body = Client(raise_request_exception=False).get("/").content.decode()
    assert "<textarea" not in body
    assert "Please try again in a few minutes" in body


@pytest.mark.django_db
def test_form_declared_in_an_unusable_charset_gets_the_400_page_not_a_500():
    """Django refuses the body; Django's own 400 page would run the CSRF check, which reads
    the body again and fails again: gunicorn's bare 500 in production."""
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.get("/contact/")
    token = browser.cookies["csrftoken"].value
    response = browser.generic(
        "POST",
        "/contact/",
        f"csrfmiddlewaretoken={token}&name=%2BAGE-&message=hi".encode(),
        content_type="application/x-www-form-urlencoded; charset=utf-7",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sorry, we could not read what your browser sent" in body
    assert PHONE in body


# A database that accepts connections and never answers, measured in a fresh process that
# has the production settings, so the timeouts under test are the ones settings.py sets. ---


@pytest.fixture
def hung_database():
    """A TCP server that accepts connections and never says a word: a hung PostgreSQL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"postgres://clinic@127.0.0.1:{server.getsockname()[1]}/clinic"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


REQUESTS_SCRIPT = """
import json
import clinic.wsgi  # sets Django up as gunicorn's workers do, URLconf imported up front
from django.test import Client
from tests.intake.leads_support import contact_data
client = Client(raise_request_exception=False)
out = {}
for name, call in [
    ("healthz", lambda: client.get("/healthz")),
    ("guides", lambda: client.get("/guides/")),
    ("contact", lambda: client.post("/contact/", contact_data(message="Sore knee, call me"))),
]:
    response = call()
    out[name] = {"status": response.status_code, "body": response.content.decode()}
print(json.dumps(out))
"""


def child_env(**env: str) -> dict[str, str]:
    """Production settings for a child Python running Django's test client."""
    return production_env(
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DJANGO_STATIC_ROOT=os.environ["DJANGO_STATIC_ROOT"],  # collected by conftest
        **env,
    )


# Without its timeouts a request to a hung database never returns; with them every request
# here ends within a few seconds. The bound only tells the two apart: how long the
# timeouts take is measured by `bench/outage.py`, not asserted on a shared machine.
HANG_BOUND_SECONDS = 60


def run_requests(database_url: str, **env: str) -> tuple[dict, str]:
    """Each page's status and body, and what the child logged."""
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS_SCRIPT],
        cwd=ROOT,
        env=child_env(DATABASE_URL=database_url, **env),
        capture_output=True,
        text=True,
        timeout=HANG_BOUND_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1]), result.stderr


def test_hung_database_gets_503_pages_with_the_phone_instead_of_a_hang(hung_database):
    results, log = run_requests(hung_database, DATABASE_CONNECT_TIMEOUT="2")
    assert results["healthz"]["status"] == 503
    # The health check gave up waiting on its own clock, before the connect timeout.
    assert "Health check: database did not answer within 1.5s" in log
    for page in ("guides", "contact"):
        assert results[page]["status"] == 503
        assert PHONE in results[page]["body"]
    # The pages were cut off by the connect timeout, not by any other error.
    assert "timeout expired" in log
    assert "Sore knee, call me" in results["contact"]["body"]


SLOW_QUERY_SCRIPT = """
import json
from unittest import mock
import django
django.setup()
from django.db import connection
from django.test import Client

def render_after_a_slow_query(*args, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(30)")

with mock.patch("clinic.views.render", render_after_a_slow_query):
    response = Client(raise_request_exception=False).get("/")
print(json.dumps({"status": response.status_code, "body": response.content.decode()}))
"""


def test_a_statement_that_runs_too_long_is_cut_off_into_a_503():
    """pg_sleep stands in for a query stuck behind a lock or on a sick disk."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:  # a run on SQLite by choice (CI's second pass): the PostgreSQL pass runs it
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if not url.startswith(("postgres://", "postgresql://")):
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")
    # The maintenance database: it always exists, and the page runs no query of its own.
    url = urlsplit(url)._replace(path="/postgres").geturl()
    result = subprocess.run(
        [sys.executable, "-c", SLOW_QUERY_SCRIPT],
        cwd=ROOT,
        env=child_env(DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT="1"),
        capture_output=True,
        text=True,
        timeout=HANG_BOUND_SECONDS,  # pg_sleep(30) and more if the timeout did not cut it
    )
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout.splitlines()[-1])
    assert page["status"] == 503
    # Cut off by the statement timeout, not refused for some other reason.
    assert "canceling statement due to statement timeout" in result.stderr
    assert PHONE in page["body"]
