"""The site's URLs plus a bare view: the floor any page's throughput is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    """No template, no query: what the middleware stack and gunicorn alone cost."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("clinic.urls")),
]
