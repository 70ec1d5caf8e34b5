"""A per-worker copy of the public education pages, for visitors without a session.

Guide, exercise and protocol pages are the same for every such visitor: they carry no
CSP nonce, no CSRF token and nothing personal. Keeping each one rendered for a minute lets
a worker answer from memory instead of running its queries and templates again (see
bench/README.md for what that buys). Staff have a session, so they always get a fresh
page and see an edit at once; the public see it within PAGE_SECONDS.

A response is kept only if rendering it used no nonce and no CSRF token and set no
cookie, so if these pages ever gain a form or an inline script, caching simply stops
instead of handing one visitor's per-request value to another.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from time import monotonic

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import patch_vary_headers

PAGE_SECONDS = 60
MAX_PAGES = 500  # bounds memory even if someone requests many query-string variants

_pages: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()
_lock = threading.Lock()  # runserver and the test live server serve from threads


def clear() -> None:
    with _lock:
        _pages.clear()


def _is_anonymous_and_stateless(request: HttpRequest) -> bool:
    """No session, no flash messages: the page cannot differ from anyone else's."""
    return request.method == "GET" and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not get_nonce(request)  # a LazyNonce is falsy until something used it
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # set by get_token()
    )


def _lookup(key: str) -> tuple[bytes, str] | None:
    with _lock:
        entry = _pages.get(key)
        if entry is None:
            return None
        expires, body, content_type = entry
        if expires <= monotonic():
            del _pages[key]
            return None
        _pages.move_to_end(key)
        return body, content_type


def _store(key: str, response: HttpResponse) -> None:
    with _lock:
        _pages[key] = (monotonic() + PAGE_SECONDS, response.content, response["Content-Type"])
        _pages.move_to_end(key)
        while len(_pages) > MAX_PAGES:
            _pages.popitem(last=False)


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous visitors a copy of the page rendered within the last PAGE_SECONDS."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_anonymous_and_stateless(request):
            return view(request, *args, **kwargs)
        key = request.get_full_path()
        if (hit := _lookup(key)) is not None:
            response = HttpResponse(hit[0], content_type=hit[1])
            # Like the rendered page: a visitor with a session would get a different one.
            patch_vary_headers(response, ["Cookie"])
            return response
        response = view(request, *args, **kwargs)
        if _is_shareable(request, response):
            _store(key, response)
        return response

    return wrapper
