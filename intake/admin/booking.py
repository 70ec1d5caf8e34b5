"""Admin for scheduling: clinicians and their hours, visit types, and the appointment book."""

from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from intake.booking import cancel_appointment, parse_day
from intake.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CancelledBy,
    Clinician,
    TimeOff,
    WeeklyAvailability,
)
from intake.models.booking import clinic_tz


class AvailabilityFormSet(BaseInlineFormSet):
    """Catch overlapping hours among the rows typed on one page, not only saved ones."""

    def clean(self) -> None:
        super().clean()
        ranges: list[tuple[int, object, object]] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("start") or not data.get("end"):
                continue
            for weekday, start, end in ranges:
                if weekday == data["weekday"] and data["start"] < end and start < data["end"]:
                    raise ValidationError(
                        "Two ranges overlap on the same day. Join them into one range.",
                        code="overlapping_availability",
                    )
            ranges.append((data["weekday"], data["start"], data["end"]))


class WeeklyAvailabilityInline(admin.TabularInline):
    model = WeeklyAvailability
    formset = AvailabilityFormSet
    extra = 1
    fields = ("weekday", "start", "end")


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0
    fields = ("start", "end", "reason")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Past time off only clutters the page.
        return super().get_queryset(request).filter(end__gte=timezone.now())


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = ("name", "credentials", "bookable", "position")
    list_editable = ("bookable", "position")
    search_fields = ("name",)
    inlines = [WeeklyAvailabilityInline, TimeOffInline]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ("clinician", "start", "end", "reason")
    list_filter = ("clinician",)
    list_select_related = ("clinician",)
    date_hierarchy = "start"


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "duration_minutes", "mode", "price_text", "active", "position")
    list_editable = ("active", "position")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = [
        (None, {"fields": ("name", "slug", "description", "mode", "price_text", "active")}),
        (
            "Timing",
            {
                "fields": (
                    "duration_minutes",
                    "buffer_before_minutes",
                    "buffer_after_minutes",
                    "slot_interval_minutes",
                    "minimum_notice_hours",
                    "booking_window_days",
                    "position",
                )
            },
        ),
    ]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("start_local", "clinician", "appointment_type", "patient_name", "status")
    list_filter = ("status", "clinician", "appointment_type")
    list_select_related = ("clinician", "appointment_type")
    date_hierarchy = "start"
    ordering = ("start", "clinician")
    search_fields = ("patient_name", "patient_email", "patient_phone")
    raw_id_fields = ("lead",)
    actions = ["mark_completed", "mark_no_show", "cancel_and_notify"]
    readonly_fields = ("end", "cancelled_at", "reminder_sent_at", "created_at", "updated_at")
    fields = (
        "clinician",
        "appointment_type",
        "start",
        "end",
        "status",
        "patient_name",
        "patient_email",
        "patient_phone",
        "lead",
        "cancellation_reason",
        "cancelled_by",
        "cancelled_at",
        "reminder_sent_at",
        "created_at",
        "updated_at",
    )

    @admin.display(description="Starts (Central Time)", ordering="start")
    def start_local(self, appointment: Appointment) -> str:
        return f"{appointment.local_start:%a %b %d, %Y %I:%M %p %Z}"

    def save_model(self, request, obj: Appointment, form, change: bool) -> None:
        if not obj.manage_token_hash:
            # Booked by staff: the patient gets no link (they phone to change it),
            # but the column must still hold a unique secret.
            obj.issue_manage_token()
        if change and "start" in form.changed_data:
            obj.mark_moved()
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected as completed", permissions=["change"])
    def mark_completed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, AppointmentStatus.COMPLETED)

    @admin.action(description="Mark selected as no-show", permissions=["change"])
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, AppointmentStatus.NO_SHOW)

    @admin.action(description="Cancel selected and email the patients", permissions=["change"])
    def cancel_and_notify(self, request: HttpRequest, queryset: QuerySet) -> None:
        booked = queryset.filter(status=AppointmentStatus.BOOKED).select_related(
            "appointment_type", "clinician"
        )
        for appointment in booked:
            cancel_appointment(
                appointment=appointment,
                reason=f"Cancelled by the clinic ({request.user.get_username()})",
                cancelled_by=CancelledBy.STAFF,
            )
        self.message_user(
            request, f"{len(booked)} appointment(s) cancelled; patients emailed.", messages.SUCCESS
        )

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        # Cancelled appointments freed their time; marking them would take it back.
        changed = queryset.exclude(status=AppointmentStatus.CANCELLED).update(
            status=status, updated_at=timezone.now()
        )
        label = AppointmentStatus(status).label.lower()
        self.message_user(request, f"{changed} appointment(s) marked {label}.", messages.SUCCESS)

    def get_urls(self) -> list:
        day_view = self.admin_site.admin_view(self.day_view)
        return [path("day/", day_view, name="intake_appointment_day"), *super().get_urls()]

    def day_view(self, request: HttpRequest) -> HttpResponse:
        """One day's schedule, a column per clinician: ?date=YYYY-MM-DD, today by default."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        tz = clinic_tz()
        day = parse_day(request.GET.get("date")) or timezone.localdate(timezone=tz)
        start = datetime.combine(day, datetime.min.time(), tz)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tz)
        appointments = (
            Appointment.objects.active()
            .filter(start__gte=start, start__lt=end)
            .select_related("clinician", "appointment_type")
            .order_by("clinician__position", "clinician__name", "start")
        )
        columns: dict[Clinician, list[Appointment]] = {
            clinician: [] for clinician in Clinician.objects.bookable()
        }
        for appointment in appointments:
            columns.setdefault(appointment.clinician, []).append(appointment)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Schedule for {day:%A, %B} {day.day}, {day.year}",
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "columns": columns,
        }
        return TemplateResponse(request, "admin/intake/appointment/day.html", context)
