"""The waitlist in the admin: who waits for what (clinicians set priority there), the
freed times with their offers and outcomes, and the weekly fill-rate figures.

Only priority is edited here, through `set_waitlist_priority`; patients change the rest
behind their private link, and offers are written only by the offer rounds.
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from intake.admin.read_only import ReadOnlyAdminMixin
from intake.models import FreedTime, WaitlistEntry, WaitlistOffer
from intake.models.booking import clinic_tz
from intake.waitlist import set_waitlist_priority

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
        return False

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
        today = timezone.localdate(timezone=clinic_tz())
        figures = FreedTime.objects.weekly_figures(today=today, weeks=FIGURE_WEEKS)
        return super().changelist_view(request, {**(extra_context or {}), "figures": figures})
