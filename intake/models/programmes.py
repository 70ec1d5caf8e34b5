"""Home exercise programmes: one patient's own list of the clinic's exercises, with a dose
for each, behind one private link for the programme's whole life.

Built from education's exercises (education never learns about programmes). The rows
a patient reads now are `ProgrammeExercise`; every saved version is also kept whole in
`ProgrammeVersion.snapshot` (who, when, what changed), so a clinician can see what the
patient was doing on any date and adherence counts each day at that day's dose.

Everything a patient logs (pain, effort, notes, skipped exercises) is health data:
shown only to staff who may read the intake answers, never in emails, logs or URLs.
"""

import base64
import hashlib
import secrets
from datetime import date, datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from education.models import Exercise, PerSide
from intake.adherence import PlanPeriod
from intake.models.booking import Appointment
from intake.models.leads import Lead
from intake.times import clinic_zone


def hash_programme_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def derive_programme_token(secret: str) -> str:
    """The token in the patient's link, derived again for every email from the row's
    secret and SECRET_KEY; only its hash is looked up (as the appointment manage link)."""
    digest = salted_hmac("intake.programme.link", secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Per(models.TextChoices):
    DAY = "day", "a day"
    WEEK = "week", "a week"


class ProgrammeQuerySet(models.QuerySet):
    def by_token(self, token: str) -> "ProgrammeQuerySet":
        return self.filter(token_hash=hash_programme_token(token))

    def active(self) -> "ProgrammeQuerySet":
        return self.filter(status=ProgrammeStatus.ACTIVE)

    def of_appointment(self, appointment: Appointment) -> "ProgrammeQuerySet":
        """The programmes of the appointment's patient: started from this visit, from its
        lead, or from another visit booked with the same email."""
        same = Q(appointment=appointment) | Q(patient_email__iexact=appointment.patient_email)
        if appointment.lead_id is not None:
            same |= Q(lead_id=appointment.lead_id)
        return self.filter(same)

    def of_lead(self, lead: Lead) -> "ProgrammeQuerySet":
        same = Q(lead=lead) | Q(appointment__lead=lead)
        if lead.email:
            same |= Q(patient_email__iexact=lead.email)
        return self.filter(same)

    def with_page_content(self) -> "ProgrammeQuerySet":
        """The programme, its exercises in order with each exercise's text, and its
        versions' dates: what the patient's page and the clinician's section read."""
        return self.prefetch_related(
            models.Prefetch(
                "exercises", queryset=ProgrammeExercise.objects.select_related("exercise")
            ),
            models.Prefetch(
                "versions",
                queryset=ProgrammeVersion.objects.only(
                    "programme", "number", "created_at", "days_per_week"
                ),
            ),
        )

    def with_clinician_content(self) -> "ProgrammeQuerySet":
        """What a clinician's section shows: exercises, versions (whole, with what each
        changed) and every session, in four queries however many programmes."""
        return self.prefetch_related(
            models.Prefetch(
                "exercises", queryset=ProgrammeExercise.objects.select_related("exercise")
            ),
            "versions",
            "sessions",
        ).select_related("created_by")

    def reminder_candidates(self) -> "ProgrammeQuerySet":
        """Active programmes whose patient asked for reminders."""
        return self.active().filter(reminder_time__isnull=False)


class Programme(models.Model):
    """One patient's home exercise programme: the exercises and doses a clinician gave,
    the current version of which the patient always reads at the same private link."""

    lead = models.ForeignKey(
        Lead,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programmes",
        help_text="The patient's lead; the programme is purged with it.",
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes",
        help_text="The visit it was given at.",
    )
    patient_name = models.CharField(max_length=120, help_text="As in the emails.")
    patient_email = models.EmailField(help_text="Where the link and reminders go.")
    status = models.CharField(
        max_length=10, choices=ProgrammeStatus, default=ProgrammeStatus.ACTIVE
    )
    note = models.TextField(
        blank=True, help_text="For the whole programme, as the patient reads it. Plain text."
    )
    secret = models.CharField(
        max_length=64, editable=False, help_text="Random; with the site's key it gives the link."
    )
    token_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the patient's private link; the link itself is not stored.",
    )
    started_on = models.DateField(help_text="The clinic's date it was first sent.")
    ended_on = models.DateField(null=True, blank=True, help_text="The date it was ended.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    flags_seen_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a clinician last marked its flags seen: flags count what came after.",
    )
    reminder_time = models.TimeField(
        null=True,
        blank=True,
        help_text="The clinic time the patient asked for a reminder on planned days; "
        "empty: no reminders (the default).",
    )
    reminded_on = models.DateField(
        null=True,
        blank=True,
        help_text="The last day a reminder was queued for: never two for the same day.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "home exercise programme"

    def __str__(self) -> str:
        return f"Home programme for {self.patient_name}"

    def issue_token(self) -> str:
        """Give the programme its private link for life and return the token."""
        self.secret = secrets.token_urlsafe(32)
        token = derive_programme_token(self.secret)
        self.token_hash = hash_programme_token(token)
        return token

    @property
    def token(self) -> str:
        return derive_programme_token(self.secret)

    @property
    def is_active(self) -> bool:
        return self.status == ProgrammeStatus.ACTIVE

    def patient_rows(self) -> list["ProgrammeExercise"]:
        """The exercises the patient may see (reads the prefetched rows): one taken back to
        draft in the library since it was given is left out until it is published again,
        since a draft has not been clinically reviewed."""
        return [row for row in self.exercises.all() if row.exercise.is_published]

    def plan_periods(self) -> list[PlanPeriod]:
        """Each version's days per week from the clinic date it was saved (reads the
        prefetched versions); the first version counts from the start date."""
        periods: dict[date, int] = {}
        for version in sorted(self.versions.all(), key=lambda v: v.number):
            day = max(self.started_on, version.created_at.astimezone(clinic_zone()).date())
            periods[day] = version.days_per_week  # a second save the same day wins
        return [PlanPeriod(start=day, days_per_week=rate) for day, rate in periods.items()]

    def current_version_number(self) -> int:
        return max((version.number for version in self.versions.all()), default=0)


class ProgrammeExercise(models.Model):
    """One exercise of the current version, in order, with the patient's own dose."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exercises")
    exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="+", help_text="From the library."
    )
    order = models.PositiveSmallIntegerField(default=0)
    sets = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    per_side = models.CharField(max_length=5, choices=PerSide, blank=True, default=PerSide.NONE)
    times = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="How many times a day or a week.",
    )
    per = models.CharField(max_length=4, choices=Per, default=Per.DAY)
    note = models.CharField(
        max_length=300, blank=True, help_text="The clinician's note for this exercise."
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sets__isnull=False)
                | Q(reps__isnull=False)
                | Q(hold_seconds__isnull=False),
                name="programmeexercise_has_a_dose",
                violation_error_message="Give a dose: sets, reps or a hold.",
            ),
            models.CheckConstraint(
                condition=Q(per="week") | Q(times__lte=5), name="programmeexercise_times_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise.name}: {self.dose_text()}"

    def dose_text(self) -> str:
        return dose_text(
            sets=self.sets,
            reps=self.reps,
            hold_seconds=self.hold_seconds,
            per_side=self.per_side,
            times=self.times,
            per=self.per,
        )


def dose_text(
    *,
    sets: int | None,
    reps: int | None,
    hold_seconds: int | None,
    per_side: str,
    times: int,
    per: str,
) -> str:
    """The dose in words: "3 sets of 10, each leg, once a day"."""
    if sets and reps:
        amount = f"{sets} set{'s' if sets > 1 else ''} of {reps}"
    elif sets and hold_seconds:
        amount = f"{sets} hold{'s' if sets > 1 else ''} of {hold_seconds} seconds"
        hold_seconds = None
    elif sets:
        amount = f"{sets} set{'s' if sets > 1 else ''}"
    elif reps:
        amount = "once" if reps == 1 else f"{reps} times"
    else:
        amount = f"hold for {hold_seconds} seconds"
        hold_seconds = None
    parts = [amount]
    if hold_seconds:
        parts.append(f"hold each for {hold_seconds} seconds")
    if per_side:
        parts.append(f"each {per_side}")
    if per == Per.DAY:
        parts.append({1: "once a day", 2: "twice a day"}.get(times, f"{times} times a day"))
    else:
        parts.append(
            {1: "once a week", 2: "twice a week", 7: "every day"}.get(
                times, f"{times} times a week"
            )
        )
    return ", ".join(parts)


class ProgrammeVersion(models.Model):
    """A saved version of a programme, kept whole: who saved it, when, what changed."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    changes = models.TextField(help_text="What this version changed, in words.")
    days_per_week = models.PositiveSmallIntegerField(
        help_text="Sessions a week this version plans (a daily exercise counts as 7)."
    )
    snapshot = models.JSONField(
        default=dict, help_text="The note and each exercise's name, dose and note."
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="programmeversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class Feedback(models.TextChoices):
    SKIPPED = "skipped", "Skipped"
    TOO_HARD = "too_hard", "Too hard"


class ProgrammeSessionQuerySet(models.QuerySet):
    def between(self, first: date, last: date) -> "ProgrammeSessionQuerySet":
        return self.filter(day__gte=first, day__lte=last)


class ProgrammeSession(models.Model):
    """A day the patient said they did their exercises, with how it went (all optional)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(help_text="The clinic's calendar date of the tap.")
    logged_at = models.DateTimeField()
    version = models.PositiveIntegerField(help_text="The programme version it was done at.")
    pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)], help_text="0-10."
    )
    effort = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)], help_text="0-10."
    )
    note = models.CharField(max_length=300, blank=True)
    feedback = models.JSONField(
        default=dict,
        blank=True,
        help_text='Per library exercise id: "skipped" or "too_hard".',
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            # One session a day, however often the button is pressed (Back, Reload, two tabs).
            models.UniqueConstraint(
                fields=["programme", "day"], name="programmesession_once_a_day"
            ),
            models.CheckConstraint(
                condition=(Q(pain__isnull=True) | Q(pain__lte=10))
                & (Q(effort__isnull=True) | Q(effort__lte=10)),
                name="programmesession_ratings_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"Session on {self.day:%Y-%m-%d}"

    def feedback_text(self, names: dict[str, str]) -> str:
        """'Step-down: skipped; Wall sit: too hard' from the exercises' names by id."""
        return "; ".join(
            f"{names.get(key, 'An exercise')}: {Feedback(value).label.lower()}"
            for key, value in self.feedback.items()
            if value in Feedback.values
        )

    def logged_at_local(self) -> datetime:
        return self.logged_at.astimezone(clinic_zone())
