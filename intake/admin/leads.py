"""The front desk's lead worklist. Lead data is health data: every view here goes
through Django's model permissions (the "Front desk" and "Clinician" groups)."""

import csv

import phonenumbers
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from simple_history.admin import SimpleHistoryAdmin

from intake import leads as lead_rules
from intake.admin.measures import LeadOutcomes
from intake.admin.programmes import ProgrammesOnChangePage
from intake.admin.read_only import ReadOnlyAdminMixin
from intake.admin.staff_request import StaffRequest
from intake.forms.fields import NATIVE_DATE_WIDGETS, PhoneNumberField
from intake.models import Lead, LeadNote, LeadStatus, ReadAction, TriageOutcome
from intake.models.leads import URGENT_FIRST, LeadExport
from intake.phone import display_phone
from intake.spreadsheets import safe_cell

# The self-check outcomes as a list column can hold them.
SHORT_OUTCOMES: dict[str, str] = {
    TriageOutcome.EMERGENCY: "Emergency",
    TriageOutcome.SEE_DOCTOR: "See a doctor",
    TriageOutcome.PATELLOFEMORAL: "Patellofemoral pain",
    TriageOutcome.BOOK_EVALUATION: "Book an evaluation",
}


class OverdueFilter(admin.SimpleListFilter):
    """Open leads whose follow-up date has passed: the front desk's first stop."""

    title = "follow-up"
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("open", "All open leads")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue(timezone.localdate())
        if self.value() == "open":
            return queryset.open()
        return queryset


class LeadNoteInline(admin.TabularInline):
    """Notes are the follow-up record: staff add new ones; nobody rewrites old ones."""

    model = LeadNote
    extra = 1
    # Django's own leaves the note's text box and two column headers without a name.
    template = "admin/edit_inline/tabular_labelled.html"
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Lead)
class LeadAdmin(ProgrammesOnChangePage, LeadOutcomes, SimpleHistoryAdmin):
    # The browser's own pickers: the admin's pop-up calendars break under the strict CSP.
    formfield_overrides = NATIVE_DATE_WIDGETS
    # Six short columns, so the list and its filters fit side by side at 1280 px.
    list_display = ("display_name", "status", "follow_up", "assigned_to", "age", "came_from")
    list_filter = (
        "status",
        "activity",
        "triage_outcome",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        OverdueFilter,
        "source",
    )
    list_select_related = ("assigned_to",)
    list_per_page = 100
    search_fields = ("name", "email", "phone")
    search_help_text = "Search by name, email or phone number (any format)."
    date_hierarchy = "created_at"
    actions = [
        "mark_contacted",
        "mark_needs_follow_up",
        "close_as_patient",
        "close_as_not_a_fit",
        "close_as_no_response",
        "assign_to_me",
        "export_csv",
    ]
    raw_id_fields = ("duplicate_of",)
    readonly_fields = (
        # Status moves through named steps (intake/leads.py): the actions above, and
        # each appointment booked, cancelled, completed or missed.
        "status",
        "source",
        "consent_at",
        "triage_outcome",
        "triage_rule",
        "answers_list",
        "appointments_list",
        "call",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        ("Follow-up", {"fields": ("status", "assigned_to", "follow_up_due", "duplicate_of")}),
        ("Appointments", {"fields": ("appointments_list",)}),
        (
            "Contact details",
            {
                "fields": (
                    "name",
                    "email",
                    "phone",
                    "call",
                    "preferred_contact_method",
                    "preferred_time",
                )
            },
        ),
        (
            "Their request",
            {"fields": ("activity", "body_area", "message", "heard_about", "source", "consent_at")},
        ),
        ("Self-check", {"fields": ("triage_outcome", "triage_rule", "answers_list")}),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )
    inlines = [LeadNoteInline]
    # Urgent leads (self-check said Emergency or See a doctor, not yet called) on top.
    ordering = (URGENT_FIRST, "-created_at")

    @admin.display(description="name", ordering="name")
    def display_name(self, lead: Lead) -> str:
        name = lead.name or "(anonymised)"
        if lead.is_urgent:
            name = format_html('<strong class="lead-urgent">Urgent: call today</strong> {}', name)
        if lead.duplicate_of_id is not None:
            name = format_html('{} <span class="lead-duplicate">(possible duplicate)</span>', name)
        return name

    @admin.display(description="came from", ordering="source")
    def came_from(self, lead: Lead) -> str:
        """Where the request came from and, after a self-check, its outcome in short."""
        outcome = SHORT_OUTCOMES.get(lead.triage_outcome, "")
        source = lead.get_source_display()
        return f"{source}: {outcome}" if outcome else source

    @admin.display(description="age", ordering="created_at")
    def age(self, lead: Lead) -> str:
        return timesince(lead.created_at, depth=1)

    @admin.display(description="follow-up due", ordering="follow_up_due")
    def follow_up(self, lead: Lead) -> str:
        if lead.follow_up_due is None:
            return "-"
        due = f"{lead.follow_up_due:%a %b} {lead.follow_up_due.day}"
        if lead.is_open and lead.follow_up_due < timezone.localdate():
            return format_html("<strong>{} (overdue)</strong>", due)
        return due

    @admin.display(description="call")
    def call(self, lead: Lead) -> str:
        """One tap from the lead to the phone (or the desk phone's dialler), in the
        national format staff read aloud; the stored E.164 number goes in the link."""
        if not lead.phone:
            return "-"
        return format_html(
            '<a href="tel:{}">Call {}</a>', lead.phone.as_e164, display_phone(lead.phone)
        )

    @admin.display(description="self-check answers")
    def answers_list(self, lead: Lead) -> str:
        answers = [item for item in lead.answers or [] if isinstance(item, dict)]
        return render_to_string("intake/selfcheck/_answer_list.html", {"answers": answers})

    @admin.display(description="appointments")
    def appointments_list(self, lead: Lead) -> str:
        """Every appointment of the lead, newest first, cancelled ones too: the lead's story;
        then what they wait for on the waitlist."""
        appointments = (
            lead.appointments.select_related("clinician", "appointment_type").order_by("-start")
            if lead.pk
            else []
        )
        waiting = (
            lead.waitlist_entries.select_related("appointment_type", "clinician").order_by(
                "until_date"
            )
            if lead.pk
            else []
        )
        return render_to_string(
            "admin/intake/lead/_appointments.html",
            {"appointments": appointments, "lead": lead, "waiting": waiting},
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            # Nothing to call yet while the number is being typed in.
            return [
                (name, {**options, "fields": tuple(f for f in options["fields"] if f != "call")})
                for name, options in super().get_fieldsets(request, obj)
            ]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            # A lead typed in from a phone call: staff say where it came from, and pick
            # Emergency or See a doctor when the caller describes a red flag, which makes
            # the lead urgent (due today) as the online self-check does.
            editable_on_add = {"source", "triage_outcome"}
            return tuple(name for name in self.readonly_fields if name not in editable_on_add)
        return self.readonly_fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "triage_outcome":
            # Only editable while adding a lead (see get_readonly_fields).
            kwargs["help_text"] = (
                "For a caller who describes a red flag, choose Emergency or See a doctor "
                "first: the lead is then urgent and due for a call today."
            )
        if db_field.name == "phone":
            # Staff type numbers the way people say them; store E.164 like the form does.
            return PhoneNumberField(
                label="Phone",
                required=False,
                help_text="Any US format, e.g. 608-555-0142 or (608) 555-0142.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A caller typed in by the front desk is recorded as one who wrote in online:
        # duplicate flag, urgent follow-up date, the person's and the clinic's emails.
        data = form.cleaned_data
        lead = lead_rules.record_lead(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            source=data["source"],
            preferred_contact_method=data["preferred_contact_method"],
            preferred_time=data["preferred_time"],
            activity=data["activity"],
            body_area=data["body_area"],
            message=data["message"],
            heard_about=data["heard_about"],
            triage_outcome=data["triage_outcome"],
            assigned_to=data["assigned_to"],
            follow_up_due=data["follow_up_due"],
            duplicate_of=data["duplicate_of"],
        )
        # The admin goes on with this object (its notes, its history, the redirect).
        obj.pk = lead.pk
        obj.refresh_from_db()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                is_staff=True, is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Find "(608) 218-4215" too: phone numbers are stored as +16082184215."""
        filtered = queryset
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        phone = _as_e164(search_term)
        if phone:
            queryset |= filtered.filter(phone=phone)
        return queryset, may_have_duplicates

    def save_formset(self, request, form, formset, change) -> None:
        # Notes are only ever added (the inline can neither change nor delete one).
        formset.new_objects = [
            lead_rules.add_note(
                lead=form.instance, text=note_form.cleaned_data["text"], author=request.user
            )
            for note_form in formset.extra_forms
            if note_form.has_changed() and note_form.cleaned_data.get("text")
        ]
        formset.changed_objects, formset.deleted_objects = [], []

    # The history is an audit trail: it can be read, never used to rewrite the lead.
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        response = super().history_form_view(request, object_id, version_id, extra_context)
        # Reached only when the version exists and may be seen (else 404 or 403 above).
        lead_rules.record_read(
            lead_id=int(object_id), user=request.user, action=ReadAction.VIEWED_HISTORY
        )
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Every showing of a lead's page shows its health details: the read log records it.
        if obj is not None:
            lead_rules.record_read(lead_id=obj.pk, user=request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("intake.view_lead") and request.user.has_perm(
            "intake.export_lead"
        )

    @admin.action(description="Mark selected new leads as contacted", permissions=["change"])
    def mark_contacted(self, request: StaffRequest, queryset: QuerySet) -> None:
        selected = list(queryset)
        moved = lead_rules.mark_contacted(leads=selected, by=request.user)
        skipped = len(selected) - len(moved)
        note = f" {skipped} not new, left as they were." if skipped else ""
        self.message_user(request, f"{len(moved)} marked as contacted.{note}", messages.SUCCESS)

    @admin.action(
        description="Mark selected open leads as needing a follow-up call", permissions=["change"]
    )
    def mark_needs_follow_up(self, request: StaffRequest, queryset: QuerySet) -> None:
        selected = list(queryset)
        moved = lead_rules.mark_needs_follow_up(leads=selected, by=request.user)
        self._report(request, moved, selected, "marked as needing a follow-up call")

    @admin.action(description="Close selected open leads: became a patient", permissions=["change"])
    def close_as_patient(self, request: StaffRequest, queryset: QuerySet) -> None:
        self._close(request, queryset, LeadStatus.BECAME_PATIENT)

    @admin.action(description="Close selected open leads: not a fit", permissions=["change"])
    def close_as_not_a_fit(self, request: StaffRequest, queryset: QuerySet) -> None:
        self._close(request, queryset, LeadStatus.NOT_A_FIT)

    @admin.action(description="Close selected open leads: no response", permissions=["change"])
    def close_as_no_response(self, request: StaffRequest, queryset: QuerySet) -> None:
        self._close(request, queryset, LeadStatus.NO_RESPONSE)

    def _close(self, request: StaffRequest, queryset: QuerySet, outcome: LeadStatus) -> None:
        selected = list(queryset)
        moved = lead_rules.close(leads=selected, outcome=outcome, by=request.user)
        self._report(request, moved, selected, f"closed as {outcome.label.lower()}")

    def _report(self, request: HttpRequest, moved: list, selected: list, done: str) -> None:
        skipped = len(selected) - len(moved)
        note = f" {skipped} already there or closed, left as they were." if skipped else ""
        self.message_user(request, f"{len(moved)} {done}.{note}", messages.SUCCESS)

    @admin.action(description="Assign selected leads to me", permissions=["change"])
    def assign_to_me(self, request: StaffRequest, queryset: QuerySet) -> None:
        leads = lead_rules.assign(leads=queryset, to=request.user, by=request.user)
        self.message_user(request, f"{len(leads)} assigned to you.", messages.SUCCESS)

    @admin.action(description="Export selected leads to CSV", permissions=["export"])
    def export_csv(self, request: StaffRequest, queryset: QuerySet) -> HttpResponse:
        """Contact and pipeline fields only: no message, body area, answers or outcome."""
        if asked := self.admin_site.confirm_password(request, title="Export leads"):
            return asked
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="leads-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(EXPORT_COLUMNS)
        leads = list(queryset.select_related("assigned_to").order_by("created_at"))
        for lead in leads:
            writer.writerow([safe_cell(value) for value in _export_row(lead)])
        lead_rules.record_export(leads=leads, by=request.user)
        return response


EXPORT_COLUMNS = [
    "id",
    "received",
    "name",
    "email",
    "phone",
    "how to contact",
    "best time",
    "status",
    "source",
    "assigned to",
    "follow-up due",
]


def _export_row(lead: Lead) -> list:
    return [
        lead.pk,
        timezone.localtime(lead.created_at).strftime("%Y-%m-%d %H:%M"),
        lead.name,
        lead.email,
        lead.phone,
        lead.get_preferred_contact_method_display(),
        lead.get_preferred_time_display(),
        lead.get_status_display(),
        lead.get_source_display(),
        lead.assigned_to.get_username() if lead.assigned_to else "",
        lead.follow_up_due or "",
    ]


def _as_e164(term: str) -> str:
    try:
        number = phonenumbers.parse(term, "US")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@admin.register(LeadExport)
class LeadExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only log of CSV exports (superusers, or whoever is given the view permission)."""

    list_display = ("created_at", "exported_by", "row_count")
    list_select_related = ("exported_by",)
    date_hierarchy = "created_at"
