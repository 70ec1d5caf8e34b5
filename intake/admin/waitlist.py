"""The waitlist in the admin: who waits for what (clinicians set priority there), the
freed times with their offers and outcomes, and the weekly fill-rate figures.

Only priority is edited here, through `set_waitlist_priority`; patients change the rest
behind their private link, and offers are written only by the offer rounds.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from intake.admin.read_only import ReadOnlyAdminMixin
from intake.admin.staff_request import StaffRequest
from intake.forms.fields import NATIVE_DATE_WIDGETS
from intake.forms.waitlist import ANY_CLINICIAN, StaffWaitlistForm
from intake.models import FreedTime, Lead, WaitlistEntry, WaitlistOffer
from intake.times import clinic_zone
from intake.waitlist import join_waitlist, set_waitlist_priority

FIGURE_WEEKS = 8


class OfferInline(admin.TabularInline):
    """Offers are written only by the offer rounds: nobody edits them here."""

    model = WaitlistOffer
    fields = ("freed_time", "round", "sent_at", "hold_until", "outcome", "answered_at")
    readonly_fields = fields
    extra = 0
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("freed_time__clinician", "freed_time__appointment_type", "entry")
        )


class FreedTimeOfferInline(OfferInline):
    fields = ("entry", "round", "sent_at", "hold_until", "outcome", "answered_at")
    readonly_fields = fields


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    # The browser's own pickers: the admin's pop-up calendars break under the strict CSP.
    formfield_overrides = NATIVE_DATE_WIDGETS
    list_display = (
        "name",
        "appointment_type",
        "clinician_choice",
        "from_date",
        "until_date",
        "priority",
        "offers_sent",
        "created_at",
    )
    list_filter = ("appointment_type", "clinician")
    list_select_related = ("appointment_type", "clinician")
    search_fields = ("name", "email")
    fields = (
        "name",
        "email",
        "phone",
        "appointment_type",
        "clinician",
        "weekdays",
        "parts_of_day",
        "from_date",
        "until_date",
        "appointment",
        "priority",
        "created_at",
    )
    readonly_fields = tuple(name for name in fields if name != "priority")
    inlines = (OfferInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(offer_count=Count("offers"))

    @admin.display(description="Clinician")
    def clinician_choice(self, entry: WaitlistEntry) -> str:
        return str(entry.clinician) if entry.clinician else "Any"

    @admin.display(description="Offers", ordering="offer_count")
    def offers_sent(self, entry: WaitlistEntry) -> int:
        return getattr(entry, "offer_count", 0)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Entries are added by patients, or by staff for a caller from the lead's page.
        return False

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "for-lead/<int:lead_id>/",
                wrap(self.join_for_lead_view),
                name="intake_waitlistentry_for_lead",
            ),
            *super().get_urls(),
        ]

    def join_for_lead_view(self, request: StaffRequest, lead_id: int) -> HttpResponse:
        """A caller asks to be told when a time opens: the lead's details, filled in."""
        if not request.user.has_perm("intake.change_waitlistentry"):
            raise PermissionDenied
        lead = get_object_or_404(Lead, pk=lead_id)
        today = timezone.localdate(timezone=clinic_zone())
        initial = {
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "clinician": ANY_CLINICIAN,
            "from_date": today,
            "until_date": today + timedelta(days=28),
        }
        data = request.POST if request.method == "POST" else None
        form = StaffWaitlistForm(data, initial=initial, today=today)
        if request.method == "POST" and form.is_valid():
            join_waitlist(choice=form.choice(), patient=form.patient(), lead=lead)
            messages.success(request, f"{lead.name} is on the waitlist; we emailed them the link.")
            return redirect("admin:intake_lead_change", lead.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Put {lead.name} on the waitlist",
            "form": form,
            "lead": lead,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/intake/waitlistentry/for_lead.html", context)

    def save_model(self, request: HttpRequest, obj: WaitlistEntry, form, change: bool) -> None:
        set_waitlist_priority(entry=obj, priority=obj.priority)


@admin.register(FreedTime)
class FreedTimeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "local_start",
        "clinician",
        "appointment_type",
        "freed_at",
        "status",
        "rounds",
        "minutes_to_fill",
    )
    list_filter = ("status", "clinician")
    list_select_related = ("clinician", "appointment_type")
    fields = (
        "clinician",
        "appointment_type",
        "start",
        "freed_at",
        "status",
        "rounds",
        "filled_by",
        "filled_at",
    )
    readonly_fields = fields
    inlines = (FreedTimeOfferInline,)
    change_list_template = "admin/intake/freedtime/change_list.html"

    @admin.display(description="Time", ordering="start")
    def local_start(self, freed: FreedTime) -> str:
        return f"{freed.local_start:%a %b %d, %I:%M %p}"

    @admin.display(description="Minutes to fill")
    def minutes_to_fill(self, freed: FreedTime) -> int | None:
        return freed.minutes_to_fill()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        today = timezone.localdate(timezone=clinic_zone())
        figures = FreedTime.objects.weekly_figures(today=today, weeks=FIGURE_WEEKS)
        return super().changelist_view(request, {**(extra_context or {}), "figures": figures})
