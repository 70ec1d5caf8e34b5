"""Online booking pages: type -> time -> details -> check -> confirm, and the manage link.

Every step is a page fetched by GET, and every form that succeeds answers with a
redirect (post/redirect/get), so the browser's Back, Forward and Reload never
ask to send a form again. Choosing is GET forms (only the type, a clinician id,
a date and a time go in a URL). The typed details wait in the session between
"Continue" and "Confirm booking" as a draft with a one-time key; the booking
stores that key (`intake.booking.confirm_booking`), so confirming the same draft
twice (Reload, Forward, a double click, a second tab) shows the booking made the
first time, never a second booking or an error. A patient arriving from the
self-check brings its signed hand-off in a cookie scoped to /book/ (see
`intake.views.selfcheck.receive_handoff`), never in a URL.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import ratelimit
from intake.booking import (
    Slot,
    SlotTaken,
    TooLateToChange,
    booked_with_key,
    can_change_online,
    cancel_appointment,
    confirm_booking,
    nearest_slots,
    parse_slot_value,
    reschedule_appointment,
    resolve_slot,
)
from intake.booking_limits import LimitReached, OverLimit, Refusal, limit_reached
from intake.forms.booking import BookingForm, CancelForm, time_picker
from intake.leads import CONTACT_DETAILS_SESSION_KEY
from intake.models import (
    Appointment,
    AppointmentType,
    CancelledBy,
    Clinician,
    TriageOutcome,
)
from intake.previsit import first_visit_form
from intake.views.selfcheck import (
    HandoffRequest,
    forget_handoff,
    receive_handoff,
    with_selfcheck_handoff,
)

TEMPLATES = "intake/booking/"
DRAFT_SESSION_KEY = "booking_draft"


@require_http_methods(["GET", "POST"])
@never_cache
@with_selfcheck_handoff
def booking_start(request: HandoffRequest) -> HttpResponse:
    """Step 1, choose what to book. A POST is the self-check hand-off (only its token)."""
    if request.method == "POST":
        return receive_handoff(request, reverse("intake:booking_start"))
    context = {"types": AppointmentType.objects.active(), **_handoff_context(request)}
    return render(request, TEMPLATES + "type_list.html", context)


@require_GET
@never_cache
@with_selfcheck_handoff
def booking_times(request: HandoffRequest, slug: str) -> HttpResponse:
    """Step 2, choose a day and time, with any clinician or a chosen one."""
    appointment_type = get_object_or_404(AppointmentType.objects.active(), slug=slug)
    picker = time_picker(params=request.GET, appointment_type=appointment_type)
    context = {
        "appointment_type": appointment_type,
        "choose_action": reverse("intake:booking_details", args=[slug]),
        **picker,
        **_handoff_context(request),
    }
    return render(request, TEMPLATES + "times.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@with_selfcheck_handoff
def booking_details(request: HandoffRequest, slug: str) -> HttpResponse:
    """Step 3, the patient's details: fresh from the time picker, or again from the
    check page ("Change") or the browser's Back, filled in with what they typed."""
    appointment_type = get_object_or_404(AppointmentType.objects.active(), slug=slug)
    if request.method == "GET":
        return _details_arrival(request, appointment_type)
    form = _booking_form(request, appointment_type, request.POST)
    if not form.is_valid():
        return _render_details(request, form)
    request.session[DRAFT_SESSION_KEY] = _draft(form)
    return redirect("intake:booking_review", slug=slug)


@require_GET
@never_cache
@with_selfcheck_handoff
def booking_review(request: HandoffRequest, slug: str) -> HttpResponse:
    """Step 4, check and confirm: nothing is booked until the patient confirms."""
    appointment_type = get_object_or_404(AppointmentType.objects.active(), slug=slug)
    draft = _current_draft(request, slug)
    if draft and (booked := booked_with_key(draft["key"])):
        return redirect("intake:booking_manage", token=booked.manage_token)
    if draft is None or "data" not in draft:
        return redirect("intake:booking_times", slug=slug)
    form = _booking_form(request, appointment_type, draft["data"])
    if not form.is_valid():
        return _render_details(request, form)
    if refusal := limit_reached(patient=form.patient()):
        return _limit_page(request, appointment_type, refusal)
    return render(request, TEMPLATES + "confirm.html", _confirm_context(form, draft["key"]))


@require_http_methods(["GET", "POST"])
@never_cache
@with_selfcheck_handoff
def booking_confirm(request: HandoffRequest, slug: str) -> HttpResponse:
    """Book the checked draft once. Sending it again shows the booking already made."""
    appointment_type = get_object_or_404(AppointmentType.objects.active(), slug=slug)
    draft = _current_draft(request, slug) or {"key": ""}
    key = request.POST.get("key", draft["key"])
    if booked := booked_with_key(key):
        return redirect("intake:booking_manage", token=booked.manage_token)
    form = _booking_form(request, appointment_type, draft.get("data"))
    if request.method == "GET" or draft["key"] != key or not form.is_valid():
        return redirect("intake:booking_review", slug=slug)
    try:
        return _booked(request, form, _confirm(request, form, key))
    except SlotTaken:
        return redirect("intake:booking_review", slug=slug)
    except OverLimit as over:
        return _limit_page(request, appointment_type, over.refusal)


def manage_token_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The one guard for every page behind the emailed manage link.

    Looks the token up once and passes the booked appointment on as
    `appointment`; an unknown, replaced or cancelled link gets the same
    not-found page whichever manage view it was sent to.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        appointment = Appointment.objects.manageable(token)
        if appointment is None:
            return _link_not_found(request)
        return view(request, appointment=appointment, token=token)

    return wrapper


@require_GET
@never_cache
@manage_token_required
def booking_manage(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """The private page behind the emailed link: see, cancel or move the booking."""
    return _render_manage(request, appointment, token, CancelForm())


@require_http_methods(["GET", "POST"])
@never_cache
@manage_token_required
def booking_cancel(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """Ask first (GET shows the visit's time and "Yes, cancel"), then cancel (POST)."""
    if not appointment.can_change(timezone.now()):
        return _render_manage(request, appointment, token, CancelForm())
    form = CancelForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        context = {"appointment": appointment, "token": token, "form": form}
        return render(request, TEMPLATES + "cancel_confirm.html", context)
    try:
        cancel_appointment(
            appointment=appointment,
            reason=form.cleaned_data["reason"],
            cancelled_by=CancelledBy.PATIENT,
        )
    except TooLateToChange:
        return _render_manage(request, appointment, token, form)
    return redirect("intake:booking_cancelled")


@require_http_methods(["GET", "POST"])
@never_cache
@manage_token_required
def booking_reschedule(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """Pick a new time (GET), check it (GET with ?slot=), then move (POST)."""
    if not appointment.can_change(timezone.now()):
        return _render_manage(request, appointment, token, CancelForm())
    value = request.POST.get("slot") or request.GET.get("slot")
    slot = value and _new_time(appointment, value)
    if request.method == "POST" and slot:
        if moved := _move(request, appointment, token, slot):
            return moved
        slot = None  # taken meanwhile: choose again
    if slot:
        context = {
            "appointment": appointment,
            "slot": slot,
            "token": token,
            "changeable_online": can_change_online(start=slot.start, now=timezone.now()),
            "late_cancel_hours": settings.BOOKING_LATE_CANCEL_HOURS,
        }
        return render(request, TEMPLATES + "reschedule_confirm.html", context)
    return _render_reschedule_times(request, appointment, token, taken=bool(value))


@require_GET
def booking_cancelled(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "cancelled.html")


def _handoff_context(request: HandoffRequest) -> dict:
    """Whether a self-check came along, and any medical advice to show for it."""
    handoff = request.selfcheck_handoff
    if handoff is None:
        return {"handoff": None, "medical_advice": ""}
    advice = handoff.outcome if handoff.outcome in _ADVICE_OUTCOMES else ""
    return {"handoff": handoff, "medical_advice": advice}


def _booking_form(request: HandoffRequest, appointment_type: AppointmentType, data) -> BookingForm:
    """The details as posted; a time picked from the "just taken" alternatives wins.
    Without data (no draft), an unbound form."""
    if data is None:
        return BookingForm(appointment_type=appointment_type, handoff=request.selfcheck_handoff)
    data = data.copy()
    if data.get("new_slot"):
        data["slot"] = data["new_slot"]
    return BookingForm(data, appointment_type=appointment_type, handoff=request.selfcheck_handoff)


def _booked(request: HttpRequest, form: BookingForm, appointment: Appointment) -> HttpResponse:
    messages.success(request, "You’re booked. We’ve emailed you a confirmation.")
    response = redirect("intake:booking_manage", token=appointment.manage_token)
    return forget_handoff(response, form.handoff_to_send(), path=reverse("intake:booking_start"))


def _new_time(appointment: Appointment, value: str) -> Slot | None:
    """The time asked for, if it is free and is not where the visit already is."""
    slot = resolve_slot(
        appointment_type=appointment.appointment_type, value=value, exclude=appointment
    )
    return slot if slot and slot.start != appointment.start else None


def _move(
    request: HttpRequest, appointment: Appointment, token: str, slot: Slot
) -> HttpResponse | None:
    """Move to `slot`: the manage page after, or None when the time was taken meanwhile."""
    try:
        moved = reschedule_appointment(appointment=appointment, slot=slot)
    except TooLateToChange:
        return _render_manage(request, appointment, token, CancelForm())
    except SlotTaken:
        return None
    messages.success(request, "Your appointment has moved. We’ve emailed you the details.")
    return redirect("intake:booking_manage", token=moved.manage_token)


def _confirm(request: HttpRequest, form: BookingForm, key: str) -> Appointment:
    appointment = confirm_booking(
        key=key,
        slot=form.cleaned_data["slot"],
        appointment_type=form.appointment_type,
        patient=form.patient(),
        client=ratelimit.client_key(ratelimit.client_ip(request)),
        handoff=form.handoff_to_send(),
    )
    # Keep only the key, which finds the booking again; the details are now on the booking.
    request.session[DRAFT_SESSION_KEY] = {"type": form.appointment_type.slug, "key": key}
    return appointment


_ADVICE_OUTCOMES = {TriageOutcome.EMERGENCY, TriageOutcome.SEE_DOCTOR}
_DRAFT_FIELDS = ("slot", "name", "email", "phone", "message", "attach_answers")


def _draft(form: BookingForm) -> dict:
    """What the patient typed, to check and confirm, with a fresh one-time key."""
    data = {name: form.data.get(name, "") for name in _DRAFT_FIELDS}
    data["slot"] = form.cleaned_data["slot"].value
    return {"type": form.appointment_type.slug, "data": data, "key": uuid.uuid4().hex}


def _current_draft(request: HttpRequest, slug: str) -> dict | None:
    draft = request.session.get(DRAFT_SESSION_KEY)
    if isinstance(draft, dict) and draft.get("type") == slug and isinstance(draft.get("key"), str):
        return draft
    return None  # none yet, or one for another visit type


def _details_arrival(request: HandoffRequest, appointment_type: AppointmentType) -> HttpResponse:
    """The details step by GET: the chosen time from the picker, or the draft again."""
    draft = _current_draft(request, appointment_type.slug)
    typed = draft.get("data", {}) if draft else {}
    value = request.GET.get("slot") or typed.get("slot", "")
    slot = resolve_slot(appointment_type=appointment_type, value=value)
    handoff = request.selfcheck_handoff
    initial = {
        **request.session.get(CONTACT_DETAILS_SESSION_KEY, {}),
        "attach_answers": handoff is not None,
        **typed,
        "slot": slot.value if slot else value,
    }
    if typed:
        initial["attach_answers"] = bool(typed.get("attach_answers"))
    form = BookingForm(initial=initial, appointment_type=appointment_type, handoff=handoff)
    requested = parse_slot_value(value)
    return _render_details(
        request, form, slot=slot, taken_around=None if slot else _around(requested)
    )


def _around(parsed: tuple[int | None, datetime] | None) -> datetime:
    return parsed[1] if parsed else timezone.now()


def _render_details(
    request: HandoffRequest,
    form: BookingForm,
    *,
    slot=None,
    taken_around: datetime | None = None,
) -> HttpResponse:
    if form.is_bound:
        form.is_valid()  # cleans once; later calls reuse the result
        slot = form.cleaned_data.get("slot")
        if form.has_error("slot"):
            taken_around = form.requested_start() or timezone.now()
    alternatives = []
    if taken_around is not None:
        alternatives = nearest_slots(appointment_type=form.appointment_type, around=taken_around)
    context = {
        "appointment_type": form.appointment_type,
        "form": form,
        "slot": slot,
        "slot_clinician": _slot_clinician(slot),
        "taken": taken_around is not None,
        "alternatives": alternatives,
        **_handoff_context(request),
    }
    return render(request, TEMPLATES + "details.html", context)


def _limit_page(
    request: HttpRequest, appointment_type: AppointmentType, refusal: Refusal
) -> HttpResponse:
    """The page saying this booking would pass a limit (intake/booking_limits.py)."""
    context = {
        "appointment_type": appointment_type,
        "reached": refusal.reached,
        "max_per_email": settings.BOOKING_MAX_UPCOMING_PER_EMAIL,
        "max_per_phone": settings.BOOKING_MAX_UPCOMING_PER_PHONE,
    }
    response = render(request, TEMPLATES + "limit_reached.html", context, status=429)
    if refusal.reached == LimitReached.ADDRESS:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def _slot_clinician(slot) -> Clinician | None:
    """Who the patient would see at the chosen time, for their photo beside the time."""
    return Clinician.objects.filter(pk=slot.clinician_id).first() if slot else None


def _confirm_context(form: BookingForm, key: str) -> dict:
    return {
        "appointment_type": form.appointment_type,
        "slot": form.cleaned_data["slot"],
        "slot_clinician": _slot_clinician(form.cleaned_data["slot"]),
        "patient": form.patient(),
        "has_answers": form.handoff is not None,
        "sends_answers": form.handoff_to_send() is not None,
        "key": key,
        "changeable_online": can_change_online(
            start=form.cleaned_data["slot"].start, now=timezone.now()
        ),
        "late_cancel_hours": settings.BOOKING_LATE_CANCEL_HOURS,
    }


def _link_not_found(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "manage_not_found.html", status=404)


def _render_manage(
    request: HttpRequest, appointment: Appointment, token: str, form: CancelForm
) -> HttpResponse:
    context = {
        "appointment": appointment,
        "token": token,
        "form": form,
        "can_change": appointment.can_change(timezone.now()),
        "late_cancel_hours": settings.BOOKING_LATE_CANCEL_HOURS,
        "previsit": first_visit_form(appointment, now=timezone.now()),
    }
    return render(request, TEMPLATES + "manage.html", context)


def _render_reschedule_times(
    request: HttpRequest, appointment: Appointment, token: str, *, taken: bool
) -> HttpResponse:
    picker = time_picker(
        params=request.GET,
        appointment_type=appointment.appointment_type,
        exclude=appointment,
        default_clinician=str(appointment.clinician_id),
    )
    context = {
        "appointment": appointment,
        "appointment_type": appointment.appointment_type,
        "token": token,
        "taken": taken,
        "choose_action": reverse("intake:booking_reschedule", args=[token]),
        **picker,
        "handoff": None,
    }
    return render(request, TEMPLATES + "reschedule_times.html", context)
