"""Spam defences on the contact form: honeypot, minimum fill time and a per-client
rate limit whose count every worker shares (database by default, Redis when set)."""

import os
import threading
import uuid
from datetime import UTC, datetime

import pytest
import redis
from django.db import connection

from intake import ratelimit
from intake.forms.leads import issue_form_token
from intake.models import Lead, RateLimitCounter
from tests.conftest import skip_or_fail
from tests.intake.leads_support import Clock, contact_data

# The Redis CI names (.ci/run), so a run can be pointed at another server or database.
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_cache(settings):
    """The site's cache pointed at the local Redis, with keys private to this test."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        skip_or_fail(f"needs Redis at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    return prefix


@pytest.fixture(params=["database", "redis"])
def counter_store(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


@pytest.mark.django_db
def test_bot_filling_the_honeypot_sees_success_but_nothing_is_saved(client):
    from django_tasks_db.models import DBTaskResult

    response = client.post("/contact/", contact_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == "/contact/thanks/"
    assert Lead.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_form_sent_faster_than_a_person_can_type_is_refused_with_a_clear_message(
    client, settings, monkeypatch
):
    settings.CONTACT_MIN_FILL_SECONDS = 3
    clock = Clock(monkeypatch)
    token = issue_form_token(clock.now)
    clock.advance(seconds=2)
    response = client.post("/contact/", contact_data(form_token=token))
    assert response.status_code == 200
    assert "That was very quick!" in response.content.decode()
    assert Lead.objects.count() == 0
    clock.advance(seconds=1)
    assert client.post("/contact/", contact_data(form_token=token)).status_code == 302


@pytest.mark.django_db
def test_rate_limit_blocks_with_429_and_phone_number_then_lets_through_after_the_window(
    client, settings, monkeypatch, counter_store
):
    settings.CONTACT_RATE_LIMIT = 3
    settings.CONTACT_RATE_WINDOW = 3600
    # The start of a window, far from any other test's keys.
    clock = Clock(monkeypatch, datetime(2031, 5, 5, 10, 0, tzinfo=UTC))
    for n in range(3):
        response = client.post("/contact/", contact_data(name=f"Person {n}"))
        assert response.status_code == 302
    clock.advance(minutes=59)
    blocked = client.post("/contact/", contact_data(name="Person 4"))
    assert blocked.status_code == 429
    assert 'href="tel:+16082184215"' in blocked.content.decode()
    assert blocked["Retry-After"] == "60"
    assert Lead.objects.count() == 3

    clock.advance(minutes=1)
    assert client.post("/contact/", contact_data(name="Person 4")).status_code == 302
    assert Lead.objects.count() == 4


@pytest.mark.django_db
def test_rate_limit_counts_each_client_separately(client, settings, monkeypatch, counter_store):
    settings.CONTACT_RATE_LIMIT = 1
    Clock(monkeypatch, datetime(2031, 6, 1, 9, 0, tzinfo=UTC))
    assert client.post("/contact/", contact_data(), REMOTE_ADDR="203.0.113.5").status_code == 302
    assert client.post("/contact/", contact_data(), REMOTE_ADDR="203.0.113.5").status_code == 429
    assert client.post("/contact/", contact_data(), REMOTE_ADDR="203.0.113.6").status_code == 302


@pytest.mark.django_db
def test_mistakes_and_resends_do_not_use_up_the_limit(client, settings, monkeypatch):
    """A person who mistypes, or double-clicks Send, is not treated as a spammer."""
    settings.CONTACT_RATE_LIMIT = 1
    Clock(monkeypatch, datetime(2031, 7, 1, 9, 0, tzinfo=UTC))
    for _ in range(5):
        assert client.post("/contact/", contact_data(email="oops")).status_code == 200
    data = contact_data()
    assert client.post("/contact/", data).status_code == 302
    assert client.post("/contact/", data).status_code == 302
    assert Lead.objects.count() == 1


@pytest.mark.django_db
def test_sql_counter_is_stored_hashed_and_old_windows_are_dropped(monkeypatch):
    clock = Clock(monkeypatch, datetime(2031, 1, 1, 0, 0, tzinfo=UTC))
    client = ratelimit.client_key("198.51.100.7")
    assert ratelimit.hit("contact", client, limit=2, window=60).count == 1
    assert ratelimit.hit("contact", client, limit=2, window=60).count == 2
    assert not ratelimit.hit("contact", client, limit=2, window=60).allowed
    assert "198.51.100.7" not in RateLimitCounter.objects.get().bucket
    clock.advance(minutes=2)
    assert ratelimit.hit("contact", client, limit=2, window=60).count == 1
    assert RateLimitCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_sql_counter_loses_no_counts_under_concurrent_requests(requires_postgres):
    """Twenty requests at once, each on its own connection: twenty counts, each seen once."""
    client = ratelimit.client_key("198.51.100.8")
    seen, errors = [], []
    barrier = threading.Barrier(20)

    def one_request() -> None:
        try:
            barrier.wait()
            seen.append(ratelimit.hit("burst", client, limit=100, window=3600).count)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(seen) == list(range(1, 21))


def test_redis_counter_increments_atomically_and_expires(redis_cache, monkeypatch):
    Clock(monkeypatch, datetime(2031, 2, 1, 0, 0, tzinfo=UTC))
    client = ratelimit.client_key("198.51.100.9")
    counts = [ratelimit.hit("contact", client, limit=2, window=60).count for _ in range(3)]
    assert counts == [1, 2, 3]
    store = redis.Redis.from_url(REDIS_URL)
    keys = store.keys(f"{redis_cache}:*")
    assert len(keys) == 1
    assert client.encode() in keys[0]
    assert b"198.51.100.9" not in keys[0]
    assert 0 < store.ttl(keys[0]) <= 120


@pytest.mark.django_db
def test_limiter_with_redis_down_still_limits_by_counting_in_the_database(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    verdicts = [ratelimit.hit("contact", "someone", limit=2, window=60) for _ in range(3)]
    assert [verdict.allowed for verdict in verdicts] == [True, True, False]
    assert RateLimitCounter.objects.get().count == 3
    assert "Redis unavailable" in caplog.text
    assert "counting in the database" in caplog.text


@pytest.mark.django_db
def test_contact_form_with_redis_down_still_answers_429_past_the_limit(
    client, settings, monkeypatch
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.CONTACT_RATE_LIMIT = 1
    assert client.post("/contact/", contact_data()).status_code == 302
    response = client.post("/contact/", contact_data(email="other@example.com"))
    assert response.status_code == 429
    assert Lead.objects.count() == 1


def test_client_ip_ignores_forwarded_header_unless_the_proxy_is_trusted(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    settings.TRUST_X_FORWARDED_FOR = False
    assert ratelimit.client_ip(request) == "10.0.0.2"
    settings.TRUST_X_FORWARDED_FOR = True
    # Only the right-most entry was written by our proxy; the rest can be forged.
    assert ratelimit.client_ip(request) == "203.0.113.9"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert ratelimit.client_ip(garbage) == "10.0.0.2"


def test_ipv6_clients_are_counted_per_64_network():
    assert ratelimit.client_key("2001:db8:1:2::1") == ratelimit.client_key("2001:db8:1:2:ffff::9")
    assert ratelimit.client_key("2001:db8:1:2::1") != ratelimit.client_key("2001:db8:1:3::1")
    assert ratelimit.client_key("203.0.113.1") != ratelimit.client_key("203.0.113.2")
