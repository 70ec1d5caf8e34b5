"""Background tasks. Email leaves the request here: enqueued in the same
transaction as the row it is about, and retried with back-off until it goes.

A failed send raises, so the task system records that attempt as Failed with its error
at once; just before, the task schedules its next attempt with the task system's own
`run_after`. Every attempt carries the id of the first (`first_attempt`), which is how
`intake.undelivered` tells the front desk which emails have not gone out and when the
next try is. (Django passes the task's own context as `context`, so the email template's
context is `email_context`.)

A task whose worker died may run again (clinic/stale_tasks.py); a `SentEmail` row written
as soon as the message has left makes the second run send nothing.
"""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import TaskContext, default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone

from intake.clinic_details import clinic_details
from intake.email_encoding import EightBitEmail
from intake.models import SentEmail

logger = logging.getLogger(__name__)


def max_attempts() -> int:
    return len(settings.EMAIL_RETRY_DELAYS) + 1


@task(takes_context=True)
def send_email(
    context: TaskContext,
    *,
    template: str,
    to: list[str],
    email_context: dict,
    attachments: list[dict] | None = None,
    attempt: int = 1,
    first_attempt: str = "",
) -> None:
    """Render `emails/<template>_subject.txt` and `emails/<template>.txt` and send them.

    `email_context` and `attachments` ({"filename", "content_b64", "mimetype"}) must be
    JSON-serialisable, since the queue stores them. Never put health details in
    either: email is not a private channel.
    On failure the task enqueues its next attempt (settings.EMAIL_RETRY_DELAYS) and
    raises, so this attempt shows as Failed, with its error, in the admin.
    """
    task_id = context.task_result.id
    if SentEmail.objects.filter(task_id=task_id).exists():
        logger.info("Email task %s already sent; not sending it again", task_id)
        return
    full_context = {**email_context, "clinic": clinic_details(), "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", full_context).split())
    message = EightBitEmail(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", full_context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    for attachment in attachments or []:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content_b64"]),
            attachment["mimetype"],
        )
    try:
        message.send()
    except Exception:
        if attempt >= max_attempts():
            logger.exception("Email %s failed for good after %d attempts", template, attempt)
            raise
        delay = settings.EMAIL_RETRY_DELAYS[attempt - 1]
        logger.warning("Email %s failed (attempt %d); retrying in %ds", template, attempt, delay)
        retry = send_email
        if default_task_backend.supports_defer:
            retry = send_email.using(run_after=timezone.now() + timedelta(seconds=delay))
        retry.enqueue(
            template=template,
            to=to,
            email_context=email_context,
            attachments=attachments,
            attempt=attempt + 1,
            first_attempt=first_attempt or str(context.task_result.id),
        )
        raise
    SentEmail.objects.create(task_id=task_id)


def attachment(filename: str, content: bytes, mimetype: str) -> dict:
    """An attachment in the JSON-safe form `send_email` takes."""
    return {
        "filename": filename,
        "content_b64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


@task()
def run_waitlist_round(*, freed_time_id: int) -> None:
    """The next round of waitlist offers for a freed time (`intake.waitlist`)."""
    from intake.waitlist import run_offer_round  # that module queues this task

    run_offer_round(freed_time_id=freed_time_id)
