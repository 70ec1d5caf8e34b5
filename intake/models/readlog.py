"""Who looked at which lead's health details, and who exported it.

Health details are a lead's message, body area, self-check outcome and answers (an
appointment's health details are those of its lead), the answers on an appointment's
before-visit form, and what a patient logged on a home exercise programme. The log is kept
exactly as long as those details: purge_leads deletes a lead's entries when it anonymises
the lead. A before-visit form read is logged against
the appointment's lead and names the appointment too; an appointment left without a lead
(its lead deleted by hand) still gets its entry, kept as long as the appointment.
"""

from django.conf import settings
from django.db import models

from intake.models.leads import Lead


class ReadAction(models.TextChoices):
    VIEWED = "viewed", "Viewed the lead"
    VIEWED_HISTORY = "viewed_history", "Viewed an earlier version"
    EXPORTED = "exported", "Exported"
    VIEWED_PREVISIT = "viewed_previsit", "Viewed the before-visit form"
    VIEWED_PROGRAMME = "viewed_programme", "Viewed the home programme's logs"


class ReadLogEntry(models.Model):
    """One staff member seeing one lead's health details, or taking the lead out in an export."""

    lead = models.ForeignKey(
        Lead,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="read_log",
        help_text="The lead whose details were seen.",
    )
    appointment = models.ForeignKey(
        "intake.Appointment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="read_log",
        help_text="For a before-visit form: the appointment it belongs to.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The staff member who saw them.",
    )
    action = models.CharField(max_length=20, choices=ReadAction, help_text="What they did.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "read log entry"
        verbose_name_plural = "read log entries"
        constraints = [
            # Every entry says whose details were seen.
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False) | models.Q(appointment__isnull=False),
                name="readlogentry_names_lead_or_appointment",
            )
        ]

    def __str__(self) -> str:
        whose = f"lead #{self.lead_id}" if self.lead_id else f"appointment #{self.appointment_id}"
        return f"{self.get_action_display()}: {whose} at {self.created_at:%Y-%m-%d %H:%M}"
