"""Admin for repeating visits: book a course of care in one go, see it, cancel the rest.

Three pages, each post/redirect/get: what to book (its answers wait in the session under
a one-time key), the preview of every date with a choice for each, and the series page.
Permissions follow the appointment's: whoever may book an appointment may book a series.
"""

import uuid
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join

from intake import times
from intake.admin.staff_request import StaffRequest
from intake.forms.series import SeriesCancelForm, SeriesChoicesForm, SeriesForm
from intake.models import Appointment, AppointmentSeries
from intake.phone import display_phone
from intake.series import book_series, cancel_rest_of_series, plan_series


def _draft_key(key: uuid.UUID) -> str:
    return f"series-draft-{key}"


@admin.register(AppointmentSeries)
class AppointmentSeriesAdmin(admin.ModelAdmin):
    list_display = ("patient_name", "appointment_type", "clinician", "schedule", "first_day")
    list_select_related = ("appointment_type", "clinician")
    search_fields = ("patient_name", "patient_email", "patient_phone")
    fields = (
        "patient_name",
        "patient_email",
        "phone",
        "appointment_type",
        "clinician",
        "schedule",
        "visits",
        "booked_by",
        "created_at",
    )
    readonly_fields = fields
    change_form_template = "admin/intake/appointmentseries/change_form.html"
    # Its get_absolute_url is this admin page: no public page to view.
    view_on_site = False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("intake.view_appointment")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("intake.add_appointment")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # The series page only shows; its visits change one by one or by "cancel the rest".
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    @admin.display(description="patient's phone")
    def phone(self, series: AppointmentSeries) -> str:
        return display_phone(series.patient_phone)

    @admin.display(description="schedule")
    def schedule(self, series: AppointmentSeries) -> str:
        return (
            f"Every {series.weekdays_display()} at {series.local_time:%I:%M %p}".replace(" 0", " ")
            + f" for {series.weeks} weeks from {series.first_day:%B} {series.first_day.day}"
        )

    @admin.display(description="visits")
    def visits(self, series: AppointmentSeries) -> str:
        appointments = series.appointments.select_related("clinician").order_by("start")
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> with {}: {}</li>',
            (
                (
                    reverse("admin:intake_appointment_change", args=[appointment.pk]),
                    times.day_and_clock(appointment.start),
                    appointment.clinician,
                    appointment.get_status_display(),
                )
                for appointment in appointments
            ),
        )
        return format_html('<ol class="series-visits">{}</ol>', rows) if rows else "-"

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """Step one: what to book. Its answers wait in the session for the preview."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SeriesForm(request.POST or None, initial=_initial_from(request))
        if request.method == "POST" and form.is_valid():
            key = uuid.uuid4()
            request.session[_draft_key(key)] = {
                name: request.POST.getlist(name) for name in form.fields
            }
            return redirect("admin:intake_appointmentseries_preview", key)
        return self._render(request, "series_form.html", form=form, title="Book repeating visits")

    def preview_view(self, request: StaffRequest, key: uuid.UUID) -> HttpResponse:
        """Step two: every date, free or clashing with times that day instead; confirm."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        booked = AppointmentSeries.objects.filter(key=key, completed_at__isnull=False).first()
        if booked is not None:
            # Reload or Back after confirming: show what was booked, book nothing again.
            self.message_user(request, "These visits are already booked.", messages.INFO)
            return redirect(booked)
        draft = request.session.get(_draft_key(key))
        details = SeriesForm(MultiValueDict(draft)) if isinstance(draft, dict) else None
        if details is None or not details.is_valid():
            self.message_user(request, "That preview has expired: start again.", messages.WARNING)
            return redirect("admin:intake_appointmentseries_add")
        series_request = details.series_request()
        form = SeriesChoicesForm(request.POST or None, plan=plan_series(request=series_request))
        if request.method == "POST" and form.is_valid():
            outcome = book_series(
                key=key,
                request=series_request,
                visits=form.chosen_visits(),
                booked_by=request.user,
                email_patient=form.cleaned_data["email_patient"],
            )
            request.session.pop(_draft_key(key), None)
            self._report(request, outcome.series, len(outcome.booked), outcome.refused)
            return redirect(outcome.series)
        return self._render(
            request,
            "preview.html",
            form=form,
            title=f"Check {series_request.patient.name}'s visits",
            series_request=series_request,
            free_count=sum(visit.free for visit in form.plan),
        )

    def cancel_rest_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Cancel every upcoming visit of the series from the chosen one on, one email."""
        if not request.user.has_perm("intake.change_appointment"):
            raise PermissionDenied
        if not str(object_id).isdigit():
            raise Http404
        series = get_object_or_404(AppointmentSeries, pk=object_id)
        start_from = request.GET.get("from", "")
        chosen = series.appointments.filter(pk=int(start_from) if start_from.isdigit() else 0)
        # From the visit it was pressed on, or from now: never a visit already begun.
        from_start = max([timezone.now(), *chosen.values_list("start", flat=True)])
        rest = list(
            Appointment.objects.rest_of_series(series, from_start).select_related("clinician")
        )
        form = SeriesCancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            cancelled = cancel_rest_of_series(
                series=series,
                from_start=from_start,
                reason=form.cleaned_data["reason"] or f"Cancelled by {request.user}",
                email_patient=form.cleaned_data["email_patient"],
            )
            told = (
                "The patient is being emailed one list."
                if form.cleaned_data["email_patient"] and cancelled
                else "The patient was not emailed."
            )
            self.message_user(
                request, f"{len(cancelled)} visit(s) cancelled. {told}", messages.SUCCESS
            )
            return redirect(series)
        return self._render(
            request,
            "cancel_rest.html",
            form=form,
            title=f"Cancel the rest of {series.patient_name}'s visits",
            series=series,
            rest=rest,
        )

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "preview/<uuid:key>/",
                wrap(self.preview_view),
                name="intake_appointmentseries_preview",
            ),
            path(
                "<path:object_id>/cancel-rest/",
                wrap(self.cancel_rest_view),
                name="intake_appointmentseries_cancel_rest",
            ),
            *super().get_urls(),
        ]

    def _render(self, request: HttpRequest, template: str, *, form, title: str, **extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}),
            "media": self.media + form.media,
            **extra,
        }
        return TemplateResponse(request, f"admin/intake/appointmentseries/{template}", context)

    def _report(self, request, series: AppointmentSeries, booked: int, refused: list) -> None:
        self.log_addition(request, series, f"Booked {booked} visit(s).")
        self.message_user(request, f"{booked} visit(s) booked.", messages.SUCCESS)
        if refused:
            lines = "; ".join(f"{times.day_and_clock(start)}: {why}" for start, why in refused)
            self.message_user(
                request,
                f"{len(refused)} date(s) could not be booked (taken meanwhile): {lines}. "
                "Book them one by one from the appointment book.",
                messages.WARNING,
            )


def _initial_from(request: HttpRequest) -> dict:
    """Prefill from an appointment (?appointment=<id>): "repeat this visit weekly"."""
    value = request.GET.get("appointment", "")
    appointment = (
        Appointment.objects.filter(pk=value).select_related("clinician").first()
        if value.isdigit()
        else None
    )
    if appointment is None:
        return {"weeks": 6}
    start = appointment.local_start
    return {
        "appointment_type": appointment.appointment_type_id,
        "clinician": appointment.clinician_id,
        "patient_name": appointment.patient_name,
        "patient_email": appointment.patient_email,
        "patient_phone": appointment.patient_phone_display,
        # The visit itself is booked: the series starts the day after.
        "first_day": start.date() + timedelta(days=1),
        "weekdays": [start.weekday()],
        "local_time": start.time(),
        "weeks": 6,
    }
