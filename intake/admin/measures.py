"""Admin for outcome measures: clinicians define the instruments the clinic holds a
licence for, and see each patient's scores over time on the appointment and lead pages.

Answers are what patients typed: nobody edits them here, superusers included.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from intake.admin.read_only import ReadOnlyAdminMixin
from intake.charts import Chart, outcome_chart
from intake.measures import Episode, episodes, points
from intake.models import Appointment, Lead, Measure, MeasureItem, MeasureResponse, PreVisit
from intake.models.previsit import can_read_answers
from intake.previsit_review import record_answers_read


@dataclass(frozen=True)
class EpisodeCharts:
    episode: Episode
    charts: list[Chart]


def outcome_charts(*, forms: QuerySet[PreVisit]) -> list[EpisodeCharts]:
    """The charts of every episode of care `forms` belong to (two queries)."""
    responses = MeasureResponse.objects.in_episodes_of(forms).for_charts()
    return [
        EpisodeCharts(
            episode=episode,
            charts=[
                outcome_chart(series=series, chart_id=f"outcome-{number}-{index}")
                for index, series in enumerate(episode.series, start=1)
            ],
        )
        for number, episode in enumerate(episodes(responses=responses), start=1)
    ]


class OutcomesOnChangePage:
    """Mixed into a ModelAdmin: its change page shows the patient's outcome measures
    (templates/admin/intake/measures/_outcomes.html), to clinicians only."""

    def outcome_forms(self, obj) -> tuple[QuerySet[PreVisit], str]:
        """The forms whose episodes to chart, and a note for the reader (or "")."""
        raise NotImplementedError

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Scores are health data: only staff who may read the before-visit answers see them.
        if obj is not None and can_read_answers(request.user):
            forms, note = self.outcome_forms(obj)
            context["outcomes"] = outcome_charts(forms=forms)
            context["outcomes_note"] = note
        # A mixin for ModelAdmin subclasses, which have render_change_form.
        return super().render_change_form(  # type: ignore[misc]
            request, context, add, change, form_url, obj
        )


class AppointmentOutcomes(OutcomesOnChangePage):
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        # Scores are before-visit answers: showing them is a read, logged as the summary's is.
        # (The lead page logs every showing already, scores or not.)
        if context.get("outcomes"):
            record_answers_read(appointment=obj, user=request.user)
        return response

    def outcome_forms(self, obj: Appointment) -> tuple[QuerySet[PreVisit], str]:
        """This visit's episode; for a visit without a form (measures are asked every Nth
        follow-up), the episodes of the patient's other visits: those under the same lead
        and those with the same email, since a patient's bookings after their first visit
        start a new lead (the same rule that finds a follow-up form's episode)."""
        forms = PreVisit.objects.filter(appointment=obj)
        if forms.exists():
            return forms, ""
        same_patient = PreVisit.objects.of_patient(obj.patient_email)
        if obj.lead_id is not None:
            same_patient |= PreVisit.objects.filter(appointment__lead_id=obj.lead_id)
        note = "This visit has no before-visit form; these are the scores of the patient's "
        return same_patient, note + "other visits."


class LeadOutcomes(OutcomesOnChangePage):
    def outcome_forms(self, obj: Lead) -> tuple[QuerySet[PreVisit], str]:
        """The episodes of the lead's visits; when none of them has a form (a later lead of
        a patient whose follow-ups skip the measures), those of the patient's other visits
        by email, as on such a visit's own page."""
        forms = PreVisit.objects.filter(appointment__lead=obj)
        if forms.exists() or not obj.email:
            return forms, ""
        note = "None of these visits has a before-visit form; these are the scores of the "
        return (
            PreVisit.objects.of_patient(obj.email),
            note + "patient's other visits.",
        )


class MeasureItemFormSet(BaseInlineFormSet):
    """A measure needs items to score; one whose items the patient names has exactly one:
    the scale each named activity is rated on."""

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if self.instance.patient_names_items and len(kept) != 1:
            raise ValidationError(
                "Patients name the items of this measure, so it has exactly one item: the "
                f"scale each activity they name is rated on. It has {len(kept)}.",
                code="named_items_need_one_scale",
            )
        if not kept:
            raise ValidationError(
                "Add at least one item: the questions patients answer.", code="no_items"
            )


class MeasureItemInline(admin.StackedInline):
    """Stacked, not tabular: seven columns do not fit beside the menu, and the help text
    under each field is the editor's guide."""

    model = MeasureItem
    formset = MeasureItemFormSet
    fields = (("text", "position"), "key", ("scale_min", "min_label"), ("scale_max", "max_label"))
    extra = 0
    min_num = 1


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("name", "scoring", "mcid_shown", "higher_is_better", "active", "licence_short")
    list_filter = ("active",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = [
        (None, {"fields": ("name", "slug", "instructions", "active", "position")}),
        (
            "Scoring",
            {
                "fields": ("scoring", "higher_is_better", "mcid"),
                "description": "The score's change between visits is compared with the "
                "minimal clinically important difference (MCID); a change of exactly the "
                "MCID counts as important.",
            },
        ),
        (
            "Activities the patient names",
            {
                "fields": ("patient_names_items", "max_items"),
                "description": "For measures like the Patient-Specific Functional Scale, "
                "where patients name the activities they rate.",
            },
        ),
        (
            "Source and licence",
            {
                "fields": ("source", "licence"),
                "description": "Add only instruments the clinic may use: say where it comes "
                "from and the terms the clinic uses it under.",
            },
        ),
    ]
    inlines = [MeasureItemInline]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        if obj is None:
            return ()
        # The site and the answers already given find the measure by its slug. Once
        # patients have answered, their stored scores were worked out one way: scoring it
        # another way would chart old and new scores as if they were comparable.
        if obj.responses.exists():
            return ("slug", "scoring", "patient_names_items")
        return ("slug",)

    def get_prepopulated_fields(self, request: HttpRequest, obj=None) -> dict:
        return {} if obj else self.prepopulated_fields

    @admin.display(description="MCID", ordering="mcid")
    def mcid_shown(self, measure: Measure) -> str:
        return points(measure.mcid)

    @admin.display(description="licence")
    def licence_short(self, measure: Measure) -> str:
        return measure.licence if len(measure.licence) <= 60 else measure.licence[:59] + "…"

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Answers point at the measure; untick "active" to stop asking it.
        return False


@admin.register(MeasureResponse)
class MeasureResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a record of what a patient answered."""

    list_display = ("previsit", "measure", "score_shown", "created_at")
    list_filter = ("measure",)
    list_select_related = ("previsit__appointment", "measure")
    fields = ("previsit", "measure", "answers", "score", "created_at", "updated_at")
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) and can_read_answers(request.user)

    @admin.display(description="score", ordering="score")
    def score_shown(self, response: MeasureResponse) -> str:
        """As the charts print it: 5.5, not 5.50."""
        return "not answered" if response.score is None else points(response.score)
