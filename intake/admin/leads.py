from django.contrib import admin

from intake.models import Lead, LeadNote


class LeadNoteInline(admin.TabularInline):
    model = LeadNote
    extra = 1
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "source", "triage_outcome", "assigned_to", "created_at")
    list_filter = ("status", "source", "triage_outcome")
    list_select_related = ("assigned_to",)
    search_fields = ("name", "email", "phone")
    date_hierarchy = "created_at"
    inlines = [LeadNoteInline]
