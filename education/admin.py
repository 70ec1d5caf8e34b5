from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from education.models import Exercise, Guide, GuidePoint, Protocol, ProtocolExercise, Tip


class GuidePointInline(admin.TabularInline):
    model = GuidePoint
    fields = ("kind", "order", "text")
    extra = 0


class TipInline(admin.StackedInline):
    model = Tip
    fields = (("order", "step"), "advice", "explanation")
    extra = 0

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs
    ) -> ModelChoiceField:
        if db_field.name == "step":
            # Each choice is labelled "Exercise: dose", so fetch the exercises with the steps.
            kwargs["queryset"] = ProtocolExercise.objects.select_related("exercise", "protocol")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "condition", "protocol", "reviewed_on", "updated_at")
    list_filter = ("status", "reviewed_on")
    list_select_related = ("protocol",)
    search_fields = ("title", "condition", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [GuidePointInline, TipInline]
    fieldsets = [
        (None, {"fields": ("title", "slug", "status", "condition", "summary")}),
        ("Content", {"fields": ("body", "signs_heading", "tips_intro", "protocol")}),
        ("Clinical review", {"fields": ("reviewed_by", "reviewed_on")}),
        ("Search engines", {"fields": ("seo_title", "seo_description")}),
    ]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "equipment", "updated_at")
    list_filter = ("status",)
    search_fields = ("name", "summary", "purpose", "steps", "cues")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = [
        (None, {"fields": ("name", "slug", "status", "summary")}),
        ("How to do it", {"fields": ("purpose", "equipment", "setup", "steps", "cues")}),
        ("Safety", {"fields": ("precautions",)}),
        ("Image", {"fields": ("image", "image_alt")}),
    ]


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
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "reviewed_on", "updated_at")
    list_filter = ("status", "reviewed_on")
    search_fields = ("title", "summary", "steps__exercise__name")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ProtocolExerciseInline]
    fields = ("title", "slug", "status", "summary", "instructions", "reviewed_by", "reviewed_on")
