"""Public education pages: drafts, query counts, structured data and search-engine tags."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from education.models import Exercise, PointKind, Status
from tests.education.conftest import (
    EXERCISE_SLUGS,
    GUIDE_SLUG,
    PROTOCOL_SLUG,
    add_point,
    add_tip,
    make_exercise,
    make_guide,
    make_protocol,
    make_step,
)

PUBLIC_PAGES = [
    "/guides/",
    f"/guides/{GUIDE_SLUG}/",
    *[f"/exercises/{slug}/" for slug in EXERCISE_SLUGS],
    f"/protocols/{PROTOCOL_SLUG}/",
    f"/protocols/{PROTOCOL_SLUG}/print/",
]


def json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


# Drafts ---------------------------------------------------------------------------------------


@pytest.fixture
def drafts(db) -> dict[str, str]:
    """A draft guide, exercise and protocol, by the address each would be published at."""
    exercise = make_exercise(status=Status.DRAFT, name="Secret squat")
    protocol = make_protocol(status=Status.DRAFT, title="Secret plan")
    make_step(protocol, exercise)
    guide = make_guide(status=Status.DRAFT, title="Secret guide", protocol=protocol)
    return {
        guide.get_absolute_url(): "Secret guide",
        exercise.get_absolute_url(): "Secret squat",
        protocol.get_absolute_url(): "Secret plan",
        protocol.get_print_url(): "Secret plan",
    }


def test_drafts_are_not_found_by_the_public(client, drafts):
    for url in drafts:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret" not in response.content.decode()


def test_staff_preview_drafts_at_the_public_address_with_a_banner(client, drafts, staff_user):
    client.force_login(staff_user)
    for url, title in drafts.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert title in body
        assert "Draft preview." in body
        assert '<meta name="robots" content="noindex">' in body


def test_published_pages_have_no_draft_banner_even_for_staff(client, staff_user):
    client.force_login(staff_user)
    assert "Draft preview" not in client.get(f"/guides/{GUIDE_SLUG}/").content.decode()


def test_drafts_stay_out_of_the_guide_list_and_the_sitemap(client, drafts):
    assert "Secret guide" not in client.get("/guides/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    for url in drafts:
        assert url not in sitemap


def test_published_guide_shows_the_public_a_tip_without_its_draft_exercise(client, knee_guide):
    tip = knee_guide.tips.first()
    tip.step.exercise.status = Status.DRAFT
    tip.step.exercise.save()
    body = client.get(knee_guide.get_absolute_url()).content.decode()
    assert tip.advice in body  # the advice is the guide's own
    assert tip.step.exercise.name not in body
    assert f'href="{tip.step.exercise.get_absolute_url()}"' not in body


def test_unknown_slugs_are_404(client, db):
    for url in ["/guides/nope/", "/exercises/nope/", "/protocols/nope/", "/protocols/nope/print/"]:
        assert client.get(url).status_code == 404


def test_pages_refuse_posts(client, db):
    assert client.post(f"/guides/{GUIDE_SLUG}/").status_code == 405


# Query counts ---------------------------------------------------------------------------------


def grow_content(knee_guide, knee_protocol) -> None:
    """More of everything each page lists, to show the query count does not grow with it."""
    for n in range(5):
        add_point(knee_guide, PointKind.SIGN, f"Extra sign {n}")
        add_point(knee_guide, PointKind.TAKEAWAY, f"Extra takeaway {n}")
        step = make_step(knee_protocol, sets_min=2, reps_min=n + 5)
        add_tip(knee_guide, step, advice=f"Extra tip {n}")
        make_guide(protocol=knee_protocol)
    for slug in EXERCISE_SLUGS:
        exercise = Exercise.objects.get(slug=slug)
        for _ in range(3):
            make_step(make_protocol(), exercise)


EXPECTED_QUERIES = {
    "/": 0,
    # How many there are, this page of them, their topics, and the topics to filter by.
    "/guides/": 4,
    # The content version its rendered parts are kept by, then (not yet kept) the guide,
    # its signs/reassurances/takeaways, its tips with their exercise and dose; and the
    # clinic's details with their hours and the closures ahead, read as of that version
    # (once per version).
    f"/guides/{GUIDE_SLUG}/": 7,
    # The exercise, and the published protocols that prescribe it.
    **{f"/exercises/{slug}/": 2 for slug in EXERCISE_SLUGS},
    # The protocol, its exercises with doses, and the guides that recommend it.
    f"/protocols/{PROTOCOL_SLUG}/": 3,
    f"/protocols/{PROTOCOL_SLUG}/print/": 3,
}


def content_queries(captured: CaptureQueriesContext) -> list[str]:
    """The queries a page makes, without reading and writing kept copies in the database
    cache (which Redis would answer instead)."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if "page_cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    ]


@pytest.mark.parametrize("grown", [False, True], ids=["seeded", "with-extra-rows"])
@pytest.mark.parametrize(("url", "queries"), EXPECTED_QUERIES.items())
def test_public_pages_use_a_small_constant_number_of_queries(
    client,
    django_assert_max_num_queries,
    knee_guide,
    knee_protocol,
    url,
    queries,
    grown,
):
    if grown:
        grow_content(knee_guide, knee_protocol)
    client.cookies["messages"] = "rendered afresh"  # a visitor the shared copy never serves
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert len(content_queries(captured)) == queries, content_queries(captured)
    assert response.status_code == 200
    if grown and url == f"/guides/{GUIDE_SLUG}/":
        body = response.content.decode()
        assert "Extra sign 4" in body and "Extra tip 4" in body and "Extra takeaway 4" in body
    if url == f"/guides/{GUIDE_SLUG}/":  # then its rendered parts are kept
        with django_assert_max_num_queries(2):  # the version, then the parts: no rendering
            assert client.get(url).content == response.content
    if url != "/":  # education pages: visitors without cookies get the copy
        anonymous = Client()
        anonymous.get(url)
        with django_assert_max_num_queries(2):  # the content version, then the copy
            assert anonymous.get(url).content == response.content


# Structured data and search-engine tags ---------------------------------------------------------


def test_guide_describes_itself_as_a_medical_web_page_about_the_condition(client, db):
    data = json_ld(client.get(f"/guides/{GUIDE_SLUG}/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["about"]["@type"] == "MedicalCondition"
    assert data["about"]["name"] == "Patellofemoral pain"
    signs = [sign["name"] for sign in data["about"]["signOrSymptom"]]
    assert signs[0] == "Generalized pain around or beneath the kneecap"
    assert len(signs) == 4
    assert data["lastReviewed"] == "2026-11-25"
    assert data["publisher"]["medicalSpecialty"] == "Physiotherapy"


def test_protocol_describes_itself_as_an_exercise_plan(client, db):
    data = json_ld(client.get(f"/protocols/{PROTOCOL_SLUG}/"))
    assert data["@type"] == "ExercisePlan"
    parts = data["hasPart"]
    assert [part["name"] for part in parts] == [
        "Single-leg banded hip abduction",
        "Step-down",
        "Forward-trunk-lean wall drill",
    ]
    assert parts[1]["description"] == "3-4 sets of 10-15 reps, 3-4 times per week"
    assert parts[1]["repetitions"] == {"@type": "QuantitativeValue", "minValue": 10, "maxValue": 15}
    assert parts[0]["activityFrequency"] == "3-4 times per week"


def test_home_page_describes_the_clinic_as_a_physiotherapy_business(client, db):
    response = client.get("/")
    data = json_ld(response)
    assert data["@type"] == "MedicalBusiness"
    assert data["medicalSpecialty"] == "Physiotherapy"
    assert data["telephone"] == "+16082184215"
    assert 'href="/guides/"' in response.content.decode()


def test_structured_data_cannot_close_its_script_element(client, db, knee_guide):
    knee_guide.seo_title = "Knee </script><script>alert(1)</script> & more"
    knee_guide.save()
    response = client.get(knee_guide.get_absolute_url())
    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["name"] == knee_guide.seo_title


@pytest.mark.parametrize(
    ("url", "og_type"),
    [
        (f"/guides/{GUIDE_SLUG}/", "article"),
        (f"/exercises/{EXERCISE_SLUGS[1]}/", "website"),
        (f"/protocols/{PROTOCOL_SLUG}/", "website"),
    ],
)
def test_pages_have_canonical_and_open_graph_tags(client, db, settings, url, og_type):
    settings.SITE_URL = "https://www.peakendurancept.example"
    body = client.get(url, HTTP_HOST="localhost").content.decode()
    canonical = f"https://www.peakendurancept.example{url}"
    assert f'<link rel="canonical" href="{canonical}">' in body
    assert f'<meta property="og:url" content="{canonical}">' in body
    assert f'<meta property="og:type" content="{og_type}">' in body
    assert '<meta property="og:title" content="' in body
    assert '<meta property="og:description" content="' in body


def test_sitemap_lists_published_guides_exercises_and_protocols(client, db):
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in [f"/guides/{GUIDE_SLUG}/", f"/protocols/{PROTOCOL_SLUG}/"] + [
        f"/exercises/{slug}/" for slug in EXERCISE_SLUGS
    ]:
        assert f"{path}</loc>" in sitemap


def test_guide_list_links_each_published_guide(client, db):
    make_guide(title="Shoulder pain when climbing", slug="shoulder-pain-climbing")
    body = client.get("/guides/").content.decode()
    assert f'<a href="/guides/{GUIDE_SLUG}/">3 ways to Improve Knee Pain with Running</a>' in body
    assert '<a href="/guides/shoulder-pain-climbing/">Shoulder pain when climbing</a>' in body


def test_every_public_page_offers_the_phone_number(client, db):
    for url in PUBLIC_PAGES:
        assert 'href="tel:+16082184215"' in client.get(url).content.decode(), url


def test_pages_have_no_inline_styles_and_no_inline_code(client, db):
    """The CSP forbids inline styles; the only inline scripts are JSON-LD data blocks.

    Scripts with code are our own static files (the handout's Print button).
    """
    for url in ["/", *PUBLIC_PAGES]:
        body = client.get(url).content.decode()
        assert not re.search(r"<style|\sstyle=", body), url
        for tag in re.findall(r"<script[^>]*>", body):
            assert tag == '<script type="application/ld+json">' or re.fullmatch(
                r'<script src="/static/js/[\w.]+\.js"( defer)?>', tag
            ), (url, tag)
