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
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import previsit as flow
from intake import ratelimit
from intake.forms.previsit import (
    ConsentForm,
    ContactForm,
    HistoryForm,
    MeasuresForm,
    ReasonsForm,
    SafetyForm,
    measures_initial,
)
from intake.models import ConsentText, Measure, MeasureResponse, PreVisit, PreVisitKind
from intake.models.leads import Activity

TEMPLATES = "intake/previsit/"
PLAIN_SECTIONS = {"contact": ContactForm, "reasons": ReasonsForm, "history": HistoryForm}


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
    current = flow.section_named(previsit, section)
    if current is None:
        return render(request, TEMPLATES + "not_found.html", status=404)
    extra = _section_context(previsit, current)
    data = request.POST if request.method == "POST" else None
    form = _form(previsit, current, data, extra)
    if data is not None and form.is_valid():
        red_flag = _save(request, previsit, current, form, extra)
        messages.success(request, current.saved_message())
        following = flow.next_section(previsit, after=current)
        if red_flag or following is None:
            return redirect("intake:previsit", token=token)
        return redirect("intake:previsit_section", token=token, section=following.slug)
    context = {"previsit": previsit, "token": token, "section": current, "form": form, **extra}
    return render(request, TEMPLATES + f"section_{current.slug}.html", context)


def _section_context(previsit: PreVisit, section: flow.Section) -> dict:
    """What a section needs besides its form: the questions, measures or texts."""
    if section.slug == "safety":
        spec = flow.safety_spec()
        return {"questions": flow.safety_questions(spec) if spec else [], "spec": spec}
    if section.slug == "measures":
        measures = list(Measure.objects.active().with_items())
        named = {}
        if previsit.kind == PreVisitKind.FOLLOW_UP:
            named = {
                m.pk: flow.episode_activities(previsit, m)
                for m in measures
                if m.patient_names_items
            }
        return {"measures": measures, "named": named}
    if section.slug == "consent":
        texts = ConsentText.objects.current()
        signed = set(previsit.signatures.values_list("consent_text_id", flat=True))
        return {"texts": texts, "signed": signed}
    if section.slug == "reasons":
        lead = previsit.appointment.lead
        return {"selfcheck_answers": lead.answers if lead else []}
    return {}


def _form(previsit: PreVisit, section: flow.Section, data, extra: dict):
    saved = previsit.answers.get(section.slug)
    if section.slug in PLAIN_SECTIONS:
        initial = saved or _prefill(previsit, section.slug)
        return PLAIN_SECTIONS[section.slug](data, initial=initial)
    if section.slug == "safety":
        return SafetyForm(data, questions=extra["questions"], answers=(saved or {}).get("answers"))
    if section.slug == "measures":
        responses = MeasureResponse.objects.filter(previsit=previsit).select_related("measure")
        initial = measures_initial(responses, extra["named"])
        return MeasuresForm(data, measures=extra["measures"], named=extra["named"], initial=initial)
    return ConsentForm(data, texts=extra["texts"])


def _prefill(previsit: PreVisit, slug: str) -> dict:
    """What the booking and the patient's lead already told us."""
    appointment = previsit.appointment
    if slug == "contact":
        return {
            "name": appointment.patient_name,
            "email": appointment.patient_email,
            "phone": appointment.patient_phone_display,
        }
    lead = appointment.lead
    if slug != "reasons" or lead is None:
        return {}
    sent_selfcheck = bool(lead.answers)  # the runner's-knee self-check
    activity = lead.activity or (Activity.RUNNING if sent_selfcheck else "")
    return {
        "problem": lead.message,
        "body_area": lead.body_area or ("knee" if sent_selfcheck else ""),
        "activities": [activity] if activity else [],
    }


def _save(request: HttpRequest, previsit: PreVisit, section: flow.Section, form, extra) -> bool:
    """Save the valid section; True when its answers call for medical care."""
    now = timezone.now()
    if section.slug in PLAIN_SECTIONS:
        flow.save_section(previsit=previsit, section=section, data=form.answers(), now=now)
    elif section.slug == "safety" and extra["spec"] is None:
        # The self-check is unpublished: nothing to ask, the section counts as answered.
        flow.save_section(previsit=previsit, section=section, data={"answers": {}}, now=now)
    elif section.slug == "safety":
        result = flow.save_safety(
            previsit=previsit, spec=extra["spec"], answers=form.answers(), now=now
        )
        return result.outcome in flow.RED_FLAG_OUTCOMES
    elif section.slug == "measures":
        flow.save_measures(previsit=previsit, answers=form.measure_answers(), now=now)
    else:
        flow.sign_consents(
            previsit=previsit,
            texts=extra["texts"],
            typed_name=form.cleaned_data["typed_name"],
            client_address=ratelimit.client_ip(request),
            now=now,
        )
    previsit.refresh_from_db()
    return False
