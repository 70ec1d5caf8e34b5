"""Send the emails a test queued, in-process, and return them as Django mail messages.

The worker (`db_worker`) needs committed rows and so transactional tests; sending
the queued tasks here renders the same templates and attachments through the same
task function while the test's transaction stays open.
"""

from django.core import mail
from django.tasks import TaskContext
from django_tasks_db.models import DBTaskResult

from intake.tasks import send_email


def deliver_queued_emails() -> list[mail.EmailMessage]:
    """Send every queued email once (then forget it) and return what was sent. Other
    tasks (the waitlist's offer rounds) stay queued."""
    sent_before = len(mail.outbox)
    emails = DBTaskResult.objects.filter(task_path=send_email.module_path)
    for result in emails.order_by("enqueued_at", "id"):
        context = TaskContext(task_result=result.task_result)
        send_email.call(context, **result.args_kwargs["kwargs"])
    emails.delete()
    return mail.outbox[sent_before:]
