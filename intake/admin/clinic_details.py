from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from education.models import ContentVersion
from intake.clinic_details import forget_clinic_details
from intake.models import ClinicDetails, OpeningHours


class OpeningHoursInline(admin.TabularInline):
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

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        record, _ = ClinicDetails.objects.get_or_create(pk=1)
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

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        forget_clinic_details()  # the opening hours are saved after the record itself
        # Kept copies of public pages print the phone number and address: a new version
        # makes every worker and host render them afresh on the next request.
        ContentVersion.objects.bump()
