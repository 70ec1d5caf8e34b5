"""What the site itself keeps in the database, apart from any app's content."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life, so tasks held by a dead one can run elsewhere.

    The task table says which worker claimed a task, not whether that worker still runs:
    one killed mid-task leaves the task "running" for ever (django-tasks #46). Each worker
    (`manage.py db_worker`) writes its row every few seconds from a thread of its own,
    and re-queues tasks whose worker has gone quiet (clinic/stale_tasks.py).
    """

    worker_id = models.CharField(max_length=64, primary_key=True, help_text="The worker's id.")
    seen_at = models.DateTimeField(db_index=True, help_text="When it last said it was alive.")

    def __str__(self) -> str:
        return f"Worker {self.worker_id} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
