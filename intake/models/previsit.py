"""Before your visit: the paperwork a patient fills in from a private link before a visit.

Before a first visit (an appointment type marked so) it is the whole form: contact
details, what brings them in, health history, the red-flag questions again, the outcome
measures and consent. Before a follow-up it is the short "How are you doing?" form: the
measures again, the Patient-Specific Functional Scale with the activities the patient
named at the start (`episode`).

Everything a patient types here is health data: it stays in these rows, shown only to
staff who hold `view_previsit_answers`, and never goes into emails, logs or URLs.
"""

import base64
import hashlib
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.crypto import salted_hmac

from intake.models.booking import Appointment, AppointmentStatus

READ_ANSWERS_PERMISSION = "intake.view_previsit_answers"


def can_read_answers(user) -> bool:
    """Whether this staff member may see what patients answered (and their scores)."""
    return user.has_perm(READ_ANSWERS_PERMISSION)


class PreVisitKind(models.TextChoices):
    FIRST_VISIT = "first_visit", "Before your first visit"
    FOLLOW_UP = "follow_up", "How are you doing?"


class PreVisitStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


def hash_previsit_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def derive_previsit_token(secret: str) -> str:
    """The token in the patient's link, derived again for every email (the confirmation,
    the 48-hour reminder) from the row's secret and SECRET_KEY; only its hash is looked up,
    so a copy of the database alone does not give the link away."""
    digest = salted_hmac("intake.previsit.link", secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class PreVisitQuerySet(models.QuerySet):
    def by_token(self, token: str) -> "PreVisitQuerySet":
        return self.filter(token_hash=hash_previsit_token(token))

    def not_done(self) -> "PreVisitQuerySet":
        return self.exclude(status=PreVisitStatus.DONE)

    def of_patient(self, email: str) -> "PreVisitQuerySet":
        """Forms of every visit booked with this email (any case): how a patient's visits
        are found across leads, since bookings after "Became a patient" start a new one."""
        return self.filter(appointment__patient_email__iexact=email)

    def due_for_reminder(self, now: datetime) -> "PreVisitQuerySet":
        """First-visit forms not done and not yet reminded, whose booked visit starts within
        PREVISIT_REMINDER_HOURS. Forms booked less than that ahead get none: the
        confirmation, sent moments before, carried the link."""
        lead_time = timedelta(hours=settings.PREVISIT_REMINDER_HOURS)
        return (
            self.not_done()
            .filter(
                kind=PreVisitKind.FIRST_VISIT,
                reminder_sent_at__isnull=True,
                appointment__status=AppointmentStatus.BOOKED,
                appointment__start__gt=now,
                appointment__start__lte=now + lead_time,
                created_at__lte=F("appointment__start") - lead_time,
            )
            .select_related("appointment__appointment_type", "appointment__clinician")
        )


class PreVisit(models.Model):
    """One patient's before-visit form for one appointment, saved section by section."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="previsit"
    )
    kind = models.CharField(max_length=20, choices=PreVisitKind, help_text="Which form it is.")
    episode = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text="For a follow-up: the first-visit form whose activities it repeats and "
        "whose scores it is compared with.",
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
    status = models.CharField(
        max_length=20, choices=PreVisitStatus, default=PreVisitStatus.NOT_STARTED
    )
    answers = models.JSONField(
        default=dict, help_text="Each saved section's answers, by section name."
    )
    red_flag_outcome = models.CharField(
        max_length=30,
        blank=True,
        help_text="The triage outcome when the red-flag questions called for medical care.",
    )
    needs_review = models.BooleanField(
        default=False,
        help_text="A red-flag answer: a clinician reads the form before the visit.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the reminder to fill it in went out (once at most).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PreVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "before-visit form"
        permissions = [
            ("view_previsit_answers", "Can read the answers on before-visit forms"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.appointment.patient_name}"

    def issue_token(self) -> str:
        """Give the form its private link for life and return the token."""
        self.secret = secrets.token_urlsafe(32)
        token = derive_previsit_token(self.secret)
        self.token_hash = hash_previsit_token(token)
        return token

    @property
    def token(self) -> str:
        return derive_previsit_token(self.secret)

    def link_closes_at(self) -> datetime:
        """The link works until the visit is over plus a grace period (a setting)."""
        return self.appointment.end + timedelta(hours=settings.PREVISIT_LINK_GRACE_HOURS)

    def link_open(self, now: datetime) -> bool:
        return (
            self.appointment.status != AppointmentStatus.CANCELLED and now < self.link_closes_at()
        )


class ConsentKind(models.TextChoices):
    TREATMENT = "treatment", "Consent to treat"
    PRIVACY = "privacy", "Privacy notice"


class ConsentTextQuerySet(models.QuerySet["ConsentText"]):
    def current(self) -> list["ConsentText"]:
        """The newest version of each kind, in the order patients read them."""
        newest: dict[str, ConsentText] = {}
        for text in self.order_by("kind", "-version"):
            newest.setdefault(text.kind, text)
        order = list(ConsentKind.values)
        return sorted(newest.values(), key=lambda text: order.index(text.kind))


class ConsentText(models.Model):
    """One version of a text patients agree to. A version that anyone has signed is never
    changed: editing it makes the next version, so what earlier patients signed stays."""

    kind = models.CharField(max_length=20, choices=ConsentKind, help_text="Which text this is.")
    version = models.PositiveIntegerField(help_text="1, 2, 3...: set by the site on each edit.")
    title = models.CharField(max_length=120, help_text="As the patient reads it.")
    body = models.TextField(
        help_text="The full text in plain paragraphs (a blank line between paragraphs)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentTextQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="consenttext_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.version}"


class ConsentSignature(models.Model):
    """A patient agreeing to one version of a consent text by ticking and typing their name."""

    previsit = models.ForeignKey(PreVisit, on_delete=models.CASCADE, related_name="signatures")
    consent_text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="signatures"
    )
    typed_name = models.CharField(max_length=120, help_text="The full name the patient typed.")
    signed_at = models.DateTimeField()
    client_address_hash = models.CharField(
        max_length=64,
        help_text="A keyed hash of the address the form was sent from: evidence without "
        "keeping the address.",
    )

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["previsit", "consent_text"], name="consentsignature_once_per_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} agreed to {self.consent_text}"

    def signed_as_booked(self) -> bool:
        """Whether the typed name is the name on the booking, ignoring case, accents and
        middle names; when not, staff are shown both to check."""
        return same_name(self.typed_name, self.previsit.appointment.patient_name)


def name_words(name: str) -> list[str]:
    """A name's words without accents or case: "José  Núñez" -> ["jose", "nunez"]."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return [word for word in re.split(r"[^\w'-]+", plain.casefold()) if word]


def same_name(typed: str, booked: str) -> bool:
    """First and last names match (middle names and initials aside)."""
    one, other = name_words(typed), name_words(booked)
    if not one or not other:
        return False
    return one[0] == other[0] and one[-1] == other[-1]
