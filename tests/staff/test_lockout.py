"""Wrong passwords lock an account, and an address, out of the admin: across workers, until
an administrator unlocks it or the lock-out time passes."""

import threading
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.db.models import F
from django.test import Client

LOGIN = "/admin/login/"


def sign_in(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def desk(django_user_model):
    return django_user_model.objects.create_user("desk", password="right-pw-123", is_staff=True)


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_from_many_workers_all_count_and_lock_the_account(
    requires_postgres, desk, settings
):
    """12 attempts at once, each on its own thread and database connection like separate
    workers: none is lost, and the right password is refused afterwards."""
    attempts = 12
    start_line = threading.Barrier(attempts, timeout=30)
    statuses: list[int] = []
    lock = threading.Lock()

    def wrong_password(n: int) -> None:
        try:
            start_line.wait()
            status = sign_in(Client(), "desk", f"wrong-{n}").status_code
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=wrong_password, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(statuses) == attempts
    counted = sum(
        AccessAttempt.objects.filter(username="desk").values_list("failures_since_start", flat=True)
    )
    assert counted == attempts
    # Every attempt from the limit on was answered with the locked-out page.
    assert statuses.count(429) >= attempts - settings.AXES_FAILURE_LIMIT + 1
    refused = sign_in(Client(), "desk", "right-pw-123")
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session


def test_locked_out_page_says_how_to_get_back_in_and_gives_the_phone(db, desk, settings):
    client = Client()
    answers = [
        sign_in(client, "desk", "nope").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]

    page = sign_in(client, "desk", "right-pw-123")

    text = page.content.decode()
    assert page.status_code == 429
    assert "Too many wrong sign-in attempts" in text
    assert "(608) 218-4215" in text
    assert "Access attempts" in text  # where an administrator unlocks it
    assert "60 minutes" in text
    assert "_auth_user_id" not in client.session


def test_one_account_tried_from_many_addresses_is_locked_everywhere(db, desk, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "desk", "nope", address=f"198.51.100.{n + 1}")

    assert sign_in(Client(), "desk", "right-pw-123", address="203.0.113.7").status_code == 429


def test_one_address_trying_many_accounts_is_locked_for_all_of_them(
    db, desk, settings, django_user_model
):
    for n in range(settings.STAFF_ADDRESS_FAILURE_LIMIT):
        sign_in(Client(), f"guess{n}", "nope", address="198.51.100.9")

    assert sign_in(Client(), "desk", "right-pw-123", address="198.51.100.9").status_code == 429
    # The same account from elsewhere is not locked: only the address is.
    elsewhere = sign_in(Client(), "desk", "right-pw-123", address="203.0.113.7")
    assert elsewhere.status_code == 302


def test_a_colleagues_typos_on_the_shared_office_address_do_not_lock_everyone_out(
    db, desk, settings
):
    for n in range(settings.STAFF_ADDRESS_FAILURE_LIMIT - 1):
        sign_in(Client(), f"colleague{n % 3}", "typo", address="198.51.100.9")

    assert sign_in(Client(), "desk", "right-pw-123", address="198.51.100.9").status_code == 302


def test_addresses_in_one_ipv6_network_count_as_one(db, desk, settings):
    for n in range(settings.STAFF_ADDRESS_FAILURE_LIMIT):
        sign_in(Client(), f"guess{n}", "nope", address=f"2001:db8:1:2::{n + 1:x}")

    assert (
        sign_in(Client(), "desk", "right-pw-123", address="2001:db8:1:2::ffff").status_code == 429
    )


def test_an_administrator_unlocks_the_account_in_the_admin(db, desk, superuser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "desk", "nope")
    assert sign_in(Client(), "desk", "right-pw-123").status_code == 429

    admin = Client()
    admin.force_login(superuser)
    listing = admin.get("/admin/axes/accessattempt/")
    assert "desk" in listing.content.decode()
    ids = [
        str(pk) for pk in AccessAttempt.objects.filter(username="desk").values_list("pk", flat=True)
    ]
    admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert not AccessAttempt.objects.filter(username="desk").exists()
    assert sign_in(Client(), "desk", "right-pw-123").status_code == 302


def test_the_lock_lifts_by_itself_after_the_lockout_time(db, desk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "desk", "nope")
    assert sign_in(Client(), "desk", "right-pw-123").status_code == 429
    # The last failure is now longer ago than the lockout time.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )

    assert sign_in(Client(), "desk", "right-pw-123").status_code == 302
