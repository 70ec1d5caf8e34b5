"""The staff home ("Today"): views the admin site routes to.

clinic/admin_site.py routes to these. They read through intake.today and write only
through intake.attendance, like every other change staff make.
"""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from intake import today as board
from intake.attendance import ATTENDANCE_STATUSES, record_attendance, undo_attendance
from intake.models import Appointment, AppointmentStatus
from intake.models.previsit import can_read_answers

if TYPE_CHECKING:
    # Only for the type checker: clinic.admin_site imports this module, and importing
    # intake.admin here would load the admin before its site exists.
    from intake.admin.staff_request import StaffRequest


def can_see_today(user) -> bool:
    return user.has_perm("intake.view_appointment") or user.has_perm("intake.view_lead")


@require_GET
def today_view(request: HttpRequest) -> TemplateResponse:
    today = timezone.localdate()
    user = request.user
    context = _schedule_context(
        request,
        title=f"Today, {today:%A %B} {today.day}",
        today=today,
        days=board.schedule(first_day=today, days=2)
        if user.has_perm("intake.view_appointment")
        else [],
        leads=board.leads_to_work(today) if user.has_perm("intake.view_lead") else None,
        red_flag_visits=board.red_flag_visits() if user.has_perm("intake.view_appointment") else [],
        times_freed=board.times_freed(today) if user.has_perm("intake.view_freedtime") else None,
    )
    return TemplateResponse(request, "admin/today/today.html", context)


@require_POST
def attendance_view(request: "StaffRequest", appointment_id: int) -> HttpResponse:
    """One click: arrived, completed, no-show or undo; then back to the page it came from."""
    if not request.user.has_perm("intake.change_appointment"):
        raise PermissionDenied
    appointment = get_object_or_404(
        Appointment.objects.select_related("appointment_type", "lead"), pk=appointment_id
    )
    status = request.POST.get("status", "")
    if status == "undo":
        _undo(request, appointment)
    elif status not in ATTENDANCE_STATUSES:
        messages.error(request, "Choose arrived, completed or no-show.")
    else:
        _mark(request, appointment, AppointmentStatus(status))
    return HttpResponseRedirect(_back(request))


def _schedule_context(request: HttpRequest, **page) -> dict:
    """What every schedule page needs besides its own: the admin's frame and what the
    user may do with an appointment."""
    return {
        **admin.site.each_context(request),
        "can_mark": request.user.has_perm("intake.change_appointment"),
        "can_read_previsit": can_read_answers(request.user),
        **page,
    }


def _undo(request: "StaffRequest", appointment: Appointment) -> None:
    was = appointment.get_status_display()
    if undo_attendance(appointment=appointment, by=request.user):
        messages.success(
            request,
            f"{appointment.patient_name}: {was} undone, now {appointment.get_status_display()}.",
        )
    else:
        messages.warning(
            request,
            f"{appointment.patient_name}: nothing to undo. A click can be undone on the "
            "visit's day; after that a clinician corrects it on the appointment's page.",
        )


def _mark(request: "StaffRequest", appointment: Appointment, status: AppointmentStatus) -> None:
    if record_attendance(appointment=appointment, status=status, by=request.user):
        messages.success(request, f"{appointment.patient_name}: marked {status.label.lower()}.")
    else:
        messages.warning(
            request,
            f"{appointment.patient_name}: not changed. Arrived opens 30 minutes before the "
            "visit (never for a phone consult), Completed and No-show at its start; a "
            "cancelled or already marked visit stays as it is.",
        )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")
