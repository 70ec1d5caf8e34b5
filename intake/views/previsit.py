"""The patient's before-visit form, behind the private link in their emails.

An overview lists the sections, saved or not; each section is its own page that saves
on its own and redirects (post/redirect/get) to the next unsaved one, so a patient can
stop anywhere and carry on later from the same link. The pages hold health details:
never cached, never indexed, and the answers never go into a URL.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import previsit as flow
from intake import ratelimit
from intake.models import PreVisit
from intake.previsit_sections import page_for

TEMPLATES = "intake/previsit/"


def previsit_token_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The one guard for every page behind the link: an unknown token gets a not-found
    page, a closed link (visit cancelled, or over plus the grace period) a page with
    the phone number; both, and every page behind it, say noindex."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        previsit = (
            PreVisit.objects.by_token(token)
            .select_related(
                "appointment__appointment_type", "appointment__clinician", "appointment__lead"
            )
            .first()
        )
        if previsit is None:
            response = render(request, TEMPLATES + "not_found.html", status=404)
        elif not previsit.link_open(timezone.now()):
            context = {"previsit": previsit}
            response = render(request, TEMPLATES + "closed.html", context, status=410)
        else:
            response = view(request, previsit=previsit, token=token, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


@require_GET
@never_cache
@previsit_token_required
def previsit_overview(request: HttpRequest, previsit: PreVisit, token: str) -> HttpResponse:
    """The list of sections, saved or not, and the way on."""
    context = {
        "previsit": previsit,
        "token": token,
        "sections": [(s, flow.is_saved(previsit, s)) for s in flow.sections_for(previsit)],
        "next_section": flow.next_section(previsit),
        "medical_advice": previsit.answers.get("safety", {}).get("outcome", ""),
    }
    return render(request, TEMPLATES + "overview.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@previsit_token_required
def previsit_section(
    request: HttpRequest, previsit: PreVisit, token: str, section: str
) -> HttpResponse:
    """One section: shown filled in with what was saved, saved on its own."""
    page = page_for(previsit, section)
    if page is None:
        return render(request, TEMPLATES + "not_found.html", status=404)
    extra = page.context(previsit)
    data = request.POST if request.method == "POST" else None
    form = page.form(previsit, data, extra)
    if data is not None and page.is_complete(form):
        client = ratelimit.client_ip(request)
        saved = page.submit(
            previsit=previsit, form=form, context=extra, client_address=client, now=timezone.now()
        )
        messages.success(request, page.section.saved_message())
        return redirect(_after_saving(previsit, token, page.section, red_flag=saved.red_flag))
    context = {"previsit": previsit, "token": token, "section": page.section, "form": form}
    return render(request, page.template, {**context, **extra})


def _after_saving(previsit: PreVisit, token: str, section: flow.Section, *, red_flag: bool) -> str:
    """The next unsaved section; the overview (with the advice) after a red flag or at
    the end."""
    previsit.refresh_from_db()
    following = flow.next_section(previsit, after=section)
    if red_flag or following is None:
        return reverse("intake:previsit", kwargs={"token": token})
    return reverse("intake:previsit_section", kwargs={"token": token, "section": following.slug})
