"""Backing the whole site up, and restoring it into a fresh database and media store.

A backup is a folder: `database.dump` (PostgreSQL's custom format from `pg_dump`, or a
copy of a SQLite file made with SQLite's online backup), `media/` (every uploaded file,
read through the storage API, so from the object store or local disk alike) and
`manifest.json` (when, which database engine, how many rows of what patients and staff
rely on). Restoring loads the dump into the database the settings name, which must be
empty (freshly created), copies `media/` into the configured store, and drops the
page copies and content version kept in Redis: a restored database's version numbers
would otherwise match copies of pages from before the restore.
"""

import json
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.files import File
from django.core.files.storage import Storage
from django.db import connection

DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"


def site_counts() -> dict[str, int]:
    """What a restore must bring back, counted the same way before and after."""
    from education.models import Exercise, Guide
    from intake.models import Appointment, Clinician, Lead, PreVisit

    return {
        "appointments": Appointment.objects.count(),
        "leads": Lead.objects.count(),
        "before_visit_forms": PreVisit.objects.exclude(answers={}).count(),
        "guides": Guide.objects.count(),
        "exercises": Exercise.objects.count(),
        "clinicians": Clinician.objects.count(),
    }


def back_up_site(*, to: Path, storage: Storage) -> dict:
    """Write the database and every uploaded file to the empty folder `to`."""
    to.mkdir(parents=True, exist_ok=False)
    _dump_database(to / DUMP)
    files = _copy_storage_out(storage, to / MEDIA)
    manifest = {
        "taken_at": datetime.now(UTC).isoformat(),
        "engine": connection.vendor,
        "counts": site_counts(),
        "media_files": files,
    }
    (to / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore_site(*, source: Path, storage: Storage) -> dict:
    """Load the backup in `source` into this (empty) database and the media store."""
    manifest = json.loads((source / MANIFEST).read_text())
    if manifest["engine"] != connection.vendor:
        raise ValueError(f"a {manifest['engine']} backup cannot go into {connection.vendor}")
    _load_database(source / DUMP)
    files = _copy_storage_in(source / MEDIA, storage)
    _forget_page_copies()
    return {"counts": site_counts(), "media_files": files}


def _postgres_env() -> tuple[list[str], dict[str, str]]:
    params = connection.get_connection_params()
    args = ["--host", str(params.get("host") or "127.0.0.1"),
            "--port", str(params.get("port") or 5432),
            "--username", params.get("user") or "postgres"]  # fmt: skip
    env = {"PGPASSWORD": params.get("password") or "", "PATH": "/usr/bin:/bin"}
    return args, env


def _dump_database(path: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _postgres_env()
        subprocess.run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(path), connection.settings_dict["NAME"]],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()


def _load_database(path: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _postgres_env()
        connection.close()  # pg_restore must find the database idle
        subprocess.run(
            ["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", "--dbname", connection.settings_dict["NAME"], str(path)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    else:
        connection.close()
        shutil.copyfile(path, connection.settings_dict["NAME"])


def _names(storage: Storage, folder: str = "") -> list[str]:
    directories, files = storage.listdir(folder)
    names = [f"{folder}{name}" for name in files]
    for directory in directories:
        names += _names(storage, f"{folder}{directory}/")
    return names


def _copy_storage_out(storage: Storage, to: Path) -> int:
    names = _names(storage)
    for name in names:
        target = to / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
    return len(names)


def _copy_storage_in(source: Path, storage: Storage) -> int:
    count = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise RuntimeError(f"{name} is already in the store: restore into an empty one")
        count += 1
    return count


def _forget_page_copies() -> None:
    pages = caches["pages"]
    if not isinstance(pages, RedisCache):
        return  # per-process copies: servers start afresh after a restore
    client = pages._cache.get_client(write=True)
    try:
        # Every version's keys: Django writes the version into the key as given.
        for key in client.scan_iter(match=pages.make_key("*", version="*")):  # type: ignore[arg-type]
            client.delete(key)
    except redis.RedisError:
        pass  # copies expire; the version key within a minute (education/content_version.py)
