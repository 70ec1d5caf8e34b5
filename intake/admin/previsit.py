"""Admin for before-visit forms: a list of who has filled theirs in, and the printable
summary per appointment.

The answers are health data, shown only to staff who hold `view_previsit_answers`
(clinicians); the front desk sees which form it is and how far the patient got, never
an answer. Nobody adds or edits a form here: the patient writes it from their link, and
the one staff change, marking a red flag reviewed, goes through intake.previsit_review.
Every showing of the answers is recorded in the read log.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from intake import previsit_review as review
from intake import times
from intake.admin.staff_request import StaffRequest
from intake.models import Appointment, PreVisit
from intake.models.previsit import can_read_answers


def _previsit_or_404(object_id: str) -> PreVisit:
    # ASCII digits only: str.isdigit() accepts "²", which int() then refuses.
    number = str(object_id)
    previsit = None
    if number.isascii() and number.isdigit() and len(number) < 19:
        previsit = review.for_summary(int(number))
    if previsit is None:
        raise Http404("This appointment has no before-visit form.")
    return previsit


@require_GET
def summary_view(request: StaffRequest, object_id: str) -> HttpResponse:
    """Every answer of one appointment's form on a page that prints on one or two sheets."""
    if not can_read_answers(request.user):
        raise PermissionDenied
    previsit = _previsit_or_404(object_id)
    review.record_answers_read(appointment=previsit.appointment, user=request.user)
    context = {
        **admin.site.each_context(request),
        "opts": Appointment._meta,
        "title": f"Before-visit form: {previsit.appointment.patient_name}",
        "previsit": previsit,
        "appointment": previsit.appointment,
        "sections": review.answer_sections(
            previsit.answers,
            safety_spec=review.safety_wording(previsit),
        ),
        "red_flag": review.red_flag_words(previsit.red_flag_outcome),
        "can_mark_reviewed": request.user.has_perm("intake.change_previsit"),
    }
    return TemplateResponse(request, "admin/intake/previsit/summary.html", context)


@require_POST
def mark_reviewed_view(request: StaffRequest, object_id: str) -> HttpResponse:
    user = request.user
    if not (can_read_answers(user) and user.has_perm("intake.change_previsit")):
        raise PermissionDenied
    previsit = _previsit_or_404(object_id)
    if review.mark_reviewed(previsit=previsit, user=user, now=timezone.now()):
        messages.success(request, "Red flag marked reviewed.")
    else:
        messages.warning(request, "Nothing to mark: not flagged, or already reviewed.")
    return redirect("admin:intake_appointment_previsit", previsit.appointment_id)


@admin.register(PreVisit)
class PreVisitAdmin(admin.ModelAdmin):
    """Read-only for everyone; what a row shows depends on who is looking."""

    list_select_related = ("appointment__appointment_type", "appointment__clinician")
    ordering = ("-appointment__start",)
    search_fields = ("appointment__patient_name",)
    search_help_text = "The patient's name."
    date_hierarchy = "appointment__start"

    def get_list_display(self, request: HttpRequest) -> tuple:
        shown = ("patient", "visit_time", "kind", "status")
        if can_read_answers(request.user):
            return (*shown, "flagged", "summary_link")
        return shown

    def get_list_filter(self, request: HttpRequest) -> tuple:
        if can_read_answers(request.user):
            return ("status", "kind", "needs_review")
        return ("status", "kind")

    def get_fields(self, request: HttpRequest, obj=None) -> tuple:
        shown = ("appointment_link", "kind", "status", "started_at", "completed_at")
        if can_read_answers(request.user):
            return (*shown, "flagged", "reviewed_by", "reviewed_at", "summary_link")
        return shown

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        return self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="Patient", ordering="appointment__patient_name")
    def patient(self, previsit: PreVisit) -> str:
        return previsit.appointment.patient_name

    @admin.display(description=f"Visit ({times.zone_name()})", ordering="appointment__start")
    def visit_time(self, previsit: PreVisit) -> str:
        start = times.local(previsit.appointment.start)
        return f"{start:%a %b} {start.day}, {times.clock(start)}"

    @admin.display(description="Appointment")
    def appointment_link(self, previsit: PreVisit) -> str:
        url = reverse("admin:intake_appointment_change", args=[previsit.appointment_id])
        return format_html('<a href="{}">{}</a>', url, previsit.appointment)

    @admin.display(description="Red flag")
    def flagged(self, previsit: PreVisit) -> str:
        if not previsit.needs_review:
            return "No"
        return "Reviewed" if previsit.reviewed_at else "Review before the visit"

    @admin.display(description="Answers")
    def summary_link(self, previsit: PreVisit) -> str:
        url = reverse("admin:intake_appointment_previsit", args=[previsit.appointment_id])
        return format_html(
            '<a href="{}">Intake summary<span class="visually-hidden"> for {}</span></a>',
            url,
            previsit.appointment.patient_name,
        )
