"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat and the stale sweep.

A thread beside the worker's loop writes this worker's heartbeat every third of
TASK_WORKER_STALE_SECONDS and re-queues tasks held by workers quiet for longer
(clinic/stale_tasks.py), so a task whose worker died runs on another within about
that limit. `--batch` (tests, one-off runs) sweeps once before it starts instead.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from clinic.stale_tasks import beat, requeue_stale_tasks

logger = logging.getLogger(__name__)


def stale_after() -> timedelta:
    return timedelta(seconds=settings.TASK_WORKER_STALE_SECONDS)


def keep_beating(*, worker_id: str, stop: threading.Event) -> None:
    try:
        while True:
            try:
                now = timezone.now()
                beat(worker_id=worker_id, now=now)
                requeue_stale_tasks(now=now, stale_after=stale_after())
            except DatabaseError as error:  # the database is back at the next beat
                logger.warning("Worker heartbeat failed: %s", error)
                connections.close_all()
            if stop.wait(stale_after().total_seconds() / 3):
                return
    finally:
        connections.close_all()  # this thread's own connections


class Command(db_worker.Command):
    help = "Run the task worker, with a heartbeat that lets others re-run what it held"

    def handle(self, *args, worker_id: str, batch: bool, **options) -> None:
        if batch:
            requeue_stale_tasks(now=timezone.now(), stale_after=stale_after())
            return super().handle(*args, worker_id=worker_id, batch=batch, **options)
        stop = threading.Event()
        heartbeat = threading.Thread(
            target=keep_beating,
            kwargs={"worker_id": worker_id, "stop": stop},
            name="heartbeat",
            daemon=True,  # a killed worker's beat must stop with it
        )
        heartbeat.start()
        try:
            return super().handle(*args, worker_id=worker_id, batch=batch, **options)
        finally:
            stop.set()
            heartbeat.join()
