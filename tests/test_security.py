"""Production security: settings derived from the environment, and the headers patients get."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.production_env import production_env

ROOT = Path(__file__).resolve().parent.parent


def production_settings(**env: str) -> dict:
    """Import clinic.settings in a fresh interpreter with this environment."""
    names = [
        "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    ]  # fmt: skip
    code = (
        "import json, clinic.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_deploy_check_reports_nothing_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_redirects_to_https_and_secures_cookies_by_default():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True


def test_https_redirect_can_be_turned_off_for_a_proxy_that_already_does_it():
    assert production_settings(DJANGO_SECURE_SSL_REDIRECT="0")["SECURE_SSL_REDIRECT"] is False


def test_forwarded_proto_is_trusted_only_when_asked():
    assert production_settings()["SECURE_PROXY_SSL_HEADER"] is None
    assert production_settings(DJANGO_TRUST_X_FORWARDED_PROTO="1")["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import clinic.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# Response headers (the test run uses production settings, with the HTTPS redirect off). ---------


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_with_a_fresh_nonce(client):
    # The admin login page has inline scripts, so it uses the nonce.
    first = client.get("/admin/login/")
    second = client.get("/admin/login/")
    directives = dict(
        (part.split(" ", 1) + [""])[:2]
        for part in (p.strip() for p in first["Content-Security-Policy"].split(";"))
    )
    assert directives["default-src"] == "'none'"  # anything not named below is refused
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["style-src"] == "'self'"
    # Same-origin fetches only: Lighthouse's SEO audit reads robots.txt from inside the page.
    assert directives["connect-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert f'nonce="{nonce}"' in first.content.decode()
    assert nonce not in second["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_send_referrer_opener_and_sniffing_protections(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.django_db
def test_static_files_may_not_be_loaded_by_other_sites(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.django_db
def test_csrf_cookie_is_secure_http_only_and_same_site_and_forms_still_post(settings):
    """No script reads the CSRF cookie, so it can be HttpOnly: the token travels in the form."""
    from django.test import Client

    from tests.intake.leads_support import contact_data

    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/contact/")
    cookie = page.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    token = page.context["csrf_token"]
    response = browser.post("/contact/", {**contact_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


@pytest.mark.django_db
def test_https_responses_tell_browsers_to_stay_on_https_for_a_year(client):
    hsts = client.get("/", secure=True)["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in hsts


@pytest.mark.django_db
def test_login_session_cookie_is_secure_and_http_only(client, staff_user):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "staffer", "password": "pw-staff-123"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_when_the_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/guides/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/guides/"


@pytest.mark.django_db
def test_health_check_answers_a_plain_http_probe_when_the_redirect_is_on(client, settings):
    """A load balancer probing over HTTP inside the network would count a redirect as down."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_forwarded_proto_header_counts_only_from_a_trusted_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 301

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


@pytest.mark.django_db
def test_pages_without_inline_scripts_get_no_nonce(client):
    policy = client.get("/guides/knee-pain-with-running/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "nonce" not in policy
