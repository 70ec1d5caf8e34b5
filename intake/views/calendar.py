"""The calendar's day and week pages (the appointment admin routes to them), and the old
week address, which now opens the calendar's week."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from intake import calendar, times
from intake.booking import parse_day
from intake.models import Appointment, Clinician
from intake.models.previsit import can_read_answers


@require_GET
def day_view(request: HttpRequest) -> TemplateResponse:
    """One day, a column per clinician: ?date=YYYY-MM-DD, today by default."""
    _may_view(request)
    day = parse_day(request.GET.get("date")) or timezone.localdate()
    grid = calendar.day_grid(day, now=timezone.now())
    title = f"Calendar: {day:%A, %B} {day.day}, {day.year}"
    return _render(request, grid, title=title, view="day", day=day, step=timedelta(days=1))


@require_GET
def week_view(request: HttpRequest) -> TemplateResponse:
    """A week from the clinic's first working day, for one clinician (?clinician=<pk>) or
    all; ?date=YYYY-MM-DD picks the week holding that day, this week by default."""
    _may_view(request)
    clinicians = list(Clinician.objects.bookable().order_by("position", "name"))
    chosen = next((c for c in clinicians if str(c.pk) == request.GET.get("clinician")), None)
    day = parse_day(request.GET.get("date")) or timezone.localdate()
    grid = calendar.week_grid(day, now=timezone.now(), clinician=chosen)
    first = grid.first_day
    who = chosen.name if chosen else "everyone"
    title = f"Calendar: {who}, week of {first:%B} {first.day}, {first.year}"
    return _render(
        request,
        grid,
        title=title,
        view="week",
        day=first,
        step=timedelta(days=7),
        clinicians=clinicians,
        chosen=chosen,
    )


@require_GET
def old_week_view(request: HttpRequest, clinician_id: int) -> HttpResponseRedirect:
    """Bookmarks of a clinician's week (before the calendar) open the calendar's week."""
    query = {"clinician": clinician_id, **({"date": d} if (d := request.GET.get("date")) else {})}
    return HttpResponseRedirect(f"{reverse('admin:intake_appointment_week')}?{urlencode(query)}")


def _may_view(request: HttpRequest) -> None:
    if not request.user.has_perm("intake.view_appointment"):
        raise PermissionDenied


def _render(
    request: HttpRequest, grid, *, title: str, view: str, day: date, step: timedelta, **page
) -> TemplateResponse:
    chosen = page.get("chosen")
    keep = {"clinician": chosen.pk} if chosen else {}

    def link(to: date | None) -> str:
        return "?" + urlencode({**keep, **({"date": f"{to:%Y-%m-%d}"} if to else {})})

    context = {
        **admin.site.each_context(request),
        "opts": Appointment._meta,
        "title": title,
        "grid": grid,
        "view": view,
        "day": day,
        "previous": link(day - step),
        "next": link(day + step),
        "current": link(None),
        "zone": times.zone_name(),
        "can_read_previsit": can_read_answers(request.user),
        **page,
    }
    return TemplateResponse(request, "admin/calendar/calendar.html", context)
