"""Outcome measures as data: an instrument's items, scales, scoring and the change that
matters clinically, so the clinic can add the instruments it holds a licence for.

A patient's answers to one measure, once, are a MeasureResponse on the before-visit form
(`intake.models.previsit.PreVisit`) of the visit they were given for.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


class Scoring(models.TextChoices):
    SUM = "sum", "Sum of the items"
    MEAN = "mean", "Mean of the items answered"
    PERCENT = "percent", "Percentage of the highest possible sum"


class MeasureQuerySet(models.QuerySet):
    def active(self) -> "MeasureQuerySet":
        return self.filter(active=True)

    def with_items(self) -> "MeasureQuerySet":
        return self.prefetch_related("items")


class Measure(models.Model):
    """A scored questionnaire the clinic repeats to show change, e.g. the Patient-Specific
    Functional Scale or a 0-10 pain rating."""

    name = models.CharField(
        max_length=120, help_text="As patients and clinicians read it, e.g. Pain rating."
    )
    slug = models.SlugField(unique=True, help_text="A short fixed name used by the site.")
    instructions = models.TextField(
        help_text="What the patient reads above the questions, in plain words."
    )
    scoring = models.CharField(
        max_length=10,
        choices=Scoring,
        default=Scoring.MEAN,
        help_text="How the items' answers become one score.",
    )
    higher_is_better = models.BooleanField(
        default=True,
        help_text="Ticked when a higher score means the patient is doing better "
        "(function scales); unticked when lower is better (pain).",
    )
    mcid = models.DecimalField(
        "minimal clinically important difference",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The smallest change in the score that matters to the patient, in the "
        "score's own units, e.g. 2 for a 0-10 scale.",
    )
    patient_names_items = models.BooleanField(
        default=False,
        help_text="Ticked when the patient names the items themselves (the activities of the "
        "Patient-Specific Functional Scale). The measure then has one item: the scale each "
        "named activity is rated on.",
    )
    max_items = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many activities a patient may name (only when they name the items).",
    )
    source = models.TextField(
        blank=True, help_text="Where the instrument comes from: authors, journal, year."
    )
    licence = models.TextField(
        blank=True,
        help_text="The terms the clinic uses it under, e.g. free for clinical use, or the "
        "licence the clinic holds.",
    )
    active = models.BooleanField(
        default=True, help_text="Untick to stop asking it; past answers stay."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers are asked first."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class MeasureItem(models.Model):
    """One question of a measure and the scale it is answered on, e.g. "Your pain right
    now", 0 (no pain) to 10 (worst pain imaginable)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(
        max_length=40, help_text="A short fixed name for this item; answers are stored by it."
    )
    text = models.CharField(max_length=200, help_text="The question as the patient reads it.")
    scale_min = models.SmallIntegerField(default=0, help_text="The lowest answer.")
    scale_max = models.SmallIntegerField(default=10, help_text="The highest answer.")
    min_label = models.CharField(
        max_length=80, help_text="What the lowest answer means, e.g. No pain."
    )
    max_label = models.CharField(
        max_length=80, help_text="What the highest answer means, e.g. Worst pain imaginable."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "key"], name="measureitem_unique_key"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="measureitem_scale_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if (
            self.scale_min is not None
            and self.scale_max is not None
            and self.scale_max <= self.scale_min
        ):
            raise ValidationError(
                {
                    "scale_max": ValidationError(
                        "The highest answer must be above the lowest.", code="scale_order"
                    )
                }
            )


class MeasureResponseQuerySet(models.QuerySet):
    def in_episodes_of(self, forms: models.QuerySet) -> "MeasureResponseQuerySet":
        """Every response of the episodes `forms` (PreVisits) belong to: the first-visit form
        and all its follow-ups, even those booked under a later lead of the same patient.

        An episode is keyed by its first-visit form (a follow-up's `episode`), so a form
        belongs to the episode of itself or of its `episode`; one query with subqueries.
        """
        roots = forms.values("episode")
        return self.filter(
            Q(previsit__in=forms)
            | Q(previsit__in=roots)
            | Q(previsit__episode__in=forms)
            | Q(previsit__episode__in=roots)
        )

    def for_charts(self) -> "MeasureResponseQuerySet":
        """With what a chart reads (the visit, the measure and its items' scales), in visit
        order: two queries however many visits."""
        return (
            self.select_related("measure", "previsit__appointment")
            .prefetch_related("measure__items")
            .order_by("previsit__appointment__start", "measure__position", "measure__pk")
        )


class MeasureResponse(models.Model):
    """A patient's answers to one measure on one before-visit form, and its score.

    `answers` is a list of {"item": key, "label": what was rated, "value": int or null},
    in the order asked; for a measure whose items the patient names, "label" is the
    activity they named. The score is stored so charts and lists need no re-scoring; it is
    empty when no item was answered.
    """

    previsit = models.ForeignKey(
        "intake.PreVisit", on_delete=models.CASCADE, related_name="responses"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(default=list)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureResponseQuerySet.as_manager()

    class Meta:
        ordering = ["previsit", "measure__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["previsit", "measure"], name="measureresponse_one_per_form"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.score if self.score is not None else 'not answered'}"
