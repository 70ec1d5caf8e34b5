"""Visitors without a session share a recent copy of each education page; staff never do."""

from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.http import HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.utils.csp import LazyNonce

from education import page_cache
from tests.education.conftest import GUIDE_SLUG, make_guide

GUIDE = f"/guides/{GUIDE_SLUG}/"


def later(monkeypatch, seconds: float) -> None:
    """Move the in-memory cache's clock forward."""
    now = locmem.time.time()
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: now + seconds))


def kept(path: str) -> bool:
    return caches["pages"].get(page_cache.page_key(path)) is not None


def test_public_sees_an_edit_within_the_cache_lifetime_and_staff_at_once(
    client, knee_guide, staff_user, monkeypatch
):
    assert "Pain with stairs" in client.get(GUIDE).content.decode()
    sign = knee_guide.points.get(text="Pain with stairs, especially going down")
    sign.text = "Pain on stairs"
    sign.save()

    staff = Client()
    staff.force_login(staff_user)
    assert "Pain on stairs" in staff.get(GUIDE).content.decode()
    assert "Pain on stairs" not in client.get(GUIDE).content.decode()  # the shared copy

    later(monkeypatch, 61)  # PAGE_CACHE_SECONDS defaults to 60
    assert "Pain on stairs" in client.get(GUIDE).content.decode()


def test_with_the_copy_turned_off_the_public_sees_an_edit_at_once(client, knee_guide, settings):
    settings.CACHES = {**settings.CACHES, "pages": {**settings.CACHES["pages"], "TIMEOUT": 0}}
    assert "Pain with stairs" in client.get(GUIDE).content.decode()
    knee_guide.points.filter(text="Pain with stairs, especially going down").update(
        text="Pain on stairs"
    )
    assert "Pain on stairs" in client.get(GUIDE).content.decode()


def test_a_not_found_page_is_not_kept_so_publishing_shows_at_once(client, db):
    guide = make_guide(status="draft", slug="ankle")
    assert client.get("/guides/ankle/").status_code == 404
    guide.status = "published"
    guide.save()
    assert client.get("/guides/ankle/").status_code == 200


def test_a_visitor_with_messages_or_a_session_is_not_served_the_shared_copy(
    client, knee_guide, django_assert_num_queries
):
    client.get(GUIDE)
    client.cookies["messages"] = "anything"
    with django_assert_num_queries(3):
        client.get(GUIDE)


def _render_twice(template_code: str) -> None:
    """Two anonymous visitors request a cached page whose template is template_code."""
    template = engines["django"].from_string(template_code)

    @page_cache.cache_public_page
    def view(request):
        return HttpResponse(template.render({}, request))

    for _ in range(2):
        request = RequestFactory().get("/per-request/")
        request._csp_nonce = LazyNonce()  # as the CSP middleware does
        view(request)


def test_a_page_without_per_request_values_is_kept():
    _render_twice("<p>The same for everyone</p>")
    assert kept("/per-request/")


@pytest.mark.parametrize(
    "template_code",
    ["<script {% csp_nonce_attr %}></script>", "<form>{% csrf_token %}</form>"],
    ids=["nonce", "csrf-token"],
)
def test_pages_with_per_request_values_are_never_shared(template_code):
    _render_twice(template_code)
    assert not kept("/per-request/")
