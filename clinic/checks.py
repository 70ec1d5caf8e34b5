"""`manage.py check --deploy` for a site run on more than one app server.

With two or more servers (APP_SERVERS, set by deploy/'s environment file) anything kept
in one process's memory or on one server's disk is invisible to the other: a cache per
process (double-submit keys, sessions if kept there), uploaded files on local disk, a task
backend that runs tasks inside the request or drops them. Each is an error then.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
LOCAL_STORAGE = "django.core.files.storage.FileSystemStorage"
IN_MEMORY_TASKS = (
    "django.tasks.backends.immediate.ImmediateBackend",
    "django.tasks.backends.dummy.DummyBackend",
)


@register(Tags.caches, Tags.files, deploy=True)
def check_shared_state(app_configs, **kwargs) -> list[Error]:
    servers = settings.APP_SERVERS
    if servers < 2:
        return []
    errors = []
    cache = settings.CACHES["default"]["BACKEND"]
    if cache in PER_PROCESS_CACHES:
        errors.append(
            Error(
                f"{servers} app servers share no cache: the default cache is {cache}.",
                hint="Set CACHE_URL to Redis (redis://...), or leave it unset for the database.",
                id="clinic.E001",
            )
        )
    if settings.STORAGES["default"]["BACKEND"] == LOCAL_STORAGE:
        errors.append(
            Error(
                f"{servers} app servers keep uploads on their own disks: a picture uploaded "
                "through one is missing on the other.",
                hint="Set MEDIA_STORAGE_URL to the S3-compatible store (README).",
                id="clinic.E002",
            )
        )
    for alias, backend in settings.TASKS.items():
        if backend["BACKEND"] in IN_MEMORY_TASKS:
            errors.append(
                Error(
                    f"{servers} app servers with the in-memory task backend {backend['BACKEND']}"
                    f" ({alias!r}): emails are sent inside requests or never.",
                    hint="Leave DJANGO_TASKS_BACKEND unset (the database backend) and run "
                    "manage.py db_worker beside each server.",
                    id="clinic.E003",
                )
            )
    return errors
