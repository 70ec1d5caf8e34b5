"""What django-axes needs from us: whose address a sign-in comes from, and the locked-out page.

Axes itself counts the failures (in the database, so every worker shares the count) and
refuses a locked account or address before its password is checked.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from intake.ratelimit import client_ip


class AccountOrAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a higher limit for an address than for an account.

    A clinic's staff usually share one address (the office network): one person's
    typos must not lock all their colleagues out, while a script trying many accounts
    from one address is still stopped. Axes compares one count with one limit, so the
    address's count is shifted to meet AXES_FAILURE_LIMIT exactly at STAFF_ADDRESS_FAILURE_LIMIT.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        headroom = settings.STAFF_ADDRESS_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT
        return max(by_account, by_address - headroom)


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted against: the one the contact rate limit uses.

    An IPv6 visitor usually holds a whole /64, so the network's first address stands
    for all of it; otherwise one attacker would have billions of fresh addresses.
    """
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The page a locked-out sign-in gets instead of "wrong password" (429, so scripts see it)."""
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.STAFF_ADDRESS_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    response = TemplateResponse(request, "admin/staff/locked_out.html", context, status=429)
    return response.render()
