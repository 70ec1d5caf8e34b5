"""Background tasks. Email leaves the request here: enqueued in the same
transaction as the row it is about, and retried with back-off until it goes."""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone

from intake.clinic_details import clinic_details

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Seconds to wait before attempt 2, 3, ...: about an hour and a half in all.
BACKOFF = [30, 120, 600, 1800, 3600]


@task
def send_email(
    *,
    template: str,
    to: list[str],
    context: dict,
    attachments: list[dict] | None = None,
    attempt: int = 1,
) -> None:
    """Render `emails/<template>_subject.txt` and `emails/<template>.txt` and send them.

    `context` and `attachments` ({"filename", "content_b64", "mimetype"}) must be
    JSON-serialisable, since the queue stores them. Never put health details in
    either: email is not a private channel.
    On failure the task enqueues its next attempt and, after the last one,
    raises so the failed result stays visible in the admin (Django tasks: DB task results).
    """
    full_context = {**context, "clinic": clinic_details(), "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", full_context).split())
    message = EmailMultiAlternatives(
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
        if attempt >= MAX_ATTEMPTS:
            logger.exception("Email %s failed for good after %d attempts", template, attempt)
            raise
        delay = BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]
        logger.warning("Email %s failed (attempt %d); retrying in %ds", template, attempt, delay)
        retry = send_email
        if default_task_backend.supports_defer:
            retry = send_email.using(run_after=timezone.now() + timedelta(seconds=delay))
        retry.enqueue(
            template=template,
            to=to,
            context=context,
            attachments=attachments,
            attempt=attempt + 1,
        )


def attachment(filename: str, content: bytes, mimetype: str) -> dict:
    """An attachment in the JSON-safe form `send_email` takes."""
    return {
        "filename": filename,
        "content_b64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }
