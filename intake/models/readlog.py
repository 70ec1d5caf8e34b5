"""Who looked at which lead's health details, and who exported it.

Health details are a lead's message, body area, self-check outcome and answers (an
appointment's health details are those of its lead). The log is kept exactly as long
as those details: purge_leads deletes a lead's entries when it anonymises the lead.
"""

from django.conf import settings
from django.db import models

from intake.models.leads import Lead


class ReadAction(models.TextChoices):
    VIEWED = "viewed", "Viewed the lead"
    VIEWED_HISTORY = "viewed_history", "Viewed an earlier version"
    EXPORTED = "exported", "Exported"


class ReadLogEntry(models.Model):
    """One staff member seeing one lead's health details, or taking the lead out in an export."""

    lead = models.ForeignKey(
        Lead,
        on_delete=models.CASCADE,
        related_name="read_log",
        help_text="The lead whose details were seen.",
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

    def __str__(self) -> str:
        return (
            f"{self.get_action_display()}: lead #{self.lead_id} at {self.created_at:%Y-%m-%d %H:%M}"
        )
