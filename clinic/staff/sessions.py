"""How long a staff session lasts, and when the password must be typed again.

The session cookie has no expiry date (SESSION_EXPIRE_AT_BROWSER_CLOSE), so closing the
browser ends it; this middleware ends it after STAFF_IDLE_MINUTES without a request.
The last request's time is written at most once a minute, so busy staff do not cost
a session write per click.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

LAST_SEEN_KEY = "staff_last_seen"
# Writing the time costs a session save; a minute's precision is plenty for a 30-minute limit.
WRITE_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Visitors without a session cookie (most patients) cost nothing here.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.get(SESSION_KEY):
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.STAFF_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {settings.STAFF_IDLE_MINUTES} minutes "
                    "without activity. Please sign in again.",
                )
            elif last_seen is None or now - last_seen >= WRITE_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


PASSWORD_AT_KEY = "staff_password_at"


def password_typed(request: HttpRequest) -> None:
    """Remember that the person proved their password in this session just now."""
    request.session[PASSWORD_AT_KEY] = timezone.now().timestamp()


def password_is_recent(request: HttpRequest) -> bool:
    typed_at = request.session.get(PASSWORD_AT_KEY)
    limit = settings.STAFF_REAUTH_MINUTES * 60
    return typed_at is not None and timezone.now().timestamp() - typed_at <= limit
