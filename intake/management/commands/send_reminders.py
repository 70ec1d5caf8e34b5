"""Queue the 24-hour appointment reminders, the reminders to fill in the before-visit
form, and the home exercise reminders patients asked for. Run every few minutes (cron or
a scheduler); running it twice, or two copies at once, never sends any reminder twice.

`--every SECONDS` keeps it running and does the same on that schedule, which is what
`make run` starts beside the email worker: on a laptop nobody sets up cron, and without
it a newcomer never saw a reminder go out. A round that fails (a locked SQLite file, a
database restarting) is logged and the next round tries again, as cron would.
"""

import logging
from time import sleep

from django import db
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from intake.booking import send_due_reminders
from intake.previsit import send_due_previsit_reminders
from intake.programmes import send_due_programme_reminders

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Queue one reminder email for each booked appointment starting within 24 hours, and "
        "one for each unfinished before-visit form whose visit is PREVISIT_REMINDER_HOURS away, "
        "and today's home exercise reminders past the time each patient picked."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running and queue due reminders every SECONDS (make run uses this); "
            "without it, once.",
        )

    def handle(self, *args, every: int | None = None, **options) -> None:
        if every is None:
            self.send_once(verbosity=options["verbosity"])
            return
        if every < 1:
            raise CommandError("--every needs at least 1 second.")
        while True:
            try:
                # Rounds that queued nothing stay quiet: they would bury runserver's output.
                self.send_once(verbosity=options["verbosity"], quiet_when_none=True)
            except Exception:
                logger.exception("Sending reminders failed; trying again in %s s", every)
            # A connection that broke in this round is not reused in the next.
            db.close_old_connections()
            sleep(every)

    def send_once(self, *, verbosity: int, quiet_when_none: bool = False) -> None:
        sent = send_due_reminders()
        forms = send_due_previsit_reminders(now=timezone.now())
        programmes = send_due_programme_reminders(now=timezone.now())
        if verbosity >= 1 and not (quiet_when_none and sent == forms == programmes == 0):
            self.stdout.write(f"Queued {sent} reminder(s).")
            self.stdout.write(f"Queued {forms} before-visit form reminder(s).")
            self.stdout.write(f"Queued {programmes} home exercise reminder(s).")
