"""Admin for self-checks: clinicians edit questions, answers and rules, then test them."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from intake import selfcheck, times
from intake.admin.read_only import ReadOnlyAdminMixin
from intake.admin.staff_request import StaffRequest
from intake.forms.selfcheck import StepForm
from intake.models import Choice, OutcomeRule, OutcomeTally, Question, Questionnaire
from intake.models.selfcheck import OutcomeRuleQuerySet, split_codes
from intake.triage import triage, visible_answers

SHORT_TEXT: dict[type[models.Field], dict[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 50})}
}


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("step", "order", "step_title", "key", "text", "kind")
    extra = 0
    show_change_link = True  # help text, follow-up conditions and choices are edited there


class OutcomeRuleInline(admin.TabularInline):
    model = OutcomeRule
    fields = (
        "outcome",
        "order",
        "name",
        "same_day",
        "any_flags",
        "any_at_least",
        "all_flags",
        "pain_at_least",
        "explanation",
    )
    extra = 0
    show_change_link = True  # links are edited there
    formfield_overrides = SHORT_TEXT

    def get_queryset(self, request: HttpRequest) -> OutcomeRuleQuerySet:
        return cast(OutcomeRuleQuerySet, super().get_queryset(request)).in_priority_order()


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Self-checks, and the safety questions each body area gets before a first visit.
    Safety questions are asked as soon as they exist; a clinician's sign-off records who
    vouched for the clinical wording, and when."""

    list_display = ("title", "slug", "published", "safety_area", "clinical_sign_off")
    list_filter = ("published", "safety_area")
    list_select_related = ("signed_off_by",)
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title",)
    fields = ("title", "slug", "intro", "published", "safety_area", "clinical_sign_off")
    readonly_fields = ("clinical_sign_off",)
    inlines = [QuestionInline, OutcomeRuleInline]
    actions = ["sign_off"]

    @admin.display(description="Clinical sign-off")
    def clinical_sign_off(self, questionnaire: Questionnaire) -> str:
        if questionnaire.signed_off_at is None:
            return "Awaiting clinical sign-off"
        who = questionnaire.signed_off_by
        name = (who.get_full_name() or who.get_username()) if who else "a former staff member"
        return f"Signed off by {name} on {times.when(questionnaire.signed_off_at)}"

    @admin.action(description="Record clinical sign-off (by you, now)", permissions=["change"])
    def sign_off(self, request: StaffRequest, queryset) -> None:
        now = timezone.now()
        count = selfcheck.record_sign_off(questionnaires=queryset, by=request.user, now=now)
        self.message_user(request, f"Signed off {count} questionnaire{pluralize(count)}.")

    def get_urls(self):
        test = path(
            "<path:object_id>/test/",
            self.admin_site.admin_view(self.test_view),
            name="intake_questionnaire_test",
        )
        return [test, *super().get_urls()]

    def test_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A clinician picks answers and sees the outcome and the rule that fired."""
        questionnaire = get_object_or_404(Questionnaire.objects.with_content(), pk=object_id)
        if not self.has_view_permission(request, questionnaire):
            raise PermissionDenied
        spec = selfcheck.load_spec(questionnaire)
        data = request.POST if request.method == "POST" else None
        form = StepForm(data, questions=spec.questions, required=False)
        result, asked = _try_answers(spec, form)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": questionnaire,
            "title": f"Test {questionnaire.title}",
            "steps": _steps_for_test(spec, form, asked),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/intake/questionnaire/test.html", context)


def _try_answers(spec, form: StepForm) -> tuple:
    """The outcome the picked answers reach and the answers that counted; (None, None)
    before anything is picked."""
    if not (form.is_bound and form.is_valid()):
        return None, None
    answers = form.answers()
    result = triage(questions=spec.questions, rules=spec.rules, answers=answers)
    return result, visible_answers(questions=spec.questions, answers=answers)


def _steps_for_test(spec, form, asked) -> list[dict]:
    """Questions by step, each with when it is asked and whether its answer counted."""
    texts = {q.key: q.text for q in spec.questions}
    steps = []
    for number in spec.steps:
        rows = []
        for question in (q for q in spec.questions if q.step == number):
            condition = ""
            if question.show_if_key:
                values = ", ".join(sorted(question.show_if_values))
                condition = f"Asked only when “{texts[question.show_if_key]}” is {values}."
            ignored = (
                asked is not None
                and question.key not in asked
                and bool(form.cleaned_data.get(question.key))
            )
            rows.append({"field": form[question.key], "condition": condition, "ignored": ignored})
        steps.append({"number": number, "title": selfcheck.step_title(spec, number), "rows": rows})
    return steps


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ("order", "label", "value", "flags", "red_flag")
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "questionnaire", "step", "order", "kind")
    list_filter = ("questionnaire", "kind")
    list_select_related = ("questionnaire",)
    search_fields = ("text", "key")
    fields = (
        "questionnaire",
        "step",
        "order",
        "step_title",
        "key",
        "text",
        "help_text",
        "kind",
        "show_if_question",
        "show_if_values",
    )
    inlines = [ChoiceInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        object_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "show_if_question" and object_id:
            # Only questions of the same questionnaire can decide whether this one is asked.
            kwargs["queryset"] = Question.objects.filter(questionnaire__questions__pk=object_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(OutcomeRule)
class OutcomeRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "outcome", "order", "questionnaire")
    list_filter = ("questionnaire", "outcome")
    list_select_related = ("questionnaire",)
    search_fields = ("name", "any_flags", "all_flags")
    readonly_fields = ("flags_you_can_use",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 8})}}
    fieldsets = [
        (None, {"fields": ("questionnaire", "outcome", "order", "name", "same_day")}),
        (
            "When it matches (every condition given must hold)",
            {"fields": ("any_flags", "any_at_least", "all_flags", "pain_at_least")},
        ),
        ("Flags", {"fields": ("flags_you_can_use",)}),
        (
            "What the patient reads",
            {
                "fields": (
                    "explanation",
                    "guide",
                    "guide_label",
                    "protocol",
                    "protocol_label",
                )
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> OutcomeRuleQuerySet:
        return cast(OutcomeRuleQuerySet, super().get_queryset(request)).in_priority_order()

    @admin.display(description="Flags you can use")
    def flags_you_can_use(self, rule: OutcomeRule) -> str:
        """Each flag code of the questionnaire and the answers that raise it."""
        if not rule.questionnaire_id:
            return "Save the rule once to see the flags of its questionnaire."
        raised_by: dict[str, list[str]] = {}
        choices = Choice.objects.filter(question__questionnaire_id=rule.questionnaire_id)
        for choice in choices.select_related("question").exclude(flags=""):
            for code in split_codes(choice.flags):
                raised_by.setdefault(code, []).append(f"{choice.question.key} = {choice.value}")
        return "; ".join(f"{code} ({', '.join(by)})" for code, by in sorted(raised_by.items()))


@admin.register(OutcomeTally)
class OutcomeTallyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Anonymous counts per day: read only, written by the self-check itself."""

    list_display = ("day", "questionnaire", "outcome", "count")
    list_filter = ("questionnaire", "outcome")
    list_select_related = ("questionnaire",)
    date_hierarchy = "day"
