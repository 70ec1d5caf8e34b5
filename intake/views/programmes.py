"""The patient's home programme, behind the private link in their emails.

One page: today's exercises in order with pictures, doses, notes and steps; the one-tap
"I did today's exercises" (post/redirect/get, once a day); how it went (optional); the
last 14 days; reminders. A printable version fits the handout's sheets. No app, no login,
no JavaScript needed. The pages hold health data: never cached, never indexed.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from intake import adherence
from intake import programmes as flow
from intake.forms.programmes import ReminderForm, SessionForm
from intake.models import Programme
from intake.times import clinic_zone

TEMPLATES = "intake/programmes/"


def programme_token_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The guard of every page behind the link: an unknown token gets a not-found page,
    an ended programme a page with the phone number; every answer says noindex."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        programme = Programme.objects.by_token(token).with_page_content().first()
        if programme is None:
            response = render(request, TEMPLATES + "not_found.html", status=404)
        elif not programme.is_active:
            response = render(request, TEMPLATES + "ended.html", {"programme": programme})
        else:
            response = view(request, programme=programme, token=token, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _page_context(programme: Programme, token: str, form: SessionForm | None = None) -> dict:
    today = flow.today_local(timezone.now())
    rows = programme.patient_rows()
    recent = list(programme.sessions.filter(day__gte=today - timedelta(days=13)))
    logged = [session.day for session in recent]
    todays = next((session for session in recent if session.day == today), None)
    if form is None:
        # What the patient already said today, so adding a note keeps the ratings.
        initial = {}
        if todays is not None:
            initial = {"pain": todays.pain, "effort": todays.effort, "note": todays.note}
            initial |= {f"exercise_{key}": value for key, value in todays.feedback.items()}
        form = SessionForm(rows=rows, initial=initial)
    return {
        "programme": programme,
        "token": token,
        "rows": rows,
        "form": form,
        "reminder_form": ReminderForm(
            initial={"at": programme.reminder_time.strftime("%H:%M")}
            if programme.reminder_time
            else None
        ),
        "logged_today": today in logged,
        "strip": flow.fourteen_days(logged, today=today),
        "week": adherence.this_week(periods=programme.plan_periods(), logged=logged, today=today),
        "stop_advice": todays is not None and (todays.pain or 0) >= flow.STOP_PAIN,
        "too_many": len(rows) > flow.WARN_OVER_EXERCISES,
        "reminder_days": flow.reminder_days_text(programme, today=today),
    }


@require_GET
@never_cache
@programme_token_required
def programme_page(request: HttpRequest, programme: Programme, token: str) -> HttpResponse:
    return render(request, TEMPLATES + "programme_detail.html", _page_context(programme, token))


@require_POST
@never_cache
@programme_token_required
def programme_log(request: HttpRequest, programme: Programme, token: str) -> HttpResponse:
    """One tap logs today; pressed again (Back, Reload, a second tab) it logs nothing new."""
    form = SessionForm(request.POST, rows=programme.patient_rows())
    if not form.is_valid():
        context = _page_context(programme, token, form)
        return render(request, TEMPLATES + "programme_detail.html", context, status=400)
    details = flow.SessionDetails(
        pain=form.cleaned_data["pain"],
        effort=form.cleaned_data["effort"],
        note=form.cleaned_data["note"],
        feedback=form.feedback(),
    )
    logged = flow.log_session(programme=programme, now=timezone.now(), details=details)
    messages.success(request, _logged_message(logged))
    return redirect("intake:programme", token=token)


def _logged_message(logged: flow.Logged) -> str:
    if logged.created:
        return "Well done: today’s exercises are logged."
    if logged.details_saved:
        return "Today was already logged. We saved how it went."
    return "Today’s exercises are already logged. Nothing more to do today."


@require_POST
@never_cache
@programme_token_required
def programme_reminders(request: HttpRequest, programme: Programme, token: str) -> HttpResponse:
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a time from the list, or No reminders.")
        return redirect("intake:programme", token=token)
    flow.set_reminder(programme=programme, at=form.reminder_time())
    at = programme.reminder_time
    messages.success(
        request,
        f"Saved: a reminder at {at.strftime('%I:%M %p').lstrip('0')} on your exercise days."
        if at
        else "Saved: no reminders.",
    )
    return redirect("intake:programme", token=token)


@require_GET
@never_cache
@programme_token_required
def programme_print(request: HttpRequest, programme: Programme, token: str) -> HttpResponse:
    context = {"programme": programme, "rows": programme.patient_rows(), "token": token}
    context["printed_on"] = timezone.now().astimezone(clinic_zone()).date()
    return render(request, TEMPLATES + "programme_print.html", context)
