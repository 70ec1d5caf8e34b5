"""`manage.py restore_site FOLDER`: a backup into a fresh, empty database and media store."""

import json
from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand

from clinic.backups import restore_site


class Command(BaseCommand):
    help = "Restore a back_up_site folder into the (empty) database and media store"

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *, folder: Path, **options) -> None:
        report = restore_site(source=folder, storage=storages["default"])
        self.stdout.write(json.dumps(report))
