from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from intake import times
from intake.models.selfcheck import TriageOutcome
from intake.phone import as_e164, display_phone


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    FOLLOW_UP = "follow_up", "Needs a follow-up call"
    SCHEDULED = "scheduled", "Scheduled"
    BECAME_PATIENT = "became_patient", "Became a patient"
    NOT_A_FIT = "not_a_fit", "Not a fit"
    NO_RESPONSE = "no_response", "No response"


# A lead in one of these needs nothing more from the front desk.
CLOSED_STATUSES = (LeadStatus.BECAME_PATIENT, LeadStatus.NOT_A_FIT, LeadStatus.NO_RESPONSE)
# The same conditions as lookups, for filters and for counting inside aggregates.
IS_OPEN = ~models.Q(status__in=CLOSED_STATUSES)


def is_overdue(today: date) -> models.Q:
    """Open, with a follow-up date already passed."""
    return IS_OPEN & models.Q(follow_up_due__lt=today)


# Self-check outcomes that mean "this person may need a doctor": the front desk calls
# them the same business day.
URGENT_OUTCOMES = (TriageOutcome.EMERGENCY, TriageOutcome.SEE_DOCTOR)
# Urgent until the first call: once contacted, the lead is worked like any other.
IS_URGENT = models.Q(triage_outcome__in=URGENT_OUTCOMES, status="new")
# An ordering term that puts urgent leads first.
URGENT_FIRST = models.Case(models.When(IS_URGENT, then=0), default=1).asc()


class LeadSource(models.TextChoices):
    CONTACT_FORM = "contact_form", "Contact form"
    SELF_CHECK = "self_check", "Self-check"
    BOOKING = "booking", "Booking"
    WAITLIST = "waitlist", "Waitlist"


class Activity(models.TextChoices):
    """What the person wants to get back to: the groups the clinic sees most."""

    RUNNING = "running", "Running"
    POSTPARTUM = "postpartum", "Getting active again after having a baby"
    CROSSFIT = "crossfit", "CrossFit"
    CLIMBING = "climbing", "Climbing"
    GYMNASTICS = "gymnastics", "Gymnastics"
    WRESTLING = "wrestling", "Wrestling"
    OVERHEAD = "overhead", "Overhead sports (throwing, swimming, volleyball, tennis)"
    RECREATIONAL = "recreational", "Recreational or weekend sports"
    OTHER = "other", "Something else"


class BodyArea(models.TextChoices):
    KNEE = "knee", "Knee"
    HIP = "hip", "Hip or groin"
    LOW_BACK = "low_back", "Low back"
    NECK = "neck", "Neck or upper back"
    SHOULDER = "shoulder", "Shoulder"
    ELBOW_HAND = "elbow_hand", "Elbow, wrist or hand"
    ANKLE_FOOT = "ankle_foot", "Ankle or foot"
    PELVIC_FLOOR = "pelvic_floor", "Pelvic floor"
    OTHER = "other", "More than one area, or not sure"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"


class PreferredTime(models.TextChoices):
    ANY = "any", "Any time"
    MORNING = "morning", "Morning (8 to 11 am)"
    MIDDAY = "midday", "Midday (11 am to 2 pm)"
    AFTERNOON = "afternoon", "Afternoon (2 to 5 pm)"
    EVENING = "evening", "Early evening (5 to 7 pm)"


class HeardAbout(models.TextChoices):
    SEARCH = "search", "Searching online"
    FRIEND = "friend", "A friend or family member"
    DOCTOR = "doctor", "My doctor or another provider"
    COACH = "coach", "A coach, gym or club"
    SOCIAL = "social", "Social media"
    EVENT = "event", "A race or community event"
    OTHER = "other", "Somewhere else"


class LeadQuerySet(models.QuerySet):
    def open(self) -> "LeadQuerySet":
        """Leads the front desk still has to work."""
        return self.filter(IS_OPEN)

    def closed(self) -> "LeadQuerySet":
        return self.exclude(IS_OPEN)

    def overdue(self, today: date) -> "LeadQuerySet":
        return self.filter(is_overdue(today))

    def urgent(self) -> "LeadQuerySet":
        """New leads whose self-check said Emergency or See a doctor: call them today."""
        return self.filter(IS_URGENT)

    def follow_up_by(self, today: date) -> "LeadQuerySet":
        """Open leads whose follow-up is due today or already overdue."""
        return self.filter(IS_OPEN, follow_up_due__lte=today)

    def same_person(self, *, email: str, phone: str) -> "LeadQuerySet":
        """Leads with this email (any case) or, when given, this E.164 phone number."""
        match = models.Q(email__iexact=email)
        if phone:
            match |= models.Q(phone=phone)
        return self.filter(match)

    def matching(self, term: str) -> "LeadQuerySet":
        """Leads a staff search finds: part of the name or email, or the phone number in
        any US format. Nothing for a blank term."""
        term = term.strip()
        if not term:
            return self.none()
        match = models.Q(name__icontains=term) | models.Q(email__icontains=term)
        if phone := as_e164(term):
            match |= models.Q(phone=phone)
        return self.filter(match)

    def earliest_open_match(self, *, email: str, phone: str) -> "Lead | None":
        """The open lead that a new request from this email or phone duplicates, if any."""
        return self.open().same_person(email=email, phone=phone).order_by("created_at").first()

    def created_between(self, start: datetime, end: datetime) -> "LeadQuerySet":
        return self.filter(created_at__gte=start, created_at__lt=end)

    def conversion_by_source(self) -> list["SourceConversion"]:
        """How many of these leads became patients, per source (every source listed, in
        LeadSource's order), in one query: the admin index's figures and the report's."""
        counted = {
            row["source"]: row
            for row in self.values("source")
            .annotate(
                total=models.Count("pk"),
                converted=models.Count("pk", filter=models.Q(status=LeadStatus.BECAME_PATIENT)),
            )
            .order_by()
        }
        return [
            SourceConversion(
                source=source.label,
                total=counted.get(source.value, {}).get("total", 0),
                converted=counted.get(source.value, {}).get("converted", 0),
            )
            for source in LeadSource
        ]


@dataclass(frozen=True)
class SourceConversion:
    """Leads from one source and how many of them became patients."""

    source: str
    total: int
    converted: int

    @property
    def rate(self) -> int | None:
        """Percent who became patients; None without leads (no rate to speak of)."""
        return round(100 * self.converted / self.total) if self.total else None


class Lead(models.Model):
    """A person who asked the clinic to get in touch: the front desk works it to a close."""

    name = models.CharField(max_length=120, help_text="The person's name as they gave it.")
    email = models.EmailField(help_text="Where to reply.")
    phone = PhoneNumberField(
        region="US",
        max_length=20,
        blank=True,
        help_text="Kept in E.164 form, e.g. +16082184215; any US format may be typed.",
    )
    preferred_contact_method = models.CharField(
        "how to contact",
        max_length=10,
        choices=ContactMethod,
        blank=True,
        help_text="How the person would like the clinic to get in touch.",
    )
    preferred_time = models.CharField(
        "best time",
        max_length=10,
        choices=PreferredTime,
        blank=True,
        help_text="When the person would rather be contacted (clinic time).",
    )
    activity = models.CharField(
        max_length=20,
        choices=Activity,
        blank=True,
        help_text="The activity the person wants to get back to.",
    )
    body_area = models.CharField(
        max_length=20,
        choices=BodyArea,
        blank=True,
        help_text="Where it hurts, as the person chose it. Health data: staff only.",
    )
    message = models.TextField(
        blank=True,
        max_length=3000,
        help_text="What they wrote to the clinic. Health data: staff only.",
    )
    heard_about = models.CharField(
        "heard about us from",
        max_length=10,
        choices=HeardAbout,
        blank=True,
        help_text="How the person heard of the clinic.",
    )
    consent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person agreed to be contacted (blank for leads staff entered).",
    )
    source = models.CharField(
        max_length=20,
        choices=LeadSource,
        default=LeadSource.CONTACT_FORM,
        help_text="Where the request came from.",
    )
    status = models.CharField(
        max_length=20,
        choices=LeadStatus,
        default=LeadStatus.NEW,
        help_text="Where the lead is in the follow-up pipeline.",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_leads",
        help_text="The staff member following this lead up.",
    )
    follow_up_due = models.DateField(
        null=True, blank=True, help_text="When the next follow-up is due."
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text="An open lead with the same email or phone that arrived earlier. "
        "Work them together; clear this if they are different people.",
    )
    triage_outcome = models.CharField(
        max_length=20,
        choices=TriageOutcome,
        blank=True,
        help_text="The self-check outcome, when the person sent their answers.",
    )
    triage_rule = models.CharField(
        max_length=200, blank=True, help_text="The self-check rule that decided the outcome."
    )
    answers = models.JSONField(
        default=list,
        blank=True,
        help_text="Self-check answers the person chose to send: a list of "
        '{"question": ..., "answer": ...} pairs. Health data: staff only.',
    )
    submission_key = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="The one-time key of the form that created this lead, so a resubmitted "
        "form finds this lead instead of making a second one.",
    )
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When purge_leads removed the person's details from this closed lead.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LeadQuerySet.as_manager()
    # Who changed what and when. Deleting a lead deletes its history too, so
    # erasing a person's details leaves no copy behind.
    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["submission_key"], name="lead_unique_submission_key")
        ]
        permissions = [("export_lead", "Can export leads to CSV")]

    def __str__(self) -> str:
        if self.anonymised_at:
            return f"Anonymised lead #{self.pk}"
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def is_urgent(self) -> bool:
        """A new lead whose self-check said Emergency or See a doctor."""
        return self.status == LeadStatus.NEW and self.triage_outcome in URGENT_OUTCOMES

    def contact_details(self) -> dict[str, str]:
        """Name, email and phone as a person would type them: what a later form may prefill."""
        return {"name": self.name, "email": self.email, "phone": display_phone(self.phone)}


class LeadNote(models.Model):
    """A staff note on a lead: the follow-up history, oldest first."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    text = models.TextField(help_text="What happened or what to do next.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        # Shown as the note's heading on the lead's page, beside times on the clinic's clock.
        return f"Note of {times.short(self.created_at)}" if self.created_at else "New note"


class LeadExport(models.Model):
    """One CSV export of leads: who took personal data out of the system, when, and how much."""

    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lead_exports",
        help_text="The staff member who downloaded the file.",
    )
    row_count = models.PositiveIntegerField(help_text="How many leads the file held.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        when = times.short(self.created_at) if self.created_at else "(not yet)"
        return f"{self.row_count} leads exported on {when}"
