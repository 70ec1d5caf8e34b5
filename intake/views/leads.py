from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import ratelimit
from intake.forms.leads import ContactForm, is_handoff
from intake.leads import CONTACT_DETAILS_SESSION_KEY, record_lead
from intake.models import Lead
from intake.models.leads import BodyArea
from intake.selfcheck import SelfCheckHandoff
from intake.views.selfcheck import (
    HandoffRequest,
    forget_handoff,
    receive_handoff,
    with_selfcheck_handoff,
)


@require_http_methods(["GET", "POST"])
@never_cache
@with_selfcheck_handoff
def contact(request: HandoffRequest) -> HttpResponse:
    handoff = request.selfcheck_handoff
    if request.method == "POST" and is_handoff(request.POST):
        return receive_handoff(request, reverse("intake:contact"))
    if request.method == "GET":
        form = ContactForm(initial=_initial(handoff), handoff=handoff)
    else:
        form = ContactForm(request.POST, handoff=handoff)
        if form.is_bot():
            # Looks like success to the bot, so it learns nothing; nothing is saved.
            return redirect("intake:contact_done")
        if form.is_valid():
            verdict = _count_request(request, form)
            if not verdict.allowed:
                return _too_many_requests(request, verdict)
            details = form.lead_details()
            lead = record_lead(**details)
            request.session[CONTACT_DETAILS_SESSION_KEY] = lead.contact_details()
            response = redirect("intake:contact_done")
            return forget_handoff(response, details["handoff"], path=reverse("intake:contact"))
    return render(request, "intake/leads/lead_form.html", {"form": form})


def _initial(handoff: SelfCheckHandoff | None) -> dict:
    """Arriving from the knee self-check, the body area is already known."""
    return {"body_area": BodyArea.KNEE} if handoff else {}


@require_GET
def contact_done(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/leads/lead_done.html")


def _count_request(request: HttpRequest, form: ContactForm) -> ratelimit.Verdict:
    """Count a new request from this client. Sending a saved form again is not new."""
    if Lead.objects.filter(submission_key=form.submission_key).exists():
        return ratelimit.Verdict(allowed=True, count=0, retry_after=0)
    return ratelimit.hit(
        "contact",
        ratelimit.client_key(ratelimit.client_ip(request)),
        limit=settings.CONTACT_RATE_LIMIT,
        window=settings.CONTACT_RATE_WINDOW,
    )


def _too_many_requests(request: HttpRequest, verdict: ratelimit.Verdict) -> HttpResponse:
    response = render(request, "intake/leads/rate_limited.html", status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response
