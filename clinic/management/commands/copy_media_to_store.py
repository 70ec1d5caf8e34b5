"""`manage.py copy_media_to_store`: put the uploads in MEDIA_ROOT into the object store."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from clinic.media_copy import copy_local_media


class Command(BaseCommand):
    help = "Copy uploads from MEDIA_ROOT (or --source) into the store MEDIA_STORAGE_URL names"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", type=Path, default=None, help="default: MEDIA_ROOT")

    def handle(self, *, source: Path | None, **options) -> None:
        target = storages["default"]
        if isinstance(target, FileSystemStorage):
            raise CommandError("Set MEDIA_STORAGE_URL to the object store first.")
        source = source or Path(settings.MEDIA_ROOT)
        if not source.is_dir():
            raise CommandError(f"No folder {source}")
        report = copy_local_media(source=source, target=target)
        self.stdout.write(
            f"Copied {len(report.copied)} files; {len(report.already_there)} were already there."
        )
