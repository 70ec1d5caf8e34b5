"""Patients find guides on /guides/ by words or by topic, a page of ten at a time."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from education.models import Category, Guide, Status
from tests.education.conftest import GUIDE_SLUG, make_guide


@pytest.fixture
def ankle(db) -> Category:
    return Category.objects.create(name="Ankle", slug="ankle", kind="body_area")


@pytest.fixture
def ankle_guide(ankle) -> Guide:
    guide = make_guide(
        title="Rolled your ankle? What to do this week",
        summary="Sprains heal best with early, gentle movement.",
        body="## Should I rest it completely?\n\nNo: walking as pain allows helps it heal.",
    )
    guide.categories.add(ankle)
    return guide


def titles(response) -> list[str]:
    return [guide.title for guide in response.context["page"]]


def test_search_finds_guides_by_the_words_patients_use(client, knee_guide, ankle_guide):
    response = client.get("/guides/", {"q": "ankle sprains"})
    assert titles(response) == [ankle_guide.title]
    assert "1 guide matching “ankle sprains”" in response.content.decode()
    assert titles(client.get("/guides/", {"q": "knee running"})) == [knee_guide.title]


def test_search_finds_words_in_the_body_too(client, knee_guide, ankle_guide):
    assert titles(client.get("/guides/", {"q": "walking"})) == [ankle_guide.title]


def test_a_search_with_no_match_says_so_and_offers_the_phone(client, knee_guide):
    page = client.get("/guides/", {"q": "elbow"}).content.decode()
    assert "No guide matches that yet" in page
    assert "tel:+16082184215" in page


def test_topics_filter_the_list(client, knee_guide, ankle_guide):
    assert titles(client.get("/guides/", {"category": "ankle"})) == [ankle_guide.title]
    assert titles(client.get("/guides/", {"category": "running"})) == [knee_guide.title]
    page = client.get("/guides/").content.decode()
    assert '<option value="ankle">Ankle</option>' in page
    assert 'href="/guides/?category=knee">Knee</a>' in page


@pytest.mark.parametrize(
    "query",
    [{"category": "no-such-topic"}, {"q": "x" * 500}, {"page": "banana"}, {"q": "\x00"}],
    ids=["unknown-topic", "overlong", "bad-page", "nul-byte"],
)
def test_odd_input_shows_the_list_not_an_error(client, knee_guide, query):
    response = client.get("/guides/", query)
    assert response.status_code == 200
    assert knee_guide.title in response.content.decode()


def test_drafts_are_never_listed_or_found(client, knee_guide):
    make_guide(title="Draft about ankles", status=Status.DRAFT)
    assert "Draft about ankles" not in client.get("/guides/").content.decode()
    assert titles(client.get("/guides/", {"q": "ankles"})) == []


def test_the_list_comes_ten_at_a_time_with_links_to_the_next_page(client, knee_guide, ankle):
    for n in range(12):
        make_guide(title=f"Ankle guide {n:02}").categories.add(ankle)
    first = client.get("/guides/", {"category": "ankle"})
    assert len(titles(first)) == 10
    assert 'href="?category=ankle&amp;page=2" rel="next"' in first.content.decode()
    second = client.get("/guides/", {"category": "ankle", "page": 2})
    assert titles(second) == ["Ankle guide 10", "Ankle guide 11"]
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("query", [{}, {"q": "ankle"}, {"category": "ankle"}], ids=str)
def test_the_list_and_search_use_the_same_few_queries_however_many_guides(
    client, knee_guide, ankle, django_assert_num_queries, query
):
    client.cookies["messages"] = "rendered afresh"  # skip the shared copy
    for n in range(3):
        make_guide(title=f"Ankle guide {n}").categories.add(ankle)
    with django_assert_num_queries(4 if "category" not in query else 5) as few:
        client.get("/guides/", query)
    for n in range(3, 25):
        make_guide(title=f"Ankle guide {n}").categories.add(ankle)
    with django_assert_num_queries(len(few)):
        client.get("/guides/", query)


def test_the_guide_page_is_unaffected_by_topics(client, knee_guide):
    assert client.get(f"/guides/{GUIDE_SLUG}/").status_code == 200


def test_a_scheduled_guide_appears_at_its_time_even_in_the_shared_copy(
    client, knee_guide, staff_user, monkeypatch
):
    """No save happens at the scheduled time; the next request must still show the guide."""
    now = timezone.now()
    guide = make_guide(title="Shin splints: what helps", publish_at=now + timedelta(hours=2))
    assert "Shin splints" not in client.get("/guides/").content.decode()
    assert client.get(guide.get_absolute_url()).status_code == 404
    staff = Client()
    staff.force_login(staff_user)
    assert "Draft preview" in staff.get(guide.get_absolute_url()).content.decode()

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2, seconds=1))

    assert "Shin splints" in client.get("/guides/").content.decode()
    assert client.get(guide.get_absolute_url()).status_code == 200
    assert guide in Guide.objects.published()
