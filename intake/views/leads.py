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
    """The contact form. A bot (the hidden honeypot filled in) is shown the "sent" page, so
    it learns nothing, and nothing is saved."""
    handoff = request.selfcheck_handoff
    if request.method == "POST" and is_handoff(request.POST):
        return receive_handoff(request, reverse("intake:contact"))
    data = request.POST if request.method == "POST" else None
    form = ContactForm(data, initial=_initial(handoff), handoff=handoff)
    if form.is_bound and form.is_bot():
        return redirect("intake:contact_done")
    if not form.is_bound or not form.is_valid():
        return render(request, "intake/leads/lead_form.html", {"form": form})
    if refused := _too_many_requests(request, form):
        return refused
    lead = _record(form)
    request.session[CONTACT_DETAILS_SESSION_KEY] = lead.contact_details()
    response = redirect("intake:contact_done")
    return forget_handoff(response, form.handoff_to_send(), path=reverse("intake:contact"))


def _record(form: ContactForm) -> Lead:
    data = form.cleaned_data
    return record_lead(
        name=data["name"],
        email=data["email"],
        source=form.source(),
        submission_key=form.submission_key,
        phone=data["phone"],
        preferred_contact_method=data["preferred_contact_method"],
        preferred_time=data["preferred_time"],
        activity=data["activity"],
        body_area=data["body_area"],
        message=data["message"],
        heard_about=data["heard_about"],
        consented=data["consent"],
        handoff=form.handoff_to_send(),
    )


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


def _too_many_requests(request: HttpRequest, form: ContactForm) -> HttpResponse | None:
    """The "try again later" page when this client sent too many requests, else None."""
    verdict = _count_request(request, form)
    if verdict.allowed:
        return None
    response = render(request, "intake/leads/rate_limited.html", status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response
