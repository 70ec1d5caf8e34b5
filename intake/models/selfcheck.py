"""Self-check questionnaires that clinicians edit in the admin, and their anonymous tallies.

The rows here are content, not patient data: a patient's answers never touch the
database (they travel between steps in a signed form field). `intake.selfcheck`
turns these rows into the plain dataclasses that `intake.triage` decides on.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import connections, models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

flag_codes = RegexValidator(
    r"^[a-z0-9_]+(\s*,\s*[a-z0-9_]+)*$",
    "Use lower-case codes with underscores, separated by commas, like calf_pain, fever.",
    "flag_codes",
)


def split_codes(text: str) -> list[str]:
    """ "calf_pain, fever" -> ["calf_pain", "fever"]."""
    return [code.strip() for code in text.split(",") if code.strip()]


class TriageOutcome(models.TextChoices):
    """Self-check outcomes, most urgent first: the order triage evaluates them in."""

    EMERGENCY = "emergency", "Emergency: call 911 or go to an emergency department"
    SEE_DOCTOR = "see_doctor", "See a doctor first"
    PATELLOFEMORAL = "patellofemoral", "Consistent with patellofemoral pain"
    BOOK_EVALUATION = "book_evaluation", "Book an evaluation"


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    SINGLE = "single", "One choice"
    MULTIPLE = "multiple", "Several choices (tick all that apply)"
    PAIN_SCALE = "pain_scale", "Pain scale 0-10"


YES_NO_DEFAULT = (("yes", "Yes"), ("no", "No"))


class RedFlag(models.TextChoices):
    """How urgent one answer is on its own: the least urgent outcome it may ever get."""

    NONE = "", "Not a red flag"
    EMERGENCY = TriageOutcome.EMERGENCY.value, "Emergency"
    SEE_DOCTOR = TriageOutcome.SEE_DOCTOR.value, "See a doctor first"


class SafetyArea(models.TextChoices):
    """Which patients a questionnaire's red-flag questions are asked of before a first visit:
    everyone (general screening), or those who name this body area."""

    NONE = "", "Not asked before a visit"
    GENERAL = "general", "Everyone (general health screening)"
    KNEE = "knee", "Knee"
    HIP = "hip", "Hip or groin"
    LOW_BACK = "low_back", "Low back"
    NECK = "neck", "Neck or upper back"
    SHOULDER = "shoulder", "Shoulder"
    ELBOW_HAND = "elbow_hand", "Elbow, wrist or hand"
    ANKLE_FOOT = "ankle_foot", "Ankle or foot"


class QuestionnaireQuerySet(models.QuerySet):
    def published(self) -> "QuestionnaireQuerySet":
        return self.filter(published=True)

    def asked_before_visit(self, areas: "Iterable[str]") -> "QuestionnaireQuerySet":
        """The general screening and the sets of these body areas, each once, whether or
        not signed off: a question awaiting sign-off is safer than none."""
        wanted = {SafetyArea.GENERAL, *(area for area in areas if area in SafetyArea.values)}
        wanted.discard(SafetyArea.NONE)
        return self.filter(safety_area__in=wanted)

    def with_content(self) -> "QuestionnaireQuerySet":
        """Questions with their choices, and rules: the whole self-check in four queries."""
        return self.prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("show_if_question").prefetch_related(
                    "choices"
                ),
            ),
            Prefetch("rules", queryset=OutcomeRule.objects.select_related("guide", "protocol")),
        )


class Questionnaire(models.Model):
    """A self-check: questions asked a few at a time, and rules that turn answers into advice."""

    title = models.CharField(
        max_length=120, help_text="Shown to patients, e.g. Runner's knee self-check."
    )
    slug = models.SlugField(unique=True, help_text="Its web address: /check/<slug>/.")
    intro = models.TextField(
        help_text="What the check is for and what it is not, shown before the first question."
    )
    published = models.BooleanField(
        default=False,
        help_text="Only published self-checks are listed for patients at /check/. The safety "
        "questions of a body area are asked in the before-visit form either way.",
    )
    safety_area = models.CharField(
        max_length=20,
        choices=SafetyArea,
        blank=True,
        help_text="Ask its red-flag questions in the before-your-first-visit form: of every "
        "patient (general screening), or of patients who name this body area.",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The clinician who signed off the questions' clinical wording.",
    )
    signed_off_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the wording was signed off."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("intake:selfcheck_start", args=[self.slug])


class Question(models.Model):
    """One question of a self-check, asked on a numbered step with the others of that step."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Questions are asked in this order (lowest first)."
    )
    step = models.PositiveSmallIntegerField(
        default=1,
        help_text="Questions with the same step number are asked together on one page.",
    )
    step_title = models.CharField(
        max_length=120,
        blank=True,
        help_text="Heading of this question's page; the step's first question with one is used.",
    )
    key = models.SlugField(
        max_length=40,
        help_text="A short code for this question, unique in the questionnaire, e.g. calf_pain. "
        "Changing it restarts any patient who is part way through.",
    )
    text = models.CharField(max_length=300, help_text="The question, in plain words.")
    help_text = models.CharField(
        max_length=300, blank=True, help_text="Optional hint shown under the question."
    )
    kind = models.CharField(
        max_length=20,
        choices=QuestionKind,
        default=QuestionKind.YES_NO,
        help_text="Yes/no, one choice, several choices, or a 0-10 pain scale (which needs no "
        "choices). A yes/no question with no choices gets Yes and No.",
    )
    show_if_question = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text="Ask this only when the answer to this earlier question (on an earlier step) "
        "is one of the values below.",
    )
    show_if_values = models.CharField(
        max_length=200,
        blank=True,
        validators=[flag_codes],
        help_text="Choice values of that earlier question, separated by commas, e.g. yes.",
    )

    class Meta:
        ordering = ["step", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], name="intake_question_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        earlier = self.show_if_question
        if earlier is None:
            if self.show_if_values:
                raise ValidationError(
                    {"show_if_question": "Pick the question these values belong to."},
                    code="show_if_without_question",
                )
            return
        if earlier.questionnaire_id != self.questionnaire_id or earlier.step >= self.step:
            raise ValidationError(
                {"show_if_question": "Pick a question of this questionnaire on an earlier step."},
                code="show_if_not_earlier",
            )
        known = {choice.value for choice in earlier.choices.all()}
        if earlier.kind == QuestionKind.YES_NO and not known:
            known = {value for value, _ in YES_NO_DEFAULT}
        unknown = set(split_codes(self.show_if_values)) - known
        if not self.show_if_values or unknown:
            allowed = ", ".join(sorted(known))
            raise ValidationError(
                {"show_if_values": f"Use values of that question's choices: {allowed}."},
                code="show_if_unknown_value",
            )


class Choice(models.Model):
    """One answer a patient can pick, and the flags it raises for the rules."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(default=0, help_text="Choices are listed in this order.")
    label = models.CharField(max_length=200, help_text="What the patient reads, e.g. Yes.")
    value = models.SlugField(
        max_length=40, help_text="A short code for this answer, unique in the question, e.g. yes."
    )
    flags = models.CharField(
        max_length=200,
        blank=True,
        validators=[flag_codes],
        help_text="Flag codes this answer raises, separated by commas, e.g. calf_pain. Rules "
        "test these codes.",
    )
    red_flag = models.CharField(
        max_length=20,
        choices=RedFlag,
        blank=True,
        help_text="A safety net under the rules: when this answer alone means a doctor or an "
        "emergency, the result is never less urgent than this, whatever the rules say.",
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "value"], name="intake_choice_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class OutcomeRuleQuerySet(models.QuerySet):
    def in_priority_order(self) -> "OutcomeRuleQuerySet":
        """The order triage tries rules in: most urgent outcome first, then `order`."""
        priority = models.Case(
            *(
                models.When(outcome=outcome, then=index)
                for index, outcome in enumerate(TriageOutcome)
            ),
            output_field=models.IntegerField(),
        )
        return self.order_by("questionnaire", priority, "order", "pk")


class OutcomeRule(models.Model):
    """A rule that gives an outcome when its conditions on the answers' flags all hold.

    Rules are tried most urgent outcome first (Emergency, See a doctor first,
    Patellofemoral, Book an evaluation), by `order` within an outcome; the first
    that matches decides, and the patient sees its explanation.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="rules")
    outcome = models.CharField(
        max_length=20,
        choices=TriageOutcome,
        help_text="What the patient is told to do when this rule matches.",
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Order among rules of the same outcome (lowest tried first)."
    )
    name = models.CharField(
        max_length=200,
        help_text="Names the rule for staff, e.g. Calf pain or swelling, or the clinical "
        "reference's ID (G-E1, LB-D2...) and a few words.",
    )
    same_day = models.BooleanField(
        default=False,
        help_text="For See a doctor first: the doctor should see them the same day, not "
        "just this week.",
    )
    any_flags = models.CharField(
        max_length=300,
        blank=True,
        validators=[flag_codes],
        help_text="Matches when at least the number below of these flags are raised "
        "(codes separated by commas).",
    )
    any_at_least = models.PositiveSmallIntegerField(
        default=1, help_text="How many of the flags above must be raised (usually 1)."
    )
    all_flags = models.CharField(
        max_length=300,
        blank=True,
        validators=[flag_codes],
        help_text="Matches only when every one of these flags is raised.",
    )
    pain_at_least = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text="Matches only when a 0-10 pain answer is at least this.",
    )
    explanation = models.TextField(
        help_text="What the patient reads: what this means and what to do next, in plain words."
    )
    # Links are foreign keys, not typed paths, so renaming a guide's or protocol's
    # slug (or its URL pattern) never breaks a result page.
    guide = models.ForeignKey(
        "education.Guide",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Optional guide to point the patient to.",
    )
    guide_label = models.CharField(
        max_length=100, blank=True, help_text="The guide link's text, e.g. “Read our guide”."
    )
    protocol = models.ForeignKey(
        "education.Protocol",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Optional home exercise plan to point the patient to.",
    )
    protocol_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="The exercise plan link's text, e.g. “See the home exercise plan”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutcomeRuleQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "outcome", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pain_at_least__lte=10), name="intake_rule_pain_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.name}"

    def clean(self) -> None:
        if not (self.any_flags or self.all_flags or self.pain_at_least is not None):
            raise ValidationError(
                "Give the rule at least one condition: flags or a pain level.", code="no_condition"
            )
        any_flags = split_codes(self.any_flags)
        if any_flags and self.any_at_least > len(any_flags):
            raise ValidationError(
                {"any_at_least": f"There are only {len(any_flags)} flags in the list."},
                code="too_many_required",
            )
        for target, label in [("guide_id", "guide_label"), ("protocol_id", "protocol_label")]:
            if bool(getattr(self, target)) != bool(getattr(self, label)):
                raise ValidationError(
                    {label: "Give a link both a page and its text."}, code="link_incomplete"
                )
        if self.questionnaire_id:
            self._check_flags_exist()

    def _check_flags_exist(self) -> None:
        """A misspelt flag would make the rule silently never match."""
        known = set()
        for flags in Choice.objects.filter(
            question__questionnaire_id=self.questionnaire_id
        ).values_list("flags", flat=True):
            known.update(split_codes(flags))
        for field in ("any_flags", "all_flags"):
            unknown = set(split_codes(getattr(self, field))) - known
            if unknown:
                raise ValidationError(
                    {field: f"No answer raises: {', '.join(sorted(unknown))}."},
                    code="unknown_flag",
                )


class OutcomeTallyQuerySet(models.QuerySet):
    def bump(self, *, questionnaire: Questionnaire, outcome: str, day: date | None = None) -> None:
        """Count one more result, in one atomic upsert: safe when patients finish at once."""
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (questionnaire_id, outcome, day, count) "  # noqa: S608
                "VALUES (%s, %s, %s, 1) ON CONFLICT (questionnaire_id, outcome, day) "
                f"DO UPDATE SET count = {table}.count + 1",
                [questionnaire.pk, outcome, day or timezone.localdate()],
            )


class OutcomeTally(models.Model):
    """How many people reached an outcome on a day: no answers, nothing about who they are."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="tallies"
    )
    outcome = models.CharField(max_length=20, choices=TriageOutcome)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    objects = OutcomeTallyQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "questionnaire", "outcome"]
        verbose_name_plural = "outcome tallies"
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "outcome", "day"], name="intake_tally_one_row_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.get_outcome_display()} × {self.count}"
