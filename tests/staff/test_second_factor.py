"""Every staff account signs in with a password and then a code: from an authenticator app
it sets up at its first sign-in, or a one-use recovery code."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff import second_factor
from tests.staff.authenticator import app_code

LOGIN = "/admin/login/"
CODE_STEP = "/admin/second-factor/"
SET_UP = "/admin/second-factor/set-up/"


def sign_in_with_password(client, username: str, password: str, next_url: str = "/admin/"):
    return client.post(LOGIN + f"?next={next_url}", {"username": username, "password": password})


@pytest.fixture
def enrolled(django_user_model):
    """A Front desk member who set up the app earlier, with recovery codes."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("kim", password="kim-pw-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    codes = second_factor.new_recovery_codes(user=user)
    return user, device, codes


@pytest.mark.parametrize("who", ["Front desk", "Clinician", "superuser"])
def test_a_password_alone_opens_no_admin_page(client, who, group_member, django_user_model):
    if who == "superuser":
        django_user_model.objects.create_superuser("root", "root@example.com", "root-pw-123")
        username, password = "root", "root-pw-123"
    else:
        username, password = group_member(who).username, "pw-group-123"

    signed_in = sign_in_with_password(client, username, password)

    assert signed_in.status_code == 302
    assert signed_in["Location"].startswith(CODE_STEP)
    for page in ["/admin/", "/admin/intake/lead/", "/admin/intake/appointment/"]:
        response = client.get(page, follow=True)
        assert response.redirect_chain[-1][0].startswith(SET_UP), page
        assert "Lead" not in response.content.decode()


def test_first_sign_in_sets_up_the_app_and_shows_the_recovery_codes_once(client, group_member):
    user = group_member("Clinician")
    sign_in_with_password(client, user.username, "pw-group-123", "/admin/intake/lead/")

    page = client.get(CODE_STEP + "?next=/admin/intake/lead/", follow=True)
    text = page.content.decode()
    assert page.redirect_chain[-1][0].startswith(SET_UP)
    assert "<svg" in text and "<path" in text  # the QR code, inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', text).group(1)
    assert secret.replace(" ", "") == second_factor.secret_for_typing(device).replace(" ", "")

    done = client.post(
        SET_UP, {"code": app_code(device), "next": "/admin/intake/lead/"}, follow=True
    )

    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assert "only time they are shown" in done.content.decode()
    assert not re.findall(
        r"<li><code>", client.get("/admin/second-factor/recovery-codes/").content.decode()
    )
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/admin/intake/lead/").status_code == 200


def test_a_wrong_first_code_says_so_and_keeps_the_same_secret(client, group_member):
    user = group_member("Front desk")
    sign_in_with_password(client, user.username, "pw-group-123")
    first = client.get(SET_UP)

    wrong = client.post(SET_UP, {"code": "000000"})

    assert wrong.status_code == 200
    assert "That code did not work" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed
    secret = second_factor.secret_for_typing(TOTPDevice.objects.get(user=user))
    assert secret in first.content.decode() and secret in wrong.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_app_code_signs_in_and_returns_to_the_page_asked_for(client, enrolled):
    user, device, _ = enrolled
    client.get("/admin/intake/lead/")
    to_code = sign_in_with_password(client, "kim", "kim-pw-12345", "/admin/intake/lead/")
    assert to_code["Location"] == CODE_STEP + "?next=%2Fadmin%2Fintake%2Flead%2F"

    done = client.post(CODE_STEP, {"code": app_code(device), "next": "/admin/intake/lead/"})

    assert done["Location"] == "/admin/intake/lead/"
    assert client.get("/admin/intake/lead/").status_code == 200


def test_a_code_for_another_site_is_not_followed(client, enrolled):
    user, device, _ = enrolled
    sign_in_with_password(client, "kim", "kim-pw-12345")

    done = client.post(CODE_STEP, {"code": app_code(device), "next": "https://evil.example/"})

    assert done["Location"] == "/admin/"


def test_a_recovery_code_works_once(client, enrolled):
    user, device, codes = enrolled
    first, second = codes[0], codes[1]

    sign_in_with_password(client, "kim", "kim-pw-12345")
    assert client.post(CODE_STEP, {"code": first.upper()})["Location"] == "/admin/"
    client.post("/admin/logout/")
    sign_in_with_password(client, "kim", "kim-pw-12345")
    assert client.post(CODE_STEP, {"code": second})["Location"] == "/admin/"
    client.post("/admin/logout/")
    sign_in_with_password(client, "kim", "kim-pw-12345")

    again = client.post(CODE_STEP, {"code": first})

    assert again.status_code == 200
    assert "That code did not work" in again.content.decode()
    assert client.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 8


def test_new_recovery_codes_replace_the_old_ones(client, enrolled):
    user, _, old = enrolled
    client.force_login(user)

    page = client.post("/admin/second-factor/recovery-codes/", follow=True)

    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert second_factor.verify(user=user, code=old[0]) is None


def test_the_code_step_without_a_password_goes_to_sign_in(client):
    assert client.get(CODE_STEP)["Location"].startswith(LOGIN)
    assert client.post(SET_UP, {"code": "123456"})["Location"].startswith(LOGIN)


def test_demo_login_prints_what_a_newcomer_needs_for_the_second_factor(
    db, client, settings, capsys
):
    settings.DEBUG = True
    call_command("ensure_demo_staff")
    out = capsys.readouterr().out
    password = re.search(r"demo / (\S+)", out).group(1)
    recovery = re.findall(r"^\s+([a-z2-7]{8})$", out, re.MULTILINE)
    assert "otpauth://totp/" in out
    assert len(recovery) == 10

    sign_in_with_password(client, "demo", password)
    assert client.post(CODE_STEP, {"code": recovery[0]})["Location"] == "/admin/"

    # Running it again (every `make run`) keeps the app's secret but makes new codes.
    call_command("ensure_demo_staff")
    again = capsys.readouterr().out
    assert re.search(r"secret=(\w+)", again).group(1) == re.search(r"secret=(\w+)", out).group(1)


def test_signing_out_from_the_code_step_ends_the_session(client, enrolled):
    sign_in_with_password(client, "kim", "kim-pw-12345")
    page = client.get(CODE_STEP).content.decode()
    assert 'action="/admin/logout/"' in page and 'method="post"' in page

    client.post("/admin/logout/")

    assert client.get(CODE_STEP)["Location"].startswith(LOGIN)


def test_a_superuser_resets_a_lost_authenticator_and_the_next_sign_in_sets_up_a_new_one(
    client, enrolled, superuser
):
    user, device, _ = enrolled
    admin = type(client)()
    admin.force_login(superuser)
    deleted = admin.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302

    signed_in = sign_in_with_password(client, "kim", "kim-pw-12345")

    assert client.get(signed_in["Location"])["Location"].startswith(SET_UP)


def test_a_right_code_straight_after_a_wrong_one_says_how_long_to_wait(client, enrolled):
    """django-otp refuses every code for a moment after a wrong one, the right one too;
    saying "did not work" then sent people hunting for a typo that was not there."""
    user, device, _ = enrolled
    sign_in_with_password(client, "kim", "kim-pw-12345")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = "000000" if app_code(device) != "000000" else "111111"
        client.post(CODE_STEP, {"code": wrong})
        clock.shift(timedelta(milliseconds=300))

        too_soon = client.post(CODE_STEP, {"code": app_code(device)})

        text = too_soon.content.decode()
        assert too_soon.status_code == 200
        assert "wait 1 second," in text
        assert "That code did not work" not in text
        clock.shift(timedelta(seconds=1))
        assert client.post(CODE_STEP, {"code": app_code(device)})["Location"] == "/admin/"


def test_setting_up_the_app_too_soon_after_a_wrong_code_says_how_long_to_wait(client, group_member):
    user = group_member("Front desk")
    sign_in_with_password(client, user.username, "pw-group-123")
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = "000000" if app_code(device) != "000000" else "111111"
        client.post(SET_UP, {"code": wrong})
        clock.shift(timedelta(seconds=1))
        client.post(SET_UP, {"code": wrong})  # the second wrong one in a row: 2 seconds
        clock.shift(timedelta(milliseconds=500))

        too_soon = client.post(SET_UP, {"code": app_code(device)})

        assert "wait 2 seconds," in too_soon.content.decode()
        assert not TOTPDevice.objects.get(user=user).confirmed
