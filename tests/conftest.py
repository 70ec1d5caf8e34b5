"""Shared fixtures. The environment tests run in is set in pyproject.toml (pytest-env)."""

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent.parent

# Property tests: CI tries at least 1,000 examples of every public form (issue 10); a local
# run (`make test`, where each example renders every form: about a tenth of the suite at
# 100) tries 50, which finds most classes of bad input in seconds rather than minutes.
# HYPOTHESIS_PROFILE=ci runs the full count locally. Full HTTP requests are the slow part,
# so request-level tests take `request_examples()`: a tenth of the form-level count.
_PROFILE = {
    "deadline": None,  # a shared 2-core machine makes single-example timings meaningless
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
hypothesis_settings.register_profile("ci", max_examples=1000, **_PROFILE)
hypothesis_settings.register_profile("dev", max_examples=50, **_PROFILE)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


def pytest_configure(config) -> None:
    """`TEST_CLOCK=2026-12-06T20:00-06:00` runs the whole suite as if started at that moment.

    Tests must pass at any day and hour; `make test-clocks` proves it at the moments that
    used to break them. The clock keeps ticking from there (tick=True), and only the wall
    clock moves: timeouts run on the real monotonic clock. time-machine rather than a
    process-wide faketime: libfaketime made Python's short sleeps fail with EINVAL.
    """
    if clock := os.environ.get("TEST_CLOCK"):
        time_machine.travel(datetime.fromisoformat(clock), tick=True).start()


def pytest_report_header(config) -> str | None:
    if clock := os.environ.get("TEST_CLOCK"):
        return f"clock: the suite started at {clock} (TEST_CLOCK), not now"
    return None


def request_examples() -> int:
    """How many whole requests a request-level property test sends: 100 in CI, 10 locally."""
    return max(10, hypothesis_settings.default.max_examples // 10)


def pytest_collection_modifyitems(items) -> None:
    """Every transactional test restores the migrated data (seeded guides, self-check, groups).

    A transactional test ends by flushing every table. When one that does not restore the
    snapshot runs before one that does, the flush re-creates content types and the restore
    then collides with them; so either all transactional tests restore or none can.
    The marker itself is rewritten (not just a fixture added) because pytest-django decides
    from the markers whether to serialize the database at set-up at all.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            if "live_server" not in item.fixturenames:
                continue
            marker = pytest.mark.django_db(transaction=True).mark
        transactional = marker.kwargs.get("transaction") or (marker.args and marker.args[0])
        if (transactional or "live_server" in item.fixturenames) and not marker.kwargs.get(
            "serialized_rollback"
        ):
            kwargs = {**marker.kwargs, "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session", autouse=True)
def migrated_data_restored_by_copy() -> Iterator[None]:
    """On SQLite, a transactional test gets the migrated data back as a copy of the database
    pages instead of re-saving every serialized row through the ORM.

    Each transactional test starts from the migrated rows (pytest_collection_modifyitems
    below); Django restores them by deserializing the JSON taken at set-up and saving each
    object, about a second of CPU per test, for some 170 tests. The first restore here
    runs Django's own, then keeps a copy of the whole in-memory database; every later one
    copies that back with SQLite's backup API, which replaces every table at once. The
    flush before it still runs, so the copy lands on the same empty tables Django's would.
    PostgreSQL keeps Django's way.
    """
    import sqlite3

    from django.db.backends.sqlite3.creation import DatabaseCreation

    original = DatabaseCreation.deserialize_db_from_string
    copies: dict[str, sqlite3.Connection] = {}

    def deserialize_db_from_string(self, data) -> None:
        connection = self.connection
        if not connection.is_in_memory_db():
            return original(self, data)
        name = connection.settings_dict["NAME"]
        connection.ensure_connection()
        if name not in copies:
            original(self, data)
            copies[name] = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copies[name])
        else:
            copies[name].backup(connection.connection)

    DatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
    yield
    DatabaseCreation.deserialize_db_from_string = original
    for copy in copies.values():
        copy.close()


def skip_or_fail(reason: str) -> None:
    """Skip a test whose server or browser is absent, but fail in CI, where it must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required when CI is set)")
    pytest.skip(reason)


def made_once_per_run(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A file or folder that `make(path)` writes, shared by the test processes of one run.

    The xdist workers of a run share the parent of their temporary folders. The first to
    take the lock makes the thing under a name of its own and renames it into place when
    done; the others wait for it, so none reads it half-written. Nothing changes it after.
    """
    import fcntl

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp()
    if worker:
        shared = shared.parent
    made = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            partial = shared / f"{name}.{worker or 'main'}.partial"
            make(partial)
            partial.rename(made)
    return made


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory) -> Iterator[None]:
    """Production storage needs the hashed-name manifest, as after a deploy's collectstatic.

    collectstatic costs seconds of CPU (compressing every file with Brotli and gzip), so
    the test processes of a run share one folder. Child processes (test_outage's) read it
    from DJANGO_STATIC_ROOT.
    """
    from django.core.management import call_command
    from django.test.utils import override_settings

    def collect(folder: Path) -> None:
        with override_settings(STATIC_ROOT=str(folder)):
            call_command("collectstatic", interactive=False, verbosity=0)

    root = str(made_once_per_run(tmp_path_factory, "static", collect))
    with override_settings(STATIC_ROOT=root), pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_STATIC_ROOT", root)
        yield


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory, collected_static) -> Path:
    """A SQLite file after `manage.py migrate` and nothing else, made once per run.

    For tests whose child processes need a database of their own (deploys, restores,
    races on a file): each copies it rather than migrating again (seconds of CPU each).
    """
    from tests.production_env import production_env

    def migrate(path: Path) -> None:
        env = production_env(
            DATABASE_URL=f"sqlite:///{path}",
            DJANGO_SETTINGS_MODULE="clinic.settings",
            DJANGO_STATIC_ROOT=os.environ["DJANGO_STATIC_ROOT"],
            DJANGO_LOG_LEVEL="WARNING",
            EMAIL_URL="dummy://",
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=180,
        )  # fmt: skip

    return made_once_per_run(tmp_path_factory, "migrated.sqlite3", migrate)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Staff passwords hash with MD5 in tests instead of Django's PBKDF2 (1.5 million rounds,
    about a third of a second each): making the staff users that a third of the tests need,
    and signing them in, otherwise takes over a minute of the suite. No test is about the
    hash itself; production keeps Django's default hashers (settings.py does not set them).
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clinic_details_as_migrated():
    """Each test starts with the clinic details a fresh database holds (no street address),
    already read, so a page's query count does not depend on which test ran first."""
    from intake.clinic_details import forget_clinic_details, from_settings

    forget_clinic_details(from_settings())
    yield
    forget_clinic_details()


@pytest.fixture(autouse=True)
def empty_page_cache(settings):
    """Each test renders education pages afresh instead of getting an earlier test's copy.

    The copies live in the shared cache (database or Redis) under the content version, which
    a rolled-back or flushed test database resets; a key prefix of the test's own keeps
    another test's copy out of reach without touching the database or Redis here.
    """
    from uuid import uuid4

    from education import version_listener

    # A flushed or rolled-back database moves the version back with no notice.
    version_listener.forget_all()
    prefix = uuid4().hex
    settings.CACHES = {
        **settings.CACHES,
        **{
            alias: {**settings.CACHES[alias], "KEY_PREFIX": prefix}
            for alias in ("pages", "pages_here")
        },
    }


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch) -> None:
    """`client.force_login(staff)` gives a session as after the whole sign-in: password,
    then the authenticator code (a confirmed TOTP device is made for the user if needed).

    Staff pages need both steps (clinic/admin_site.py); tests of other features should
    not each repeat them. Tests of the sign-in itself post to the login page instead.
    """
    from django.test.client import ClientMixin

    real_force_login = ClientMixin.force_login

    def force_login(self, user, backend=None) -> None:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from clinic.staff.sessions import LAST_SEEN_KEY, PASSWORD_AT_KEY

        real_force_login(self, user, backend)
        if not user.is_staff:
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[PASSWORD_AT_KEY] = session[LAST_SEEN_KEY] = timezone.now().timestamp()
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture
def requires_postgres(db) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if not os.environ.get("DATABASE_URL"):
            # A run on SQLite by choice (CI's second pass): the PostgreSQL pass runs these.
            pytest.skip(reason)
        skip_or_fail(reason)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="staffer", password="pw-staff-123", is_staff=True
    )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="boss", password="pw-boss-123", email="boss@example.com"
    )


@pytest.fixture
def group_member(django_user_model):
    """A staff user in one of the migration-made groups ("Clinician", "Front desk")."""
    from django.contrib.auth.models import Group

    def make(group_name: str, username: str | None = None):
        user = django_user_model.objects.create_user(
            username=username or group_name.lower().replace(" ", "_"),
            password="pw-group-123",
            is_staff=True,
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup) -> Iterator[None]:
    """Close each process's listening connection before the test database is dropped:
    PostgreSQL refuses to drop a database someone is connected to."""
    from education import version_listener

    yield
    version_listener.close_all()
