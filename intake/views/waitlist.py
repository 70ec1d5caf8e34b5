"""Waitlist pages: joining (from the booking step or a booked visit's manage page), the
private page to see, change or leave one's place, and the offer page behind the
emailed link with "Take this time" and "Not this one".

Every successful POST redirects to a page that shows the outcome from the rows, so
Back and Reload never take or leave twice.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from intake import ratelimit
from intake.booking import Patient
from intake.forms.waitlist import ANY_CLINICIAN, WaitlistChoiceForm, WaitlistJoinForm
from intake.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    OfferOutcome,
    WaitlistEntry,
    WaitlistOffer,
)
from intake.times import clinic_zone
from intake.waitlist import (
    OfferTaken,
    accept_offer,
    change_waitlist_entry,
    decline_offer,
    join_waitlist,
    leave_waitlist,
)

TEMPLATES = "intake/waitlist/"
# How far ahead the "Until" date starts, when the patient has not chosen one.
DEFAULT_WAIT_DAYS = 28


def _today() -> date:
    return timezone.now().astimezone(clinic_zone()).date()


def _initial(appointment_type: AppointmentType, until: date | None = None) -> dict:
    today = _today()
    window_end = today + timedelta(days=appointment_type.booking_window_days)
    default_until = min(today + timedelta(days=DEFAULT_WAIT_DAYS), window_end)
    return {"clinician": ANY_CLINICIAN, "from_date": today, "until_date": until or default_until}


@require_http_methods(["GET", "POST"])
@never_cache
def waitlist_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Join from the booking step: what suits, and how to reach the patient."""
    appointment_type = get_object_or_404(AppointmentType.objects.active(), slug=slug)
    data = request.POST if request.method == "POST" else None
    form = WaitlistJoinForm(
        data, initial=_initial(appointment_type), appointment_type=appointment_type, today=_today()
    )
    if not form.is_valid():
        return render(request, TEMPLATES + "join.html", {"form": form, "type": appointment_type})
    if refused := _refuse_too_many(request):
        return refused
    entry = join_waitlist(choice=form.choice(), patient=form.patient())
    messages.success(request, "You’re on the waitlist. We’ve emailed you a link to this page.")
    return redirect("intake:waitlist_entry", token=entry.token)


@require_http_methods(["GET", "POST"])
@never_cache
def waitlist_join_from_visit(request: HttpRequest, token: str) -> HttpResponse:
    """ "Tell me if an earlier time opens", from a booked visit's manage page."""
    visit = _booked_visit(token)
    until = visit.local_start.date() - timedelta(days=1)
    data = request.POST if request.method == "POST" else None
    form = WaitlistChoiceForm(
        data,
        initial=_initial(visit.appointment_type, until=max(until, _today())),
        appointment_type=visit.appointment_type,
        today=_today(),
    )
    if not form.is_valid():
        context = {"form": form, "type": visit.appointment_type, "visit": visit, "token": token}
        return render(request, TEMPLATES + "join.html", context)
    patient = Patient(
        name=visit.patient_name, email=visit.patient_email, phone=str(visit.patient_phone)
    )
    entry = join_waitlist(choice=form.choice(), patient=patient, appointment=visit)
    messages.success(request, "You’re on the waitlist. We’ve emailed you a link to this page.")
    return redirect("intake:waitlist_entry", token=entry.token)


@require_http_methods(["GET", "POST"])
@never_cache
def waitlist_entry(request: HttpRequest, token: str) -> HttpResponse:
    """The private page behind the emailed link: see or change one's place."""
    entry = _entry(token)
    data = request.POST if request.method == "POST" else None
    form = WaitlistChoiceForm(
        data, initial=_entry_initial(entry), appointment_type=entry.appointment_type, today=_today()
    )
    if request.method == "GET" or not form.is_valid():
        return render(request, TEMPLATES + "entry.html", {"entry": entry, "form": form})
    change_waitlist_entry(entry=entry, choice=form.choice())
    messages.success(request, "Your waitlist choices are saved.")
    return redirect("intake:waitlist_entry", token=token)


@require_POST
def waitlist_leave(request: HttpRequest, token: str) -> HttpResponse:
    leave_waitlist(entry=_entry(token))
    messages.success(request, "You have left the waitlist. We won’t email you about new times.")
    return redirect("intake:booking_start")


@require_http_methods(["GET", "POST"])
@never_cache
def waitlist_offer(request: HttpRequest, token: str) -> HttpResponse:
    """The offer: "Take this time" books it (or moves their later visit); "Not this one"
    passes. The page then shows what happened, from the offer's outcome."""
    offer = get_object_or_404(WaitlistOffer.objects.by_token(token))
    if request.method == "GET":
        return render(request, TEMPLATES + "offer.html", _offer_context(offer))
    if request.POST.get("answer") == "decline":
        decline_offer(offer=offer)
        return redirect("intake:waitlist_offer", token=token)
    try:
        appointment = accept_offer(offer=offer)
    except OfferTaken as taken:
        messages.error(request, str(taken))
        return redirect("intake:waitlist_offer", token=token)
    messages.success(request, "The time is yours. We’ve emailed you the details.")
    return redirect("intake:booking_manage", token=appointment.manage_token)


def _refuse_too_many(request: HttpRequest) -> HttpResponse | None:
    """Each join emails the address typed, so a script must not make the clinic send
    mail to strangers: joins count against the booking limit per connection."""
    verdict = ratelimit.hit(
        "waitlist",
        ratelimit.client_key(ratelimit.client_ip(request)),
        limit=settings.BOOKING_RATE_LIMIT,
        window=settings.BOOKING_RATE_WINDOW,
    )
    if verdict.allowed:
        return None
    response = render(request, TEMPLATES + "rate_limited.html", status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _offer_context(offer: WaitlistOffer) -> dict:
    freed = offer.freed_time
    filled_by = freed.filled_by if offer.outcome == OfferOutcome.ACCEPTED else None
    return {
        "offer": offer,
        "freed": freed,
        "open": offer.outcome in (OfferOutcome.SENT, OfferOutcome.LAPSED)
        and freed.filled_at is None,
        "booked_token": filled_by.manage_token if filled_by else None,
        "moves_visit": offer.entry is not None and offer.entry.has_later_visit(freed.start),
    }


def _entry_initial(entry: WaitlistEntry) -> dict:
    return {
        "clinician": str(entry.clinician_id) if entry.clinician_id else ANY_CLINICIAN,
        "weekdays": entry.weekdays,
        "parts_of_day": entry.parts_of_day,
        "from_date": entry.from_date,
        "until_date": entry.until_date,
    }


def _entry(token: str) -> WaitlistEntry:
    return get_object_or_404(
        WaitlistEntry.objects.by_token(token).select_related("appointment_type", "clinician")
    )


def _booked_visit(token: str) -> Appointment:
    return get_object_or_404(
        Appointment.objects.by_manage_token(token)
        .filter(status=AppointmentStatus.BOOKED)
        .select_related("appointment_type", "clinician")
    )
