"""`check --deploy` refuses a multi-server set-up with anything one server cannot share."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

SHARED = {
    "CACHES": {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    },
    "STORAGES": {
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
}
PER_SERVER = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
}


def ours(settings, servers: int, values: dict) -> set[str]:
    settings.APP_SERVERS = servers
    for name, value in values.items():
        setattr(settings, name, value)
    found = run_checks(tags=["caches"], include_deployment_checks=True)
    return {error.id for error in found if error.id.startswith("clinic")}


def test_two_servers_with_a_process_cache_local_files_or_in_memory_tasks_fail_the_check(
    settings,
):
    assert ours(settings, 2, PER_SERVER) == {"clinic.E001", "clinic.E002", "clinic.E003"}
    with pytest.raises(SystemCheckError, match="share no cache"):
        call_command("check", "--deploy", "--tag", "caches")


def test_two_servers_sharing_redis_the_object_store_and_the_database_queue_pass(settings):
    assert ours(settings, 2, SHARED) == set()


def test_one_server_may_keep_everything_to_itself(settings):
    assert ours(settings, 1, PER_SERVER) == set()
