from dataclasses import replace
from itertools import pairwise
from typing import cast

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import ForeignKey, QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField, ModelForm
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.text import normalize_newlines
from django.utils.timesince import timesince
from simple_history.admin import SimpleHistoryAdmin

from education.forms import ExerciseForm, GuideForm
from education.history import Restored, exercise_names, plan_restore, restore_parts
from education.models import (
    Category,
    Exercise,
    ExerciseQuerySet,
    Guide,
    GuidePoint,
    PointKind,
    Protocol,
    ProtocolExercise,
    ReviewedQuerySet,
    Status,
    Tip,
    attach_picture,
    attach_video_files,
)
from education.review import mark_reviewed, review_and_publish, reviewer_name
from education.version_changes import changes_by_version


class StaffRequest(HttpRequest):
    """An admin request as the type checker should see it: the admin lets in only
    signed-in staff, so `request.user` is never AnonymousUser."""

    user: User


class PointFormSet(BaseInlineFormSet):
    """Rows of one kind of point: new rows take the kind of the inline they were typed in."""

    kind: str = ""

    def save_new(self, form: ModelForm, commit: bool = True) -> GuidePoint:
        form.instance.kind = self.kind
        return super().save_new(form, commit)


class PointInline(admin.TabularInline):
    """One inline per kind, so signs, reassurances and takeaways are never mixed in a list."""

    model = GuidePoint
    kind: str = ""
    fields = ("order", "text")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[GuidePoint]:
        return super().get_queryset(request).filter(kind=self.kind)

    def get_formset(self, request: HttpRequest, obj: Guide | None = None, **kwargs):
        formset = cast(
            type[PointFormSet], super().get_formset(request, obj, formset=PointFormSet, **kwargs)
        )
        formset.kind = self.kind
        return formset


class SignInline(PointInline):
    kind = PointKind.SIGN
    verbose_name = "sign or symptom"
    verbose_name_plural = "Signs and symptoms (listed under the signs heading)"


class ReassuranceInline(PointInline):
    kind = PointKind.REASSURANCE
    verbose_name = "reassurance note"
    verbose_name_plural = "Reassurance notes (shown after the signs)"


class TakeawayInline(PointInline):
    kind = PointKind.TAKEAWAY
    verbose_name = "key takeaway"
    verbose_name_plural = "Key takeaways (close the guide)"


class TipInline(admin.StackedInline):
    model = Tip
    fields = (("order", "step"), "advice", "explanation")
    extra = 0
    verbose_name_plural = "Tips (under “What can I do about it?”, each with its exercise)"

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs
    ) -> ModelChoiceField | None:
        if db_field.name == "step":
            # Each choice is labelled "Exercise: dose", so fetch the exercises with the steps.
            kwargs["queryset"] = ProtocolExercise.objects.select_related("exercise", "protocol")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReviewDueFilter(admin.SimpleListFilter):
    title = "clinical review"
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("due", "Due"), ("current", "Up to date")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        queryset = cast(ReviewedQuerySet, queryset)  # the admins using this filter give one
        if self.value() == "due":
            return queryset.review_due()
        if self.value() == "current":
            return queryset.exclude(pk__in=queryset.review_due().values("pk"))
        return queryset


class RestorableAdmin(SimpleHistoryAdmin):
    """ "History" lists each saved version; opening one and saving it restores it."""

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, **kwargs):
        # simple-history saves a posted version for anyone who may view it: only those who
        # may change the row may restore one.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        # One transaction, like the change form: a restore is all of it or nothing.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, **kwargs)

    def get_history_queryset(
        self, request: HttpRequest, history_manager, pk_name: str, object_id: str
    ) -> QuerySet:
        # simple-history follows the recorded foreign keys with select_related(*names); for a
        # model with none (a protocol) that empty call drops "history_user", and the list
        # then costs a query per version for who saved it.
        followed = [f.name for f in history_manager.model.tracked_fields if f.many_to_one]
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *followed
        )


def _restored_version_id(request: HttpRequest) -> str | None:
    """The version simple-history's "Revert" form is saving, or None for an ordinary save."""
    match = request.resolver_match
    if match is None or not (match.url_name or "").endswith("_simple_history"):
        return None
    # Its URL pattern is ^(object id)/history/(version id)/$, passed positionally.
    return match.args[1]


def restore_notes(restored: Restored) -> list[str]:
    """What will not be as it was in the version: said on the revert page and after it."""
    steps = [row for row in restored.left_out if isinstance(row, ProtocolExercise)]
    steps += [step for step, _ in restored.kept]
    names = exercise_names({step.exercise_id for step in steps})
    notes = []
    for row in restored.left_out:
        if isinstance(row, Tip):
            notes.append(
                f"The tip “{row.advice}” cannot come back: its exercise is no longer in the "
                "protocol. Restore a version of the protocol that has it, or add the tip again "
                "with another exercise."
            )
        else:
            notes.append(
                f"The step “{names[row.exercise_id]}” cannot come back: that exercise has been "
                "deleted."
            )
    for step, tips in restored.kept:
        uses = "; ".join(
            f"the guide “{tip.guide}” has the tip “{tip.advice}” on it" for tip in tips
        )
        notes.append(
            f"The step “{names[step.exercise_id]}” stays: {uses}. To take the step out, give "
            "the tip another exercise first."
        )
    return notes


class PartsHistoryAdmin(RestorableAdmin):
    """A guide's or protocol's history, with its parts (education/history.py).

    Each version in the list also says what changed in its parts; the revert page lists the
    parts that come back, and reverting brings them back in the same transaction.
    """

    parts_noun = ""  # "steps": what restoring brings back besides the row's own fields
    object_history_list_template = "admin/education/object_history_list.html"

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, **kwargs):
        if not (object_id.isdigit() and version_id.isdigit()):
            raise Http404
        version = get_object_or_404(self.model.history, id=object_id, history_id=version_id)
        restored = plan_restore(owner=version.instance, version=version)
        extra_context = {
            "restore": restored,
            "version_parts": restored.parts,
            "restore_notes": restore_notes(restored),
            "parts_noun": self.parts_noun,
            **(kwargs.pop("extra_context", None) or {}),
        }
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context, **kwargs
        )

    def save_model(self, request: HttpRequest, obj: Guide | Protocol, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if version_id := _restored_version_id(request):
            version = self.model.history.get(id=obj.pk, history_id=version_id)
            self._report(request, version, restore_parts(owner=obj, version=version))

    def _report(self, request: HttpRequest, version, restored: Restored) -> None:
        if not restored.parts_known:
            self.message_user(
                request,
                f"Its {self.parts_noun} are unchanged: that version is older than their history.",
                messages.WARNING,
            )
            return
        when = date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
        self.message_user(  # no full stop: the time ends with one ("9:30 a.m.")
            request, f"The {self.parts_noun} are back as they were in the version saved {when}"
        )
        for note in restore_notes(restored):
            self.message_user(request, note, messages.WARNING)

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records, foreign_keys_are_objs: bool = True
    ) -> None:
        """Each version's changes: simple-history's diff of its fields, then those of its parts.

        A guide's categories are described with its parts: simple-history's own diff would
        read them one version early (models.GuideHistory), with two queries a version.
        """
        related = [field.name for field in self.model._meta.many_to_many]
        records = list(historical_records)
        for newer, older in pairwise(records):
            delta = newer.diff_against(
                older, excluded_fields=related, foreign_keys_are_objs=foreign_keys_are_objs
            )
            # Text that only gained or lost line ends or spaces at its ends reads the same.
            changes = [c for c in delta.changes if as_saved(c.old) != as_saved(c.new)]
            delta = replace(delta, changes=changes, changed_fields=[c.field for c in changes])
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)
        if records:
            by_version = changes_by_version(self.model, records[0].id)
            for record in records:
                record.part_changes = by_version.get(record.history_id, [])


def as_saved(value: object) -> object:
    """Text as the admin form and Content.save keep it: no spaces at its ends, LF line ends."""
    return normalize_newlines(value).strip() if isinstance(value, str) else value


def _edited(form: ModelForm) -> bool:
    """Whether saving changes what patients read; text that only lost stray spaces does not."""
    if not form.instance.pk or getattr(form, "cleaned_data", {}).get("DELETE"):
        return form.has_changed() or "DELETE" in form.changed_data
    return any(
        as_saved(form.cleaned_data.get(name)) != as_saved(form.initial.get(name))
        for name in form.changed_data
    )


class ReviewedAdmin(admin.ModelAdmin):
    """A clinician marks rows reviewed; the list shows how old each review is and flags due ones.

    Saving an edit of what patients read flags the row as changed since its review.
    """

    actions = ["mark_reviewed"]

    @admin.action(description="Mark as clinically reviewed (by you, today)", permissions=["change"])
    def mark_reviewed(self, request: StaffRequest, queryset: ReviewedQuerySet) -> None:
        count = mark_reviewed(rows=queryset, by=request.user)
        self.message_user(request, f"Marked {count} as reviewed by {reviewer_name(request.user)}.")

    @admin.display(description="Last review")
    def review_age(self, row: Guide | Protocol | Exercise) -> str:
        if row.reviewed_on is None:
            return "Due: never reviewed"
        age = f"{timesince(row.reviewed_on, timezone.localdate()).split(',')[0]} ago"
        if row.changed_since_review:
            return f"Due: changed since its review {age}"
        return f"Due: reviewed {age}" if row.review_due() else age

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        # What patients read has changed.
        if change and (_restored_version_id(request) or _edited(form)):
            obj.changed_since_review = True
        super().save_model(request, obj, form, change)


class ClinicalReviewAdmin(ReviewedAdmin, PartsHistoryAdmin):
    """Clinical review of a guide or protocol, whose parts count as edits of it too.

    "History" lists every saved version; opening one and saving restores it, through the
    same save as an edit (so the public see it at once and it is flagged for review).
    """

    def save_related(self, request: HttpRequest, form: ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        edited = any(_edited(f) for formset in formsets for f in formset.forms)
        if change and edited and not form.instance.changed_since_review:
            type(form.instance).objects.filter(pk=form.instance.pk).update(
                changed_since_review=True
            )


@admin.register(Guide)
class GuideAdmin(ClinicalReviewAdmin):
    form = GuideForm
    list_display = ("title", "publication", "condition", "protocol", "review_age", "updated_at")
    list_filter = ("status", ReviewDueFilter)
    list_select_related = ("protocol",)
    search_fields = ("title", "condition", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    # Categories are ticked (GuideForm): a clinic has a dozen, and the two-list picker is
    # neither labelled for screen readers (axe) nor usable without JavaScript.
    # In the order patients read them.
    inlines = [SignInline, ReassuranceInline, TipInline, TakeawayInline]
    readonly_fields = ("headings", "reviewed_by", "reviewed_on")
    fieldsets = [
        (None, {"fields": ("title", "slug", "status", "publish_at", "condition", "summary")}),
        ("Topics", {"fields": ("categories",)}),
        ("Content", {"fields": ("body", "headings", "signs_heading", "tips_intro", "protocol")}),
        ("Clinical review", {"fields": ("reviewed_by", "reviewed_on")}),
        ("Search engines", {"fields": ("seo_title", "seo_description")}),
    ]

    class Media:
        # Drag to reorder signs, notes, takeaways and tips; typing positions still works.
        js = ("js/admin_reorder.js",)

    # The revert page also lists the categories, signs, reassurances, takeaways and tips
    # coming back.
    object_history_form_template = "admin/education/guide/object_history_form.html"
    parts_noun = "signs, reassurances, takeaways and tips"

    def _report(self, request: HttpRequest, version, restored: Restored) -> None:
        super()._report(request, version, restored)
        if restored.parts.categories is None:  # the form kept today's (GuideForm)
            self.message_user(
                request,
                "Its categories are the ones chosen under Topics: that version is older than "
                "their history.",
                messages.WARNING,
            )

    @admin.display(description="Patients see it", ordering="status")
    def publication(self, guide: Guide) -> str:
        if guide.status != Status.PUBLISHED:
            return "No: draft"
        if not guide.is_published:
            return f"From {date_format(timezone.localtime(guide.publish_at), 'DATETIME_FORMAT')}"
        return "Yes"

    @admin.display(description="Headings patients see")
    def headings(self, guide: Guide) -> str:
        """The page's outline, from the saved body, so an editor checks the questions read well."""
        outline = guide.outline()
        if not outline:
            return "(none yet: start a section with ## and a question)"
        indent = {2: "", 3: "\u2003\u21b3 ", 4: "\u2003\u2003\u21b3 "}
        return format_html_join("", "<div>{}{}</div>", ((indent[n], text) for n, text in outline))

    def save_related(self, request: HttpRequest, form: ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.renumber_parts()


class ExerciseReviewFilter(ReviewDueFilter):
    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("awaiting", "Awaiting clinical review (drafts)"),
            *super().lookups(request, model_admin),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "awaiting" and isinstance(queryset, ExerciseQuerySet):
            return queryset.awaiting_review()
        return super().queryset(request, queryset)


@admin.register(Exercise)
class ExerciseAdmin(ReviewedAdmin, RestorableAdmin):
    """Exercises, drafts first among equals: a clinician reviews and publishes each one.

    Publishing (by the action, or by setting the status to Published and saving) records
    the clinician who did it as the reviewer: nothing reaches patients unsigned.
    """

    form = ExerciseForm
    list_display = ("name", "publication", "equipment", "review_age", "updated_at")
    list_filter = ("status", ExerciseReviewFilter)
    search_fields = ("name", "summary", "purpose", "steps", "cues")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("reviewed_by", "reviewed_on")
    actions = ["review_and_publish", "mark_reviewed"]
    fieldsets = [
        (None, {"fields": ("name", "slug", "status", "summary")}),
        ("How to do it", {"fields": ("purpose", "equipment", "setup", "steps", "cues")}),
        ("Safety", {"fields": ("precautions",)}),
        ("Image", {"fields": ("image", "image_alt")}),
        (
            "Video (optional)",
            {
                "fields": ("video", "video_poster", "video_captions", "video_transcript"),
                "description": "A short video plays on the exercise page, with its captions "
                "and, under it, the text of what it shows. Choose the files again if the "
                "form comes back with an error.",
            },
        ),
        ("Clinical review", {"fields": ("reviewed_by", "reviewed_on")}),
    ]

    @admin.action(description="Review and publish (by you, today)", permissions=["change"])
    def review_and_publish(self, request: StaffRequest, queryset: ExerciseQuerySet) -> None:
        count = review_and_publish(rows=queryset, by=request.user)
        self.message_user(
            request,
            f"Published {count}, reviewed by {reviewer_name(request.user)}: patients see "
            f"{'it' if count == 1 else 'them'} now.",
        )

    @admin.display(description="Patients see it", ordering="status")
    def publication(self, exercise: Exercise) -> str:
        if exercise.is_published:
            return "Yes"
        if exercise.reviewed_on is None or exercise.changed_since_review:
            return "No: draft, awaiting clinical review"
        return "No: draft"

    def save_model(
        self, request: HttpRequest, obj: Exercise, form: ModelForm, change: bool
    ) -> None:
        if "image" in form.changed_data:
            attach_picture(exercise=obj, upload=form.cleaned_data["image"])
        video_files = ("video", "video_poster", "video_captions")
        if changed := [name for name in video_files if name in form.changed_data]:
            uploads = {name: form.cleaned_data[name] or None for name in changed}
            attach_video_files(exercise=obj, uploads=uploads)
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data and obj.is_published:
            # Only signed-in staff reach the admin's save.
            assert isinstance(request.user, User)
            review_and_publish(rows=Exercise.objects.filter(pk=obj.pk), by=request.user)


class ProtocolExerciseInline(admin.StackedInline):
    model = ProtocolExercise
    fields = (
        ("exercise", "order"),
        ("sets_min", "sets_max"),
        ("reps_min", "reps_max", "to_fatigue"),
        ("hold_seconds", "per_side"),
        ("frequency_min", "frequency_max"),
        ("variation", "variation_reason"),
        "dose_preview",
    )
    readonly_fields = ("dose_preview",)
    autocomplete_fields = ("exercise",)
    extra = 0

    @admin.display(description="Patients read")
    def dose_preview(self, step: ProtocolExercise) -> str:
        if step.pk is None:
            return "(shown after saving)"
        return ". ".join(filter(None, (step.dose_text(), step.variation_text())))


@admin.register(Protocol)
class ProtocolAdmin(ClinicalReviewAdmin):
    list_display = ("title", "status", "review_age", "updated_at")
    list_filter = ("status", ReviewDueFilter)
    readonly_fields = ("reviewed_by", "reviewed_on")
    search_fields = ("title", "summary", "steps__exercise__name")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ProtocolExerciseInline]
    # The revert page also lists the steps coming back.
    object_history_form_template = "admin/education/protocol/object_history_form.html"
    parts_noun = "steps"
    fields = ("title", "slug", "status", "summary", "instructions", "reviewed_by", "reviewed_on")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind")
