from django.db import models


class SentEmail(models.Model):
    """An email task whose message has gone: the same task run again sends nothing.

    A task runs again when its worker died before recording the result and another worker
    re-queued it (clinic/stale_tasks.py); the message may already have left. The row holds
    only the task's id and a time, nothing about the patient.
    """

    task_id = models.UUIDField(primary_key=True, help_text="The send_email task that sent.")
    sent_at = models.DateTimeField(auto_now_add=True, help_text="When the message left.")

    def __str__(self) -> str:
        return f"Email task {self.task_id} sent {self.sent_at:%Y-%m-%d %H:%M}"
