from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from intake.booking import hours_extended
from intake.clinic_details import the_record
from intake.forms.fields import NATIVE_DATE_WIDGETS
from intake.models import ClinicDetails, OpeningHours


class OpeningHoursInline(admin.TabularInline):
    # The browser's own pickers: the admin's pop-up calendars break under the strict CSP.
    formfield_overrides = NATIVE_DATE_WIDGETS
    model = OpeningHours
    fields = ("weekday", "opens", "closes")
    extra = 0


@admin.register(ClinicDetails)
class ClinicDetailsAdmin(admin.ModelAdmin):
    """One record: the list goes straight to it, and it can be neither added nor deleted."""

    inlines = [OpeningHoursInline]
    fieldsets = [
        ("Address", {"fields": ("street_address", "city", "region", "postal_code", "map_url")}),
        ("Getting here", {"fields": ("parking_notes", "transit_notes")}),
        ("Contact", {"fields": ("phone_display", "phone_e164", "email")}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_formset(self, request, form, formset, change: bool) -> None:
        # Longer opening hours open times online: the waitlist hears of them.
        old = list(OpeningHours.objects.values_list("weekday", "opens", "closes"))
        super().save_formset(request, form, formset, change)
        if formset.model is OpeningHours and formset.has_changed():
            hours_extended(old=old)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        record = the_record()
        return HttpResponseRedirect(reverse("admin:intake_clinicdetails_change", args=[record.pk]))

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        record = ClinicDetails.objects.filter(pk=object_id).first()
        if request.method == "GET" and record and not record.street_address:
            messages.warning(
                request,
                "The street address is missing. Until you enter it, patients see only "
                f"“{record.city}, {record.region}” on the site, in emails and in calendar files.",
            )
        return super().change_view(request, object_id, form_url, extra_context)
