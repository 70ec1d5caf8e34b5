"""Admin for clinic closures: the days the whole clinic is closed, and the federal
holidays it may close on, one click each."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from intake.booking import parse_day
from intake.closures import delete_closure, save_closure, suggested_holidays
from intake.forms.closures import ClinicClosureForm
from intake.models import ClinicClosure


@admin.register(ClinicClosure)
class ClinicClosureAdmin(admin.ModelAdmin):
    """A closure over booked visits first lists them (every clinician's), and saves once
    staff chose to cancel (emailing the patient) or keep each, as time off does."""

    form = ClinicClosureForm
    list_display = ("dates", "reason")
    date_hierarchy = "start_date"
    change_form_template = "admin/intake/clinicclosure/change_form.html"
    change_list_template = "admin/intake/clinicclosure/change_list.html"

    @admin.display(description="Closed", ordering="start_date")
    def dates(self, closure: ClinicClosure) -> str:
        return f"{closure.dates_text()}, {closure.start_date.year}"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).order_by("-end_date")

    def save_model(self, request, obj: ClinicClosure, form: ClinicClosureForm, change: bool):
        stranded = form.stranded
        was = (form.initial["start_date"], form.initial["end_date"]) if change else None
        cancelled = save_closure(
            closure=obj, cancel=stranded.to_cancel() if stranded else [], was=was
        )
        if stranded:
            self.message_user(request, stranded.outcome(cancelled), messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: ClinicClosure) -> None:
        delete_closure(closure=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for closure in queryset:
            delete_closure(closure=closure)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        context = {"suggestions": suggested_holidays(), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "suggested/", wrap(self.add_suggested_view), name="intake_clinicclosure_suggested"
            ),
            *super().get_urls(),
        ]

    def add_suggested_view(self, request: HttpRequest) -> HttpResponse:
        return _add_suggested(request, self)


@require_POST
def _add_suggested(request: HttpRequest, model_admin: ClinicClosureAdmin) -> HttpResponse:
    """One click closes a suggested holiday; over booked visits it opens the add page
    filled in, where staff choose for each visit as for any closure."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    day = parse_day(request.POST.get("day"))
    holiday = next((h for h in suggested_holidays() if h.day == day), None)
    listing = reverse("admin:intake_clinicclosure_changelist")
    if holiday is None:
        model_admin.message_user(request, "That day is not a suggestion.", messages.WARNING)
        return redirect(listing)
    day_text = f"{holiday.day:%Y-%m-%d}"
    data = {"start_date": day_text, "end_date": day_text, "reason": holiday.reason}
    form = ClinicClosureForm(data)
    if not form.is_valid():
        query = urlencode(data)
        model_admin.message_user(
            request,
            f"Visits are booked on {holiday.name}: choose for each, then save.",
            messages.WARNING,
        )
        return redirect(f"{reverse('admin:intake_clinicclosure_add')}?{query}")
    save_closure(closure=form.instance, cancel=[])
    model_admin.log_addition(request, form.instance, "Added from the holiday suggestions")
    model_admin.message_user(
        request, f"Closed {form.instance}. Patients see it on the site's hours.", messages.SUCCESS
    )
    return redirect(listing)
