"""Tasks claimed by a worker that has gone quiet go back to the queue.

django-tasks-db marks a task "running" when a worker claims it and "successful" or
"failed" when it ends; a worker killed in between (a deploy, a crashed host, the OOM
killer) leaves it running for ever, so that email or reminder never goes out
(django-tasks #46). Every worker therefore writes a heartbeat (`beat`) while it runs, and
`requeue_stale_tasks` puts back to "ready" each running task that was claimed longer ago
than the stale limit by a worker with no heartbeat since: any live worker then takes it.
A task that runs twice this way must do its work once: `intake.tasks.send_email` checks
its own record of having sent before sending.
"""

import logging
from datetime import datetime, timedelta

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from clinic.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(*, worker_id: str, now: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})


def requeue_stale_tasks(*, now: datetime, stale_after: timedelta) -> list[str]:
    """Put back every task held by a quiet worker; return their ids.

    Each is claimed with a conditional UPDATE (still running, same claim time), so two
    workers sweeping at once re-queue it once, and a task that finished meanwhile stays
    finished. Heartbeats of workers gone for a day are dropped.
    """
    quiet_since = now - stale_after
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=quiet_since).values_list("worker_id", flat=True)
    )
    requeued = []
    stale = DBTaskResult.objects.running().filter(started_at__lt=quiet_since)
    for task in stale.only("id", "started_at", "worker_ids"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue  # a long task on a live worker
        if DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        ).update(status=TaskResultStatus.READY, run_after=now, started_at=None):
            logger.warning(
                "Task %s re-queued: its worker %s went quiet",
                task.pk,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
            requeued.append(str(task.pk))
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return requeued
