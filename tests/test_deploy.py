"""A deploy as the README lists it: what it must run, and what `check --deploy` refuses."""

import os
import subprocess
import sys
from pathlib import Path

from tests.production_env import production_env

ROOT = Path(__file__).resolve().parent.parent

FIRST_VISITS_SCRIPT = """
import django
django.setup()
from django.core.cache import cache
from django.test import Client
client = Client()
print(client.get("/guides/knee-pain-with-running/").status_code)
print(client.get("/book/").status_code)
# The booking page's double-submit key, as intake/views/booking.py keeps it.
print(cache.add("first-deploy", "kept", 60) and cache.get("first-deploy"))
"""


def test_a_fresh_deploy_serves_pages_and_keeps_booking_keys_after_migrate_alone(tmp_path):
    """No `createcachetable`: the database cache's table comes with the migrations."""
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/fresh.sqlite3",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DJANGO_STATIC_ROOT=os.environ["DJANGO_STATIC_ROOT"],  # collected by conftest
        DJANGO_LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", FIRST_VISITS_SCRIPT],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "kept"]
