"""Visitors without a session share a copy of each education page, made anew after any edit."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import CacheHandler, caches
from django.http import HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.utils.csp import LazyNonce

from education import page_cache
from education.models import ContentVersion, Guide, Status
from tests.education.admin_forms import change_form_data
from tests.education.conftest import GUIDE_SLUG, PROTOCOL_SLUG, make_guide

GUIDE = f"/guides/{GUIDE_SLUG}/"


class Worker:
    """One gunicorn worker: its own memory, nothing shared with another but the database."""

    def __init__(self, monkeypatch) -> None:
        own_memory = {**settings.CACHES["pages_here"], "LOCATION": f"worker-{id(self)}"}
        self.caches = CacheHandler({**settings.CACHES, "pages_here": own_memory})
        self.monkeypatch = monkeypatch

    def get(self, path: str, client: Client | None = None):
        with self.monkeypatch.context() as patch:
            patch.setattr(page_cache, "caches", self.caches)
            return (client or Client()).get(path)


def with_cookie() -> Client:
    """A visitor the whole-page copy never serves (a stale flash-message cookie)."""
    client = Client()
    client.cookies["messages"] = "stale"
    return client


def kept(path: str) -> bool:
    version = ContentVersion.objects.current()
    # This worker's copy: what it keeps in memory, and shares through Redis when there is one.
    return caches["pages_here"].get(page_cache.page_key(path), version=version) is not None


@pytest.fixture
def clinician_client(group_member):
    client = Client()
    client.force_login(group_member("Clinician"))
    return client


def edit_sign(data: dict, guide: Guide) -> str:
    key = next(k for k, v in data.items() if v == "Pain with stairs, especially going down")
    data[key] = "Pain on the stairs"
    return "Pain on the stairs"


def edit_title(data: dict, guide: Guide) -> str:
    data["title"] = "Knee pain and running, revised"
    return "Knee pain and running, revised"


def edit_tip(data: dict, guide: Guide) -> str:
    key = next(k for k, v in data.items() if k.startswith("tips-") and k.endswith("-advice"))
    data[key] = "Lean forward a little more."
    return "Lean forward a little more."


def edit_body(data: dict, guide: Guide) -> str:
    data["body"] += "\n\nA **new** closing line."
    return "A <strong>new</strong> closing line."


@pytest.mark.parametrize(
    "edit", [edit_title, edit_body, edit_sign, edit_tip], ids=["title", "body", "sign", "tip"]
)
def test_an_admin_save_of_a_guide_reaches_visitors_on_every_worker_at_once(
    clinician_client, knee_guide, monkeypatch, edit, django_assert_max_num_queries
):
    """Two workers both serve the copy; after one admin save both serve the new page."""
    first, second = Worker(monkeypatch), Worker(monkeypatch)
    first.get(GUIDE)
    assert second.get(GUIDE).status_code == 200  # its own copy: shared only through Redis
    with django_assert_max_num_queries(1):  # then only the version: the copy is in memory
        assert second.get(GUIDE).status_code == 200
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    new_text = edit(data, knee_guide)

    assert clinician_client.post(url, data).status_code == 302

    assert new_text in second.get(GUIDE).content.decode()
    assert new_text in first.get(GUIDE).content.decode()


def test_an_admin_save_of_an_exercise_or_a_dose_reaches_the_guide_at_once(
    clinician_client, knee_guide, knee_protocol, monkeypatch
):
    worker = Worker(monkeypatch)
    assert "Keep your hips level" not in worker.get(GUIDE).content.decode()
    step_down = knee_protocol.steps.get(exercise__slug="step-down")
    url = f"/admin/education/exercise/{step_down.exercise.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    data["cues"] = "Keep your hips level."
    assert clinician_client.post(url, data).status_code == 302
    assert "<p>Keep your hips level.</p>" in worker.get(GUIDE).content.decode()

    url = f"/admin/education/protocol/{knee_protocol.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(step_down.pk))
    data[prefix.removesuffix("-id") + "-sets_min"] = "5"
    data[prefix.removesuffix("-id") + "-sets_max"] = "6"
    assert clinician_client.post(url, data).status_code == 302
    assert "5-6 sets of 10-15 reps" in worker.get(GUIDE).content.decode()
    assert "5-6 sets" in worker.get(f"/protocols/{PROTOCOL_SLUG}/print/").content.decode()


def test_unpublishing_takes_the_page_down_on_the_next_request(client, knee_guide):
    assert client.get(GUIDE).status_code == 200
    Guide.objects.filter(pk=knee_guide.pk).update(status=Status.DRAFT)  # as an admin action does
    assert client.get(GUIDE).status_code == 404
    assert knee_guide.title not in client.get("/guides/").content.decode()


def test_a_failed_save_leaves_the_version_and_the_copy_alone(knee_guide):
    before = ContentVersion.objects.current()
    knee_guide.slug = None  # NOT NULL: the database refuses the row
    with pytest.raises(Exception):  # noqa: B017 - the backend's own IntegrityError
        knee_guide.save()
    assert ContentVersion.objects.current() == before


def test_with_the_copy_turned_off_the_public_sees_an_edit_at_once(client, knee_guide, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert "Pain with stairs" in client.get(GUIDE).content.decode()
    knee_guide.points.filter(text="Pain with stairs, especially going down").update(
        text="Pain on stairs"
    )
    assert "Pain on stairs" in client.get(GUIDE).content.decode()


@pytest.mark.parametrize("visitor", [Client, with_cookie], ids=["anonymous", "with-cookie"])
def test_with_the_copy_turned_off_a_guide_costs_only_its_own_queries(
    knee_guide, settings, django_assert_num_queries, visitor
):
    """PAGE_CACHE_SECONDS=0: no version read, no copy read, deleted or written, ever."""
    settings.PAGE_CACHE_SECONDS = 0
    client = visitor()
    for _ in range(2):  # nothing was kept by the first request either
        # The guide, its signs, its tips with their exercises and doses: the page's own
        # queries and nothing else (the clinic's details are already in memory).
        with django_assert_num_queries(3) as captured:
            assert client.get(GUIDE).status_code == 200
        assert not [q for q in captured.captured_queries if "version" in q["sql"]]


def test_a_not_found_page_is_not_kept_so_publishing_shows_at_once(client, db):
    guide = make_guide(status="draft", slug="ankle")
    assert client.get("/guides/ankle/").status_code == 404
    guide.status = "published"
    guide.save()
    assert client.get("/guides/ankle/").status_code == 200


def test_a_visitor_with_a_flash_message_sees_it_on_a_page_others_get_from_the_copy(
    client, knee_guide
):
    Client().get(GUIDE)  # the copy and the guide's parts are kept
    storage = CookieStorage(RequestFactory().get(GUIDE))
    storage.add(messages.SUCCESS, "Thanks, we will call you back today.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value

    page = client.get(GUIDE).content.decode()

    assert "Thanks, we will call you back today." in page
    assert knee_guide.title in page
    assert "Thanks, we will call you back" not in Client().get(GUIDE).content.decode()


@pytest.mark.parametrize(
    "edit", [edit_title, edit_body, edit_sign, edit_tip], ids=["title", "body", "sign", "tip"]
)
def test_a_visitor_with_a_session_sees_an_admin_save_of_a_guide_at_once(
    clinician_client, knee_guide, monkeypatch, edit, django_assert_max_num_queries
):
    """The guide's rendered parts are kept per version: an edit is never served stale."""
    first, second = Worker(monkeypatch), Worker(monkeypatch)
    visitor = with_cookie()
    first.get(GUIDE, visitor)
    assert second.get(GUIDE, visitor).status_code == 200  # its own parts, as above
    with django_assert_max_num_queries(1):  # then only the version: the parts are in memory
        assert second.get(GUIDE, visitor).status_code == 200
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    new_text = edit(data, knee_guide)

    assert clinician_client.post(url, data).status_code == 302

    assert new_text in second.get(GUIDE, visitor).content.decode()
    assert new_text in first.get(GUIDE, visitor).content.decode()


def test_a_visitor_with_a_session_sees_an_admin_save_of_an_exercise_at_once(
    clinician_client, knee_guide, knee_protocol, monkeypatch
):
    worker, visitor = Worker(monkeypatch), with_cookie()
    assert "Keep your hips level" not in worker.get(GUIDE, visitor).content.decode()
    step_down = knee_protocol.steps.get(exercise__slug="step-down")
    url = f"/admin/education/exercise/{step_down.exercise.pk}/change/"
    data = change_form_data(clinician_client.get(url))
    data["cues"] = "Keep your hips level."
    assert clinician_client.post(url, data).status_code == 302
    assert "<p>Keep your hips level.</p>" in worker.get(GUIDE, visitor).content.decode()


def test_what_staff_see_of_a_guide_is_never_kept_for_the_public(
    clinician_client, knee_guide, django_assert_max_num_queries
):
    """Staff see drafts and links to draft exercises; those parts are never shared."""
    exercise = knee_guide.tips.first().step.exercise
    exercise.status = Status.DRAFT
    exercise.save()
    link = f'href="{exercise.get_absolute_url()}"'
    draft = make_guide(status=Status.DRAFT, slug="ankle", title="Ankle sprains")

    assert link in clinician_client.get(GUIDE).content.decode()
    assert "Draft preview." in clinician_client.get("/guides/ankle/").content.decode()

    assert link not in with_cookie().get(GUIDE).content.decode()
    assert with_cookie().get("/guides/ankle/").status_code == 404
    # And the other way round: the public's parts, now kept, are not what staff get.
    with django_assert_max_num_queries(2):  # the version and the kept parts: no rendering
        with_cookie().get(GUIDE)
    assert link in clinician_client.get(GUIDE).content.decode()
    assert draft.title in clinician_client.get("/guides/ankle/").content.decode()


def _render_twice(template_code: str) -> None:
    """Two anonymous visitors request a cached page whose template is template_code."""
    template = engines["django"].from_string(template_code)

    @page_cache.cache_public_page
    def view(request):
        return HttpResponse(template.render({}, request))

    serve = page_cache.public_page_copy(view)
    for _ in range(2):
        request = RequestFactory().get(PER_REQUEST)
        request._csp_nonce = LazyNonce()  # as the CSP middleware does
        serve(request)


PER_REQUEST = "/guides/per-request/"


def test_a_page_without_per_request_values_is_kept(db):
    _render_twice("<p>The same for everyone</p>")
    assert kept(PER_REQUEST)


@pytest.mark.parametrize(
    "template_code",
    ["<script {% csp_nonce_attr %}></script>", "<form>{% csrf_token %}</form>"],
    ids=["nonce", "csrf-token"],
)
def test_pages_with_per_request_values_are_never_shared(db, template_code):
    _render_twice(template_code)
    assert not kept(PER_REQUEST)


def _render_parts_twice(template_code: str) -> list[str]:
    """Two visitors with a session get parts of a page whose template is template_code."""
    template = engines["django"].from_string(template_code)
    renders = []

    def render(request) -> dict[str, str]:
        renders.append(request)
        return {"content": template.render({}, request)}

    for _ in range(2):
        request = RequestFactory().get("/per-request/")
        request.user = AnonymousUser()
        request._csp_nonce = LazyNonce()
        page_cache.cached_parts(
            request=request, name="per-request", render=lambda request=request: render(request)
        )
    return renders


def test_parts_without_per_request_values_are_rendered_once_per_version(db):
    assert len(_render_parts_twice("<p>The same for everyone</p>")) == 1


@pytest.mark.parametrize(
    "template_code",
    ["<script {% csp_nonce_attr %}></script>", "<form>{% csrf_token %}</form>"],
    ids=["nonce", "csrf-token"],
)
def test_parts_with_per_request_values_are_rendered_for_each_visitor(db, template_code):
    assert len(_render_parts_twice(template_code)) == 2


def test_search_results_are_not_kept(client, knee_guide):
    assert client.get("/guides/", {"q": "knee"}).status_code == 200
    assert not kept("/guides/?q=knee")
    client.get("/guides/", {"category": "knee"})
    assert kept("/guides/?category=knee")


def test_the_copy_is_the_page_as_rendered_headers_included(
    client, knee_guide, django_assert_max_num_queries
):
    """Served before the session, CSRF and frame-options middleware, it still has their headers."""
    rendered = client.get(GUIDE)
    with django_assert_max_num_queries(1):  # only the version: this is the copy
        copy = Client().get(GUIDE)

    assert copy.content == rendered.content
    assert dict(copy.headers) == dict(rendered.headers)
    assert copy["X-Frame-Options"] == "DENY"
    assert copy["Vary"] == "Cookie"
    assert "frame-ancestors 'none'" in copy["Content-Security-Policy"]


def test_a_host_the_site_does_not_serve_is_refused_even_when_a_copy_is_kept(client, knee_guide):
    assert client.get(GUIDE).status_code == 200
    assert Client(HTTP_HOST="peak-clinic.example.net").get(GUIDE).status_code == 400


def test_every_page_that_may_be_copied_is_at_an_address_the_copy_serves():
    from education import urls

    copied = [p for p in urls.urlpatterns if getattr(p.callback, "may_be_copied", False)]
    assert len(copied) == 5  # guide list and page, exercise, protocol and its handout
    for pattern in copied:
        assert f"/{pattern.pattern}".startswith(page_cache.COPIED_PATHS), pattern
