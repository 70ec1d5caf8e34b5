"""The read log, for superusers only: nobody else sees who looked at what, nor can anyone
change it (entries go only with the lead's details, in purge_leads)."""

from django.contrib import admin
from django.http import HttpRequest

from intake.admin.read_only import ReadOnlyAdminMixin
from intake.models import ReadLogEntry


@admin.register(ReadLogEntry)
class ReadLogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "action", "lead", "appointment")
    list_filter = ("action", ("user", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "lead", "appointment__appointment_type")
    date_hierarchy = "created_at"
    search_fields = ("=lead__id", "user__username")
    search_help_text = "A lead's number, or a staff username."

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser
