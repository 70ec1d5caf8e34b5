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
The copies live in the "pages" cache, the database or Redis, so a page rendered by one
worker serves all of them; old versions' copies simply go unused until they expire
(PAGE_CACHE_SECONDS, 0 turns the copy off). Each worker also keeps the copies it served
in its own memory ("pages_here"), under the same version key: reading a 40 KB page back
from the database costs more than the rest of the request, and a copy filed under a
version can never go stale, because the version itself is read from the database on
every request.

A response is kept only if rendering it used no nonce and no CSRF token and set no
cookie, so if these pages ever gain a form or an inline script, caching simply stops
instead of handing one visitor's per-request value to another.

Django's cache_page does not fit: it would keep a page whose nonce was used, key staff
pages by their session cookie, know nothing of edits, and tell browsers to keep the page
too, where an edit cannot reach it.
"""

from collections.abc import Callable
from functools import wraps
from hashlib import md5

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import patch_vary_headers

from education.models import ContentVersion


def page_key(path: str) -> str:
    """A short key whatever the URL's length (memcached-style keys stop at 250 characters)."""
    return "page:" + md5(path.encode(), usedforsecurity=False).hexdigest()


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
        and not get_nonce(request)  # a LazyNonce is falsy until something used it
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # set by get_token()
    )


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous visitors the copy rendered since the last edit, if there is one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_anonymous_and_stateless(request):
            return view(request, *args, **kwargs)
        pages = caches["pages"]
        key = page_key(request.get_full_path())
        # Read before rendering: a page rendered from older rows than this number claims
        # is impossible, since the number and the rows it stands for commit together.
        version = ContentVersion.objects.current()
        here = caches["pages_here"]
        hit = here.get(key, version=version)
        if hit is None and (hit := pages.get(key, version=version)) is not None:
            here.set(key, hit, version=version)
        if hit is not None:
            response = HttpResponse(hit[0], content_type=hit[1])
            # Like the rendered page: a visitor with a session would get a different one.
            patch_vary_headers(response, ["Cookie"])
            return response
        response = view(request, *args, **kwargs)
        if _is_shareable(request, response):
            copy = (response.content, response["Content-Type"])
            pages.set(key, copy, version=version)
            here.set(key, copy, version=version)
        return response

    return wrapper
