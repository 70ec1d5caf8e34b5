"""Admin for scheduling: clinicians and their hours, visit types, and the appointment book."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html_join

from intake import times
from intake.admin import previsit as previsit_admin
from intake.admin.measures import AppointmentOutcomes
from intake.admin.programmes import ProgrammesOnChangePage
from intake.admin.staff_request import StaffRequest
from intake.attendance import correct_attendance, record_attendance
from intake.booking import (
    NeedsConfirmation,
    Slot,
    SlotTaken,
    book_appointment,
    cancel_appointment,
    cancel_for_schedule_change,
    delete_time_off,
    hours_extended,
    hours_outside_clinic,
    nearest_slots,
    reschedule_appointment,
    save_time_off,
)
from intake.forms.booking import (
    AttendanceCorrectionForm,
    ClinicianForm,
    SchedulerForm,
    StaffBookingForm,
    StaffCancelForm,
    StaffMoveForm,
    StrandedChoices,
    TimeOffForm,
    booking_prefill,
    scheduler_page,
)
from intake.forms.fields import NATIVE_DATE_WIDGETS, PhoneNumberField
from intake.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CancelledBy,
    Clinician,
    Specialty,
    TimeOff,
    WeeklyAvailability,
)
from intake.models.booking import attach_photo
from intake.views import calendar as calendar_views

UNCHANGED = "Not changed: the visit already has this status, was cancelled, or has not begun yet."


def _nearby(
    error: Exception, slot: Slot, data: dict, moving: Appointment | None = None
) -> list[Slot]:
    """After a clash, the free times closest to the one asked for, to offer as buttons."""
    if not isinstance(error, SlotTaken):
        return []
    visit_type = moving.appointment_type if moving else data["appointment_type"]
    return nearest_slots(appointment_type=visit_type, around=slot.start, exclude=moving)


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
        self.stranded = None
        self.old_hours = None
        if self.instance.pk is None or any(form.errors for form in self.forms):
            return
        # Kept for save_formset: times the new hours add are offered to the waitlist.
        self.old_hours = list(self.instance.availability.values_list("weekday", "start", "end"))
        affected = _newly_outside_hours(self.instance, ranges)
        if affected:
            self.stranded = StrandedChoices(
                self.data, affected, change="These hours leave", where="outside them"
            )
            if not self.stranded.complete():
                raise self.stranded.error()


def _newly_outside_hours(clinician: Clinician, ranges: list[tuple]) -> list[Appointment]:
    """Upcoming booked appointments inside the clinician's saved hours but outside
    `ranges` (weekday, start, end): what shorter hours would strand. Appointments already
    outside the old hours were exceptions before and are not asked about again."""
    old = list(clinician.availability.values_list("weekday", "start", "end"))

    def fits(appointment: Appointment, hours: list[tuple]) -> bool:
        start, end = appointment.local_start, appointment.local_end
        return any(
            weekday == start.weekday() and begin <= start.time() and end.time() <= finish
            for weekday, begin, finish in hours
        )

    upcoming = (
        Appointment.objects.filter(
            clinician=clinician, status=AppointmentStatus.BOOKED, start__gte=timezone.now()
        )
        .select_related("appointment_type")
        .order_by("start")
    )
    return [a for a in upcoming if fits(a, old) and not fits(a, ranges)]


class WeeklyAvailabilityInline(admin.TabularInline):
    model = WeeklyAvailability
    formset = AvailabilityFormSet
    formfield_overrides = NATIVE_DATE_WIDGETS
    extra = 1
    fields = ("weekday", "start", "end")


class TimeOffInline(admin.TabularInline):
    """Upcoming time off, read-only here: adding or changing it goes through the time
    off page, which checks for booked appointments in the way."""

    model = TimeOff
    extra = 0
    fields = ("start", "end", "reason")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Past time off only clutters the page.
        return super().get_queryset(request).filter(end__gte=timezone.now())


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ("name", "position")
    list_editable = ("position",)


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    form = ClinicianForm
    list_display = ("name", "credentials", "on_team_page", "bookable", "position")
    list_editable = ("on_team_page", "bookable", "position")
    search_fields = ("name",)
    fieldsets = [
        (None, {"fields": ("name", "credentials", "user")}),
        ("On the team page", {"fields": ("photo", "bio", "specialties", "on_team_page")}),
        ("Booking", {"fields": ("bookable", "position")}),
    ]
    inlines = [WeeklyAvailabilityInline, TimeOffInline]
    change_form_template = "admin/intake/clinician/change_form.html"

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        if request.method == "GET" and str(object_id).isdigit():
            found = Clinician.objects.filter(pk=int(object_id)).first()
            if found is not None:
                _warn_outside_clinic_hours(request, found)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request: HttpRequest, obj: Clinician) -> HttpResponse:
        _warn_outside_clinic_hours(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request: HttpRequest, obj: Clinician, post_url_continue=None):
        _warn_outside_clinic_hours(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def save_model(self, request, obj: Clinician, form: ClinicianForm, change: bool) -> None:
        if "photo" in form.changed_data:
            attach_photo(clinician=obj, upload=form.cleaned_data["photo"])
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        # The admin saves the whole page in one transaction, so shorter hours and the
        # cancellations staff chose are kept together or not at all.
        super().save_formset(request, form, formset, change)
        old_hours = getattr(formset, "old_hours", None)
        if old_hours is not None and formset.has_changed():
            hours_extended(clinician=form.instance, old=old_hours)
        stranded = getattr(formset, "stranded", None)
        if stranded:
            cancelled = cancel_for_schedule_change(
                cancel=stranded.to_cancel(), reason="Clinician hours changed"
            )
            self.message_user(request, stranded.outcome(cancelled), messages.SUCCESS)


def _warn_outside_clinic_hours(request: HttpRequest, clinician: Clinician) -> None:
    outside = hours_outside_clinic(clinician=clinician)
    if outside:
        messages.warning(
            request,
            f"{clinician.name}'s hours reach outside the clinic's opening hours: "
            f"{', '.join(outside)}. Patients are never offered those times online. Change "
            "the hours here or the opening hours under Clinic details.",
        )


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    """Time off over booked appointments first shows them, and saves once staff chose
    to cancel (emailing the patient) or keep each."""

    form = TimeOffForm
    formfield_overrides = NATIVE_DATE_WIDGETS
    change_form_template = "admin/intake/timeoff/change_form.html"
    list_display = ("clinician", "start", "end", "reason")
    list_filter = ("clinician",)
    list_select_related = ("clinician",)
    date_hierarchy = "start"

    def save_model(self, request, obj: TimeOff, form: TimeOffForm, change: bool) -> None:
        stranded = form.stranded
        initial = form.initial
        was = (initial["clinician"], initial["start"], initial["end"]) if change else None
        cancelled = save_time_off(
            time_off=obj, cancel=stranded.to_cancel() if stranded else [], was=was
        )
        if stranded:
            self.message_user(request, stranded.outcome(cancelled), messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: TimeOff) -> None:
        delete_time_off(time_off=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for time_off in queryset:
            delete_time_off(time_off=time_off)


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
class AppointmentAdmin(ProgrammesOnChangePage, AppointmentOutcomes, admin.ModelAdmin):
    """The appointment book. Adding, moving and cancelling have their own pages that call
    intake.booking's functions, so a staff change checks, writes and emails exactly as
    the patient's own does; the change page edits only the patient's details."""

    list_display = ("start_local", "clinician", "appointment_type", "patient_name", "status")
    list_filter = ("status", "clinician", "appointment_type")
    list_select_related = ("clinician", "appointment_type")
    date_hierarchy = "start"
    ordering = ("start", "clinician")
    search_fields = ("patient_name", "patient_email", "patient_phone")
    raw_id_fields = ("lead",)
    actions = ["mark_completed", "mark_no_show", "cancel_and_notify"]
    change_form_template = "admin/intake/appointment/change_form.html"
    readonly_fields = (
        "clinician",
        "appointment_type",
        "start_local",
        "status",
        "attendance_history",
        "series",
        "cancellation_reason",
        "cancelled_by",
        "cancelled_at",
        "reminder_sent_at",
        "created_at",
        "updated_at",
    )
    fields = (
        "clinician",
        "appointment_type",
        "start_local",
        "status",
        "attendance_history",
        "patient_name",
        "patient_email",
        "patient_phone",
        "lead",
        "series",
        "cancellation_reason",
        "cancelled_by",
        "cancelled_at",
        "reminder_sent_at",
        "created_at",
        "updated_at",
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "patient_phone":
            # Staff type numbers the way people say them; stored as E.164, as online.
            return PhoneNumberField(
                label="Phone", help_text="Any US format, e.g. 608-555-0142 or (608) 555-0142."
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="attendance changes")
    def attendance_history(self, appointment: Appointment) -> str:
        """Every click, undo and correction: who, when, from what, to what, and why."""
        changes = (
            appointment.attendance_changes.select_related("changed_by") if appointment.pk else []
        )
        return (
            format_html_join(
                "",
                "<p>{} {} → {}, by {}{}</p>",
                (
                    (
                        times.short(change.created_at),
                        change.get_from_status_display(),
                        change.get_to_status_display(),
                        change.changed_by or "the system",
                        f" ({change.get_kind_display().lower()}: {change.reason})"
                        if change.reason
                        else f" ({change.get_kind_display().lower()})",
                    )
                    for change in changes
                ),
            )
            or "-"
        )

    @admin.display(description=f"Starts ({times.zone_name()})", ordering="start")
    def start_local(self, appointment: Appointment) -> str:
        return f"{appointment.local_start:%a %b %d, %Y %I:%M %p %Z}"

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """Book for a patient who phoned or walked in, through book_appointment."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StaffBookingForm(request.POST or None, initial=booking_prefill(request.GET))
        if request.method == "POST" and form.is_valid():
            try:
                appointment = book_appointment(
                    slot=form.slot(),
                    appointment_type=form.cleaned_data["appointment_type"],
                    patient=form.patient(),
                    staff=form.staff_change(),
                    lead=form.cleaned_data["lead"],
                )
            except (SlotTaken, NeedsConfirmation) as error:
                form.refuse(error, _nearby(error, form.slot(), form.cleaned_data))
            else:
                self._done(request, appointment, "Booked", form.cleaned_data["email_patient"])
                return redirect("admin:intake_appointment_change", appointment.pk)
        return self._render(request, form, title="Book an appointment", submit="Book it")

    def move_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A new time or clinician, through reschedule_appointment."""
        appointment = self._booked_or_404(request, object_id)
        form = StaffMoveForm(request.POST or None, appointment=appointment)
        if request.method == "POST" and form.is_valid():
            try:
                moved = reschedule_appointment(
                    appointment=appointment, slot=form.slot(), staff=form.staff_change()
                )
            except (SlotTaken, NeedsConfirmation) as error:
                form.refuse(error, _nearby(error, form.slot(), {}, moving=appointment))
            else:
                self._done(request, moved, "Moved", form.cleaned_data["email_patient"])
                return redirect("admin:intake_appointment_change", moved.pk)
        title = f"Move {appointment.patient_name}'s {appointment.appointment_type}"
        return self._render(request, form, title=title, submit="Move it", original=appointment)

    def cancel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Cancel through cancel_appointment; the late-cancel window does not bind staff."""
        appointment = self._booked_or_404(request, object_id)
        form = StaffCancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            cancelled = cancel_appointment(
                appointment=appointment,
                reason=form.cleaned_data["reason"] or f"Cancelled by {request.user}",
                cancelled_by=CancelledBy.STAFF,
                email_patient=form.cleaned_data["email_patient"],
            )
            self._done(request, cancelled, "Cancelled", form.cleaned_data["email_patient"])
            return redirect("admin:intake_appointment_change", cancelled.pk)
        title = f"Cancel {appointment.patient_name}'s {appointment.appointment_type}"
        return self._render(request, form, title=title, submit="Cancel it", original=appointment)

    def attendance_view(self, request: StaffRequest, object_id: str) -> HttpResponse:
        """A clinician's later correction of how a visit went, with a reason."""
        if not request.user.has_perm("intake.add_attendancechange"):
            raise PermissionDenied
        appointment = get_object_or_404(
            Appointment.objects.select_related("clinician", "appointment_type", "lead"),
            pk=object_id if str(object_id).isdigit() else None,
        )
        form = AttendanceCorrectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            status = AppointmentStatus(data["to_status"])
            by = request.user
            if correct_attendance(
                appointment=appointment, status=status, reason=data["reason"], by=by
            ):
                self.message_user(request, f"Corrected to {status.label}.", messages.SUCCESS)
                return redirect("admin:intake_appointment_change", appointment.pk)
            form.add_error("to_status", ValidationError(UNCHANGED, code="unchanged"))
        title = f"Correct the attendance of {appointment.patient_name}'s visit"
        return self._render(request, form, title=title, submit="Correct it", original=appointment)

    def schedule_view(self, request: HttpRequest) -> HttpResponse:
        """Free times at a glance for a visit type, a week at a time; a click opens the
        booking form with the time (and the person searched for) filled in. Whoever
        may see appointments sees the times; only those who may add one get the links."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SchedulerForm.read(request.GET, today=timezone.localdate())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Find a free time",
            "form": form,
            "can_book": self.has_add_permission(request),
            **scheduler_page(form, now=timezone.now()),
        }
        return TemplateResponse(request, "admin/intake/appointment/schedule.html", context)

    def _booked_or_404(self, request: HttpRequest, object_id: str) -> Appointment:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            Appointment.objects.select_related("clinician", "appointment_type"),
            pk=object_id if str(object_id).isdigit() else None,
            status=AppointmentStatus.BOOKED,
        )

    def _render(self, request: HttpRequest, form, *, title: str, submit: str, original=None):
        # The confirmation boxes appear only once the booking function named a problem.
        shown = [name for name in form.fields if name != "confirmed" or form.problems]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "adminform": helpers.AdminForm(form, [(None, {"fields": shown})], {}),
            "submit": submit,
            "original": original,
            "lead": form.initial.get("lead"),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/intake/appointment/staff_form.html", context)

    def _done(self, request: HttpRequest, appointment: Appointment, verb: str, emailed: bool):
        when = times.day_and_clock(appointment.start)
        told = "The patient is being emailed." if emailed else "The patient was not emailed."
        summary = f"{verb}: {appointment.patient_name}, {when} with {appointment.clinician}."
        # The appointment's History shows who booked, moved or cancelled it, and when.
        if verb == "Booked":
            self.log_addition(request, appointment, summary)
        else:
            self.log_change(request, appointment, summary)
        self.message_user(request, f"{summary} {told}", messages.SUCCESS)

    @admin.action(description="Mark selected as completed", permissions=["change"])
    def mark_completed(self, request: StaffRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, AppointmentStatus.COMPLETED)

    @admin.action(description="Mark selected as no-show", permissions=["change"])
    def mark_no_show(self, request: StaffRequest, queryset: QuerySet) -> None:
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

    def _set_status(self, request: StaffRequest, queryset: QuerySet, status: str) -> None:
        # Through record_attendance, so each lead follows its appointment.
        appointments = queryset.select_related("appointment_type", "lead")
        changed = sum(
            record_attendance(
                appointment=appointment, status=AppointmentStatus(status), by=request.user
            )
            for appointment in appointments
        )
        label = AppointmentStatus(status).label.lower()
        self.message_user(request, f"{changed} appointment(s) marked {label}.", messages.SUCCESS)

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("schedule/", wrap(self.schedule_view), name="intake_appointment_schedule"),
            path("day/", wrap(calendar_views.day_view), name="intake_appointment_day"),
            path("week/", wrap(calendar_views.week_view), name="intake_appointment_week"),
            path(
                "<path:object_id>/previsit/",
                wrap(previsit_admin.summary_view),
                name="intake_appointment_previsit",
            ),
            path(
                "<path:object_id>/previsit/reviewed/",
                wrap(previsit_admin.mark_reviewed_view),
                name="intake_appointment_previsit_reviewed",
            ),
            path("<path:object_id>/move/", wrap(self.move_view), name="intake_appointment_move"),
            path(
                "<path:object_id>/attendance/",
                wrap(self.attendance_view),
                name="intake_appointment_attendance",
            ),
            path(
                "<path:object_id>/cancel/",
                wrap(self.cancel_view),
                name="intake_appointment_cancel",
            ),
            *super().get_urls(),
        ]
