"""Staff sessions end after STAFF_IDLE_MINUTES without a request, and when the browser closes."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

ADMIN = "/admin/intake/lead/"


def at(moment):
    """Run the request at a given time, as if the clock had moved on."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_activity_keeps_a_staff_session_and_30_idle_minutes_end_it(client, group_member):
    client.force_login(group_member("Front desk"))
    start = timezone.now()
    with at(start):
        assert client.get(ADMIN).status_code == 200
    # Busy for an hour, never 30 minutes apart: still signed in.
    for minutes in (29, 58):
        with at(start + timedelta(minutes=minutes)):
            assert client.get(ADMIN).status_code == 200

    with at(start + timedelta(minutes=58 + 31)):
        page = client.get(ADMIN, follow=True)

    assert page.redirect_chain[0][0].startswith("/admin/login/")
    assert "signed out after 30 minutes without activity" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_idle_limit_is_a_setting(client, group_member, settings):
    settings.STAFF_IDLE_MINUTES = 5
    client.force_login(group_member("Front desk"))
    start = timezone.now()
    with at(start):
        client.get(ADMIN)

    with at(start + timedelta(minutes=6)):
        assert client.get(ADMIN).status_code == 302


def test_the_session_cookie_ends_with_the_browser(client, group_member):
    group_member("Front desk")
    response = client.post("/admin/login/", {"username": "front_desk", "password": "pw-group-123"})

    cookie = response.cookies["sessionid"]
    assert cookie.value
    # No expiry date: the browser forgets it when it closes.
    assert not cookie["expires"] and not cookie["max-age"]
