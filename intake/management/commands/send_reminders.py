"""Queue the 24-hour appointment reminders. Run every few minutes (cron or a scheduler);
running it twice, or two copies at once, never sends a reminder twice."""

from django.core.management.base import BaseCommand

from intake.booking import send_due_reminders


class Command(BaseCommand):
    help = "Queue one reminder email for each booked appointment starting within 24 hours."

    def handle(self, *args, **options) -> None:
        sent = send_due_reminders()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Queued {sent} reminder(s).")
