import re

import pytest
from django.db import DatabaseError
from django.test import Client


@pytest.mark.django_db
def test_home_page_shows_mission_and_tappable_phone_number(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="tel:+16082184215"' in body
    assert "(608) 218-4215" in body
    assert "get back to the activities they love without pain or limitations" in body
    for group in [
        "running",
        "women postpartum",
        "CrossFit athletes",
        "climbers",
        "gymnasts",
        "wrestlers",
        "overhead athletes",
        "recreational weekend warrior",
    ]:
        assert group in body


@pytest.mark.django_db
def test_home_page_leads_with_the_mission_then_three_next_steps(client):
    """Guide, self-check, booking: in that order, right after the mission, before anything else."""
    main = client.get("/").content.decode().split("<main", 1)[1]
    mission = main.index("get back to the activities they love")
    steps = [
        main.index("<h3>Read a guide</h3>"),
        main.index('href="/guides/"'),
        main.index("<h3>Take the self-check</h3>"),
        main.index('href="/check/"'),
        main.index("<h3>Book a visit</h3>"),
        main.index('href="/book/"'),
    ]
    assert mission < steps[0]
    assert steps == sorted(steps)
    assert main.index("Who we help") > steps[-1]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/guides/knee-pain-with-running/", "/book/", "/check/"])
def test_pages_load_nothing_from_other_hosts_or_data_uris(client, url):
    """The logo is inline SVG, the favicon and styles static files, the type the system font."""
    body = client.get(url).content.decode()
    fetched = re.findall(
        r'<(?:link[^>]+rel="(?:stylesheet|icon|preload|modulepreload)"[^>]*href'
        r"|(?:script|img|source|iframe)[^>]+src)=\"([^\"]+)\"",
        body,
    )
    assert fetched, url
    assert all(address.startswith("/") and not address.startswith("//") for address in fetched)
    assert "data:" not in body


@pytest.mark.django_db
def test_header_offers_call_and_a_menu_that_works_without_javascript(client):
    header = client.get("/").content.decode().split("<header", 1)[1].split("</header>", 1)[0]
    assert 'href="tel:+16082184215"' in header
    assert "<details" in header and "<summary" in header
    menu = header.split("<details", 1)[1]
    for url in ["/guides/", "/check/", "/book/", "/contact/"]:
        assert f'href="{url}"' in menu
    assert "<svg" in header  # the logo, drawn inline: no extra request


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_unknown_page_is_a_404_that_offers_the_phone_number(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "tel:+16082184215" in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_apologises_and_offers_the_clinics_phone_number(settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("clinic.views.render", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, something went wrong on our side" in body
    # The page is static HTML, so check it still matches the clinic's number in settings.
    assert f'href="tel:{settings.CLINIC["phone_e164"]}"' in body
    assert settings.CLINIC["phone_display"] in body


@pytest.mark.django_db
def test_robots_and_sitemap_are_served(client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Disallow: /book/manage/" in robots.content.decode()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    body = sitemap.content.decode()
    for path in ["/guides/knee-pain-with-running/", "/check/", "/contact/", "/book/"]:
        assert f"{path}</loc>" in body
