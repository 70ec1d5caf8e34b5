"""A new front-desk member signs in for the first time: password, sets up the authenticator
app, saves the recovery codes, reads a lead; signs in again with a recovery code and
exports leads (password again); later, wrong passwords lock the account."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp

from intake.models import ReadLogEntry
from tests.browser.conftest import assert_accessible
from tests.intake.leads_support import make_lead

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("input[type=submit]")


def test_first_sign_in_sets_up_the_second_step_and_wrong_passwords_lock_out(
    live_server, page, django_user_model, settings
):
    frank = django_user_model.objects.create_user("frank", password="frank-pw-123", is_staff=True)
    frank.groups.add(Group.objects.get(name="Front desk"))
    lead = make_lead(name="Quinn Private", answers=[{"question": "Where?", "answer": "Left knee"}])

    page.goto(live_server.url + f"/admin/intake/lead/{lead.pk}/change/")
    assert "/admin/login/" in page.url
    sign_in(page, "frank", "frank-pw-123")

    assert "/admin/second-factor/set-up/" in page.url
    assert page.locator(".qr-code svg").is_visible()
    assert_accessible(page)
    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#id_code", f"{totp(b32decode(secret)):06d}")
    with page.expect_navigation():
        page.click("input[type=submit]")

    assert page.locator("#recovery-codes li").count() == 10
    recovery_codes = page.locator("#recovery-codes li").all_inner_texts()
    assert_accessible(page)
    with page.expect_navigation():
        page.click("text=I have saved them: continue")
    assert page.url.endswith(f"/admin/intake/lead/{lead.pk}/change/")
    assert "Left knee" in page.content()
    assert ReadLogEntry.objects.filter(lead=lead, user=frank).exists()

    with page.expect_navigation():
        page.click("#logout-form button")

    # The next day: password, then a recovery code (the phone is at home).
    settings.STAFF_REAUTH_MINUTES = 0  # so the export below asks for the password again
    page.goto(live_server.url + "/admin/intake/lead/")
    sign_in(page, "frank", "frank-pw-123")
    assert "/admin/second-factor/?" in page.url
    assert_accessible(page)
    page.get_by_label("Code").fill(recovery_codes[0])
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/admin/intake/lead/")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "export_csv")
    with page.expect_navigation():
        page.get_by_role("button", name="Run").click()
    assert "type your password again" in page.content()
    assert_accessible(page)
    page.get_by_label("Your password").fill("frank-pw-123")
    with page.expect_download() as download:
        page.get_by_role("button", name="Continue").click()
    assert download.value.suggested_filename.startswith("leads-")
    assert ReadLogEntry.objects.filter(lead=lead, user=frank, action="exported").exists()
    page.goto(live_server.url + "/admin/")
    with page.expect_navigation():
        page.click("#logout-form button")

    page.goto(live_server.url + "/admin/login/")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, "frank", f"wrong-{attempt}")
    assert "Too many wrong sign-in attempts" in page.content()
    # Even the right password is refused now; the page says who can help.
    page.goto(live_server.url + "/admin/login/")
    sign_in(page, "frank", "frank-pw-123")
    assert "Too many wrong sign-in attempts" in page.content()
    assert "(608) 218-4215" in page.content()
    assert_accessible(page)
