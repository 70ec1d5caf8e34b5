"""A shared copy of the public education pages, for visitors without a session, kept per edit.

Guide, exercise and protocol pages are the same for every such visitor: they carry no
CSP nonce, no CSRF token and nothing personal. Keeping each one rendered lets a worker
answer with one or two small reads instead of running the page's queries and templates
again (see bench/README.md for what that buys).

Each copy is keyed by the content version (education.models.ContentVersion), a number
that every save or delete of a guide, point, tip, exercise, protocol or protocol step
moves on in the same database transaction. A request reads the number first, so the
first request after an edit commits, on any worker or host, asks for a key nobody has
filled yet and renders the new page: no visitor waits for a timeout to see an edit.
Each worker keeps the copies it served in its own memory ("pages_here"); with Redis
(CACHE_URL) they are also shared through the "pages" cache, so a page rendered by one
worker serves all of them. Without Redis nothing is shared: on the database cache writing
a copy took five statements and reading one back cost more than rendering the page from
its kept parts. A copy filed under a version can never go stale, because every request
knows the current version (on PostgreSQL without a round trip: each worker listens for
the edits' notices, education/version_listener.py); old versions' copies simply go unused
until they expire.
PAGE_CACHE_SECONDS=0 turns copies off altogether: no version read, no cache traffic.

The copy is served by a middleware (`public_page_copy`) just inside the security, CSP and
static-file middleware, for views marked with `cache_public_page`. For a visitor with no
cookie the middleware further in (sessions, CSRF, authentication, OTP, messages, idle
timeout, frame options, history, lockouts) cannot change the page, so a copy skips them and
the URL resolver: that was most of what a copy cost when it was served from the view. The
copy keeps the headers those middleware gave the page (Vary, X-Frame-Options,
Content-Length); the outer ones add theirs to each response as usual.

A response is kept only if rendering it used no nonce and no CSRF token and set no
cookie, so if these pages ever gain a form or an inline script, caching simply stops
instead of handing one visitor's per-request value to another.

Visitors the copy cannot serve (a session, a flash-message cookie, a query string nobody
asked for before) still share the costly parts of a page: `cached_parts` keeps what a
view rendered from the content (the guide's article, head and title) under the same
version key, so such a request reads the version and renders only the site's frame around
them. Staff never share parts: they see drafts and links the public do not.

Django's cache_page does not fit: it would keep a page whose nonce was used, key staff
pages by their session cookie, know nothing of edits, and tell browsers to keep the page
too, where an edit cannot reach it.
"""

from collections.abc import Callable, Mapping
from contextlib import suppress
from functools import wraps
from hashlib import md5
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import patch_vary_headers

from education.models import ContentVersion


def page_key(path: str) -> str:
    """A short key whatever the URL's length (memcached-style keys stop at 250 characters).

    "response:" since copies hold the headers too: a copy in the older form ("page:", body
    and content type only) that outlives a deploy in the shared cache is never read.
    """
    return "response:" + md5(path.encode(), usedforsecurity=False).hexdigest()


def parts_key(name: str) -> str:
    return "parts:" + md5(name.encode(), usedforsecurity=False).hexdigest()


# Django's caches format `version` into the key as it is, so the content version (a
# string) serves; its stubs say int, hence the ignores.
def _read(key: str, version: str) -> Any:
    """This worker's copy, else the shared one (then kept here too)."""
    here = caches["pages_here"]
    if (hit := here.get(key, version=version)) is not None:  # type: ignore[arg-type]
        return hit
    try:
        hit = caches["pages"].get(key, version=version)  # type: ignore[arg-type]
    except redis.RedisError:  # Redis down: render, as without Redis
        return None
    if hit is not None:
        here.set(key, hit, version=version)  # type: ignore[arg-type]
    return hit


def _keep(key: str, value: object, version: str) -> None:
    caches["pages_here"].set(key, value, version=version)  # type: ignore[arg-type]
    with suppress(redis.RedisError):  # Redis down: this worker keeps its own
        caches["pages"].set(key, value, version=version)  # type: ignore[arg-type]


def _copies_on() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def _used_per_request_values(request: HttpRequest) -> bool:
    return bool(get_nonce(request)) or bool(  # a LazyNonce is falsy until something used it
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # set by get_token()
    )


def _is_anonymous_and_stateless(request: HttpRequest) -> bool:
    """No session, no flash messages: the page cannot differ from anyone else's.

    Searches (?q=) are not kept either: each wording is asked for rarely, and keeping every
    one would let anybody fill the shared cache with pages nobody asks for again.
    """
    return (
        request.method == "GET"
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
        and "q" not in request.GET
    )


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _used_per_request_values(request)
    )


# The education pages' addresses (education/urls.py, included at the site's root). Only
# these are looked up, so other pages pay nothing for the copy; a test checks that every
# view marked with cache_public_page lies under one of them.
COPIED_PATHS = ("/guides/", "/exercises/", "/protocols/")


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let `public_page_copy` keep this view's page for visitors without a session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # Like any copy: a visitor with a session may get a different page.
        patch_vary_headers(response, ["Cookie"])
        response.may_be_copied = True  # type: ignore[attr-defined]  # read by the middleware
        return response

    wrapper.may_be_copied = True  # type: ignore[attr-defined]
    return wrapper


def public_page_copy(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: answer anonymous visitors with the copy rendered since the last edit.

    It sits just inside the security, CSP and static-file middleware, so a copy skips the
    session, CSRF, authentication and message middleware and the URL resolver, none of which
    can change such a visitor's page: it is kept as those left it (their headers included),
    and only when they set no cookie.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if not (
            _copies_on()
            and _is_anonymous_and_stateless(request)
            and request.path_info.startswith(COPIED_PATHS)
        ):
            return get_response(request)
        request.get_host()  # an unknown Host still gets the 400 the common middleware gives
        key = page_key(request.get_full_path())
        # Read before rendering: a page rendered from older rows than this number claims
        # is impossible, since the number and the rows it stands for commit together.
        version = ContentVersion.objects.current()
        if (hit := _read(key, version)) is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        # What else the page shows (the clinic's phone and address) is read as of it too.
        request.content_version = version  # type: ignore[attr-defined]  # read by cached_parts
        response = get_response(request)
        if getattr(response, "may_be_copied", False) and _is_shareable(request, response):
            _keep(key, (response.content, dict(response.headers)), version)
        return response

    return middleware


def cached_parts(
    *, request: HttpRequest, name: str, render: Callable[[], Mapping[str, str]]
) -> Mapping[str, str]:
    """The named parts of a page as `render()` made them since the last edit.

    `render` fetches the content and renders it to HTML (raising Http404 as a view
    would); its result is kept per content version, for every visitor who is not staff.
    Parts that used a CSP nonce or a CSRF token are used once and not kept.
    """
    if request.user.is_staff or not _copies_on():  # drafts and links to them: staff only
        return render()
    key = parts_key(name)
    # Read before rendering, as above: parts are never older than the number they are kept by.
    # The whole-page copy already read it for a page it is about to keep.
    if (version := getattr(request, "content_version", None)) is None:
        version = ContentVersion.objects.current()
        request.content_version = version  # type: ignore[attr-defined]
    if (hit := _read(key, version)) is not None:
        return hit  # SafeStrings stay safe through pickling
    parts = render()
    if not _used_per_request_values(request):
        _keep(key, dict(parts), version)
    return parts
