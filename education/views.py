from functools import partial

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from education.forms import GuideSearchForm
from education.models import Exercise, Guide, Protocol, ProtocolExercise, Status
from education.page_cache import cache_public_page, cached_parts
from education.structured_data import exercise_plan, guide_page

GUIDES_PER_PAGE = 10


@require_GET
@cache_public_page
def guide_list(request: HttpRequest) -> HttpResponse:
    form = GuideSearchForm(request.GET)
    guides = form.results(Guide.objects.published())
    page = Paginator(guides, GUIDES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "education/guide_list.html", {"form": form, "page": page})


def _guide_parts(request: HttpRequest, slug: str) -> dict[str, SafeString]:
    """The guide's title, head tags and article: the partials of guide_detail.html."""
    guides = Guide.objects.with_page_content().visible_to(request.user)
    guide = get_object_or_404(guides, slug=slug)
    context = {"guide": guide, "structured_data": guide_page(guide)}
    return {
        part: render_to_string(f"education/guide_detail.html#{part}", context, request)
        for part in ("title", "meta", "content")
    }


@require_GET
@cache_public_page
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Rendered only when no copy of the parts is kept under the current content version.
    render_parts = partial(_guide_parts, request, slug)
    parts = cached_parts(request=request, name=f"guide:{slug}", render=render_parts)
    return render(request, "education/guide_detail.html", {"parts": parts})


@require_GET
@cache_public_page
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise.objects.visible_to(request.user), slug=slug)
    # Where the exercise is prescribed, with the dose each protocol gives it.
    steps = ProtocolExercise.objects.filter(
        exercise=exercise, protocol__status=Status.PUBLISHED
    ).select_related("protocol")
    return render(request, "education/exercise_detail.html", {"exercise": exercise, "steps": steps})


def _protocol_page(request: HttpRequest, slug: str, template_name: str) -> HttpResponse:
    protocols = Protocol.objects.with_page_content(request.user).visible_to(request.user)
    protocol = get_object_or_404(protocols, slug=slug)
    context = {"protocol": protocol, "structured_data": exercise_plan(protocol)}
    return render(request, template_name, context)


@require_GET
@cache_public_page
def protocol_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _protocol_page(request, slug, "education/protocol_detail.html")


@require_GET
@cache_public_page
def protocol_print(request: HttpRequest, slug: str) -> HttpResponse:
    """The protocol as a one-page handout to print and stick on the fridge."""
    return _protocol_page(request, slug, "education/protocol_print.html")
