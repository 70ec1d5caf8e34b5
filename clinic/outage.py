"""What a visitor gets when the database is sick: a quick 503 with the phone number.

The database's own timeouts (settings: DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT)
turn a hang into an error within seconds; `clinic.views.server_error` turns any database
error, raised by a view or a middleware, into this page instead of a 500.

The page is rendered without the request, so no context processor can touch the session,
the user or the database again while the database is the thing that is failing. A person
who was sending a form sees the message they typed, so they can copy it before leaving:
the patient forms all call that field `message`.
"""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from intake.clinic_details import clinic_details_without_the_database

logger = logging.getLogger(__name__)

# How long /healthz waits for the database: load balancers give up after a few seconds.
HEALTH_CHECK_SECONDS = 1.5
# Seconds a client (or the load balancer) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def database_unavailable(request: HttpRequest) -> HttpResponse:
    content = render_to_string(
        "503.html",
        {
            "clinic": clinic_details_without_the_database(),
            "site_url": settings.SITE_URL,
            "kept_message": typed_message(request),
        },
    )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # The page may hold the person's own message: never keep it in a cache.
    add_never_cache_headers(response)
    return response


def typed_message(request: HttpRequest) -> str:
    """The `message` field of a form POST, or "" when there is none or the body is unreadable."""
    if request.method != "POST":
        return ""
    try:
        return request.POST.get("message", "")[:10_000]
    except Exception:
        # The body itself may be why the request failed: it is never worth a second error.
        return ""


_probe_running = threading.Lock()


def database_answers(*, within: float = HEALTH_CHECK_SECONDS) -> bool:
    """Whether a fresh connection runs `SELECT 1` within `within` seconds.

    The probe runs in its own thread, so the caller gets an answer on time even when the
    database hangs in a way no timeout of its own catches (a frozen server that keeps the
    connection open). Only one probe runs at a time: while one is stuck, the answer is no,
    and hung probes cannot pile up threads.
    """
    if not _probe_running.acquire(blocking=False):
        return False
    finished = threading.Event()
    answered = []

    def probe() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                answered.append(cursor.fetchone())
        except DatabaseError:
            logger.exception("Health check: database unreachable")
        finally:
            connections.close_all()  # this thread's own connection
            _probe_running.release()
            finished.set()

    threading.Thread(target=probe, name="health-check", daemon=True).start()
    if not finished.wait(within):
        logger.error("Health check: database did not answer within %ss", within)
    return bool(answered)
