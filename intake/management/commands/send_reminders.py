"""Queue the 24-hour appointment reminders, the reminders to fill in the before-visit
form, and the home exercise reminders patients asked for. Run every few minutes (cron or
a scheduler); running it twice, or two copies at once, never sends any reminder twice."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from intake.booking import send_due_reminders
from intake.previsit import send_due_previsit_reminders
from intake.programmes import send_due_programme_reminders


class Command(BaseCommand):
    help = (
        "Queue one reminder email for each booked appointment starting within 24 hours, and "
        "one for each unfinished before-visit form whose visit is PREVISIT_REMINDER_HOURS away, "
        "and today's home exercise reminders past the time each patient picked."
    )

    def handle(self, *args, **options) -> None:
        sent = send_due_reminders()
        forms = send_due_previsit_reminders(now=timezone.now())
        programmes = send_due_programme_reminders(now=timezone.now())
        if options["verbosity"] >= 1:
            self.stdout.write(f"Queued {sent} reminder(s).")
            self.stdout.write(f"Queued {forms} before-visit form reminder(s).")
            self.stdout.write(f"Queued {programmes} home exercise reminder(s).")
