import logging
import sys

from django.contrib import admin
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clinic.outage import database_answers, database_unavailable
from clinic.uploaded_files import uploaded_file_response
from intake.clinic_details import clinic_details_without_the_database

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/privacy.html")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when the database answers, 503 when it does not, in 1.5 s."""
    if database_answers():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": "unreachable"}, status=503)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "robots.txt", content_type="text/plain")


@require_safe
def uploaded_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """A picture, video or captions file staff uploaded (see clinic/urls.py for why Django
    serves these), whole or the byte range a video player asks for."""
    return uploaded_file_response(request, storage=default_storage, name=path)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page. Unlike Django's own, no CSRF check: that would read the body again,
    and a body Django has just refused (say, declared as UTF-7) fails the second time too,
    which gunicorn answers with its bare 500."""
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page. In the admin it wears the admin's look, with its menu, and says how to
    get the page opened up; staff met Django's bare "403 Forbidden" there before."""
    if not request.path.startswith(reverse("admin:index")):
        return render(request, "403.html", status=403)
    came_from = request.headers.get("referer", "")
    context = {
        **admin.site.each_context(request),
        "title": "You can't open this page",
        "came_from": came_from
        if url_has_allowed_host_and_scheme(came_from, allowed_hosts={request.get_host()})
        and came_from != request.build_absolute_uri()
        else "",
    }
    return render(request, "admin/403.html", context, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """A database that errs or times out is an outage, not a bug: 503 and the phone number.
    Either page takes the clinic's phone from this worker's copy or settings, never from
    the database, which may be why the request failed."""
    if isinstance(sys.exception(), DatabaseError):
        return database_unavailable(request)
    content = render_to_string("500.html", {"clinic": clinic_details_without_the_database()})
    return HttpResponseServerError(content)
