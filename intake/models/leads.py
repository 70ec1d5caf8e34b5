from django.conf import settings
from django.db import models


class TriageOutcome(models.TextChoices):
    """Self-check outcomes, most urgent first: the order triage evaluates them in."""

    EMERGENCY = "emergency", "Emergency: call 911 or go to an emergency department"
    SEE_DOCTOR = "see_doctor", "See a doctor first"
    PATELLOFEMORAL = "patellofemoral", "Consistent with patellofemoral pain"
    BOOK_EVALUATION = "book_evaluation", "Book an evaluation"


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCHEDULED = "scheduled", "Scheduled"
    BECAME_PATIENT = "became_patient", "Became a patient"
    NOT_A_FIT = "not_a_fit", "Not a fit"
    NO_RESPONSE = "no_response", "No response"


class LeadSource(models.TextChoices):
    CONTACT_FORM = "contact_form", "Contact form"
    SELF_CHECK = "self_check", "Self-check"
    BOOKING = "booking", "Booking"


class Lead(models.Model):
    """A person who asked the clinic to get in touch: the front desk works it to a close."""

    name = models.CharField(max_length=120, help_text="The person's name as they gave it.")
    email = models.EmailField(help_text="Where to reply.")
    phone = models.CharField(
        max_length=20, blank=True, help_text="Phone number in E.164 form, e.g. +16082184215."
    )
    message = models.TextField(blank=True, help_text="What they wrote to the clinic.")
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


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
        return f"Note on {self.lead_id} at {self.created_at:%Y-%m-%d %H:%M}"
