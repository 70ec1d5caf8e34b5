from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intake.models import WaitlistEntry
from intake.retention import anonymise_leads, due_for_anonymising
from intake.waitlist import purge_expired_entries


class Command(BaseCommand):
    help = (
        "Anonymise closed leads (became a patient, not a fit, no response) that nobody "
        "has changed for --days days: their details, notes and history are removed. "
        "Waitlist entries past their end date are removed too."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.LEAD_RETENTION_DAYS,
            help="Keep closed leads changed within this many days "
            f"(default LEAD_RETENTION_DAYS, now {settings.LEAD_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be done; change nothing."
        )

    def handle(self, *args, days: int, dry_run: bool, **options) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1.")
        cutoff = timezone.now() - timedelta(days=days)
        leads = due_for_anonymising(unchanged_since=cutoff)
        today = timezone.localdate()
        if dry_run:
            expired = WaitlistEntry.objects.expired(today).count()
            self.stdout.write(f"Dry run: would remove {expired} expired waitlist entry(ies).")
            # Ids, statuses and dates only: this output may end up in logs.
            rows = list(leads.values_list("pk", "status", "created_at", "updated_at"))
            self.stdout.write(
                f"Dry run: would anonymise {len(rows)} closed lead(s) "
                f"unchanged since {timezone.localdate(cutoff)}. Nothing was changed."
            )
            for pk, status, created_at, updated_at in rows:
                self.stdout.write(
                    f"  #{pk}  {status}  received {timezone.localdate(created_at)}  "
                    f"last changed {timezone.localdate(updated_at)}"
                )
            return
        removed = purge_expired_entries(today=today)
        self.stdout.write(f"Removed {removed} waitlist entry(ies) past their end date.")
        count, history_rows = anonymise_leads(leads=leads)
        self.stdout.write(
            f"Anonymised {count} closed lead(s) unchanged since {timezone.localdate(cutoff)}; "
            f"deleted {history_rows} history row(s) and their notes."
        )
