"""The content version every kept page is filed under: read in one round trip, or from Redis.

An edit must reach every visitor on every worker and host at the next request, whichever
store answers, and a dropped database connection or an unreachable Redis must cost a
visitor nothing but speed.
"""

import os
import uuid

import psycopg
import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test import Client

from education import content_version
from education.models import ContentVersion
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
def shared_copies(settings):
    """Page copies and the content version shared through the local Redis, keys private."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        skip_or_fail(f"needs Redis at {REDIS_URL}")
    shared_in(settings, REDIS_URL)


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
def test_the_version_read_is_the_connection_health_check(knee_guide, monkeypatch):
    """One round trip for a kept page: Django's `SELECT 1` check is not run before it."""
    Client().get(GUIDE)
    checks = []
    real_is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or real_is_usable())
    connection.health_check_done = False  # as at the start of every request
    assert Client().get(GUIDE).status_code == 200
    assert checks == []


@pytest.mark.django_db(transaction=True)
def test_a_guide_is_served_after_the_database_dropped_the_kept_connection(knee_guide):
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
def test_on_postgresql_the_version_read_is_planned_once_per_connection(knee_guide):
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
