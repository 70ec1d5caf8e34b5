"""Queue the 24-hour appointment reminders and the reminders to fill in the before-visit
form. Run every few minutes (cron or a scheduler); running it twice, or two copies at
once, never sends either reminder twice."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from intake.booking import send_due_reminders
from intake.previsit import send_due_previsit_reminders


class Command(BaseCommand):
    help = (
        "Queue one reminder email for each booked appointment starting within 24 hours, and "
        "one for each unfinished before-visit form whose visit is PREVISIT_REMINDER_HOURS away."
    )

    def handle(self, *args, **options) -> None:
        sent = send_due_reminders()
        forms = send_due_previsit_reminders(now=timezone.now())
        if options["verbosity"] >= 1:
            self.stdout.write(f"Queued {sent} reminder(s).")
            self.stdout.write(f"Queued {forms} before-visit form reminder(s).")
