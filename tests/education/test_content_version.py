"""The content version every kept page is filed under: read in one round trip, or from Redis.

An edit must reach every visitor on every worker and host at the next request, whichever
store answers, and a dropped database connection or an unreachable Redis must cost a
visitor nothing but speed.
"""

import datetime
import os
import threading
import time
import uuid

import psycopg
import pytest
import redis
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from education import content_version, version_listener
from education.models import ContentVersion, Guide
from tests.conftest import skip_or_fail
from tests.education.admin_forms import change_form_data
from tests.education.conftest import GUIDE_SLUG
from tests.education.test_page_cache import Worker

GUIDE = f"/guides/{GUIDE_SLUG}/"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def shared_in(settings, location: str) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }


@pytest.fixture
def reading_every_request(settings):
    """No listening connection: each request reads the version, as on SQLite."""
    settings.CONTENT_VERSION_LISTEN = False


@pytest.fixture
def shared_copies(settings, reading_every_request):
    """Page copies and the content version shared through the local Redis, keys private."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        skip_or_fail(f"needs Redis at {REDIS_URL}")
    shared_in(settings, REDIS_URL)


@pytest.fixture
def listening(db):
    """PostgreSQL, with this process's listening connection (education/version_listener.py)."""
    if connection.vendor != "postgresql":  # CI's SQLite pass: its PostgreSQL pass runs this
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    found = version_listener.listener(connection.alias)
    assert found is not None
    return found


def edited_elsewhere(guide_pk: int, title: str) -> None:
    """Save the guide on a connection of its own, as another worker or host would."""

    def edit() -> None:
        try:
            guide = Guide.objects.get(pk=guide_pk)
            guide.title = title
            guide.save()
        finally:
            connections.close_all()

    thread = threading.Thread(target=edit)
    thread.start()
    thread.join()


@pytest.fixture
def clinician_client(group_member):
    client = Client()
    client.force_login(group_member("Clinician"))
    return client


# Transactional: inside a transaction the version is read from the database, never Redis
# (the transaction may hold an edit nobody else sees yet), and every other test runs in one.
@pytest.mark.django_db(transaction=True)
def test_with_redis_a_kept_guide_costs_no_database_query(
    shared_copies, knee_guide, django_assert_num_queries
):
    Client().get(GUIDE)
    with django_assert_num_queries(0):  # the version from Redis, the page from memory
        assert Client().get(GUIDE).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_with_redis_an_admin_save_reaches_every_worker_at_the_next_request(
    shared_copies, clinician_client, knee_guide, monkeypatch
):
    first, second = Worker(monkeypatch), Worker(monkeypatch)
    first.get(GUIDE)
    second.get(GUIDE)
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    data["title"] = "Knee pain and running, revised"

    assert clinician_client.post(url, data).status_code == 302

    assert "Knee pain and running, revised" in first.get(GUIDE).content.decode()
    assert "Knee pain and running, revised" in second.get(GUIDE).content.decode()


def test_an_older_version_never_replaces_a_newer_one_in_redis(shared_copies):
    """A request that read the database just before an edit committed writes back late."""
    content_version.share_version("8-20261207", seconds=60)
    content_version.share_version("7-20261207", seconds=60)
    content_version.share_version("8-20261201", seconds=60)
    assert content_version.shared_version() == "8-20261207"
    content_version.share_version("9-", seconds=60)  # an edit unscheduled the guide
    assert content_version.shared_version() == "9-"


@pytest.mark.django_db(transaction=True)
def test_with_redis_unreachable_guides_are_served_and_edits_shown(settings, knee_guide):
    shared_in(settings, "redis://127.0.0.1:9/0")  # nothing listens on the discard port
    assert Client().get(GUIDE).status_code == 200
    knee_guide.title = "Knee pain and running, revised"
    knee_guide.save()
    page = Client().get(GUIDE)
    assert page.status_code == 200
    assert "Knee pain and running, revised" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_version_read_is_the_connection_health_check(
    reading_every_request, knee_guide, monkeypatch
):
    """One round trip for a kept page: Django's `SELECT 1` check is not run before it."""
    Client().get(GUIDE)
    checks = []
    real_is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or real_is_usable())
    connection.health_check_done = False  # as at the start of every request
    assert Client().get(GUIDE).status_code == 200
    assert checks == []


@pytest.mark.django_db(transaction=True)
def test_a_guide_is_served_after_the_database_dropped_the_kept_connection(
    reading_every_request, knee_guide
):
    if connection.vendor != "postgresql":  # CI's SQLite pass: its PostgreSQL pass runs this
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    Client().get(GUIDE)
    settings = connection.get_connection_params()
    with psycopg.connect(**settings, autocommit=True) as admin:  # a restart, for this one
        admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    connection.health_check_done = False  # as at the start of every request
    assert Client().get(GUIDE).status_code == 200
    assert ContentVersion.objects.current()


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_version_read_is_planned_once_per_connection(
    reading_every_request, knee_guide
):
    """Parsing and planning the read on every request cost more than the rest of a kept page."""
    if connection.vendor != "postgresql":  # CI's SQLite pass: its PostgreSQL pass runs this
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    for _ in range(3):
        connection.health_check_done = False  # as at the start of every request
        assert Client().get(GUIDE).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%education_contentversion%"],
        )
        prepared = cursor.fetchall()
    assert len(prepared) == 1  # one statement on this connection, run by every request
    assert prepared[0][0] >= 3


@pytest.mark.django_db(transaction=True)
def test_with_redis_every_request_reads_the_version_over_one_kept_client(
    shared_copies, knee_guide, monkeypatch
):
    """Django builds a Redis client per command: for the version that cost more than the GET."""
    cache_client = caches["pages"]._cache
    built = []
    real_get_client = cache_client.get_client
    monkeypatch.setattr(
        cache_client, "get_client", lambda *a, **k: built.append(1) or real_get_client(*a, **k)
    )
    Client().get(GUIDE)
    built.clear()
    for _ in range(3):
        assert Client().get(GUIDE).status_code == 200
    assert built == []


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_kept_guide_costs_no_round_trip(
    listening, knee_guide, django_assert_num_queries
):
    Client().get(GUIDE)
    with django_assert_num_queries(0):  # no version read: the listener vouches for it
        assert Client().get(GUIDE).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_edit_on_another_connection_reaches_the_next_request(
    listening, knee_guide
):
    stale = 0
    for n in range(20):
        Client().get(GUIDE)  # kept under the version before the edit
        edited_elsewhere(knee_guide.pk, f"Knee pain and running, take {n}")
        stale += f"take {n}</h1>" not in Client().get(GUIDE).content.decode()
    assert stale == 0


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_version_changed_without_a_notice_is_seen_within_a_second(
    listening, knee_guide, monkeypatch
):
    """A restored backup or a hand-made UPDATE sends no notice: the recheck finds it."""
    monkeypatch.setattr(version_listener, "RECHECK_SECONDS", 0.2)
    Client().get(GUIDE)
    Client().get(GUIDE)
    was_listening_on = listening.connection
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute(
            "UPDATE education_guide SET title = 'Restored title' WHERE id = %s", [knee_guide.pk]
        )
        other.execute("UPDATE education_contentversion SET number = number + 1")
    time.sleep(0.3)
    assert "Restored title" in Client().get(GUIDE).content.decode()
    # Notices did not tell of that change, so they are not trusted until listening anew.
    Client().get(GUIDE)
    assert listening.connection is not None
    assert listening.connection is not was_listening_on


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_edits_are_shown_while_the_listening_connection_is_down(
    listening, knee_guide, monkeypatch
):
    monkeypatch.setattr(version_listener, "RETRY_SECONDS", 60)
    Client().get(GUIDE)
    Client().get(GUIDE)
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [listening.connection.info.backend_pid])
    time.sleep(0.1)  # the goodbye reaches the socket
    edited_elsewhere(knee_guide.pk, "Knee pain and running, revised")
    assert "running, revised</h1>" in Client().get(GUIDE).content.decode()
    assert listening.connection is None  # not listening again for RETRY_SECONDS
    edited_elsewhere(knee_guide.pk, "Knee pain and running, revised again")
    assert "revised again</h1>" in Client().get(GUIDE).content.decode()


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_scheduled_guide_goes_live_at_its_time_with_no_notice(
    listening, knee_guide, monkeypatch
):
    now = timezone.now()
    knee_guide.publish_at = now + datetime.timedelta(hours=2)
    knee_guide.save()
    assert Client().get(GUIDE).status_code == 404
    assert Client().get(GUIDE).status_code == 404  # the version the listener vouches for
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=2, seconds=1))
    assert Client().get(GUIDE).status_code == 200
