"""`manage.py back_up_site FOLDER`: the database and every upload, into a new folder."""

import json
from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand

from clinic.backups import back_up_site


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's backup) and all uploaded media"

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="a folder that does not exist yet")

    def handle(self, *, folder: Path, **options) -> None:
        manifest = back_up_site(to=folder, storage=storages["default"])
        self.stdout.write(json.dumps(manifest))
