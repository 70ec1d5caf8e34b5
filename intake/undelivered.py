"""Emails that have not gone out: what the front desk must know to phone someone instead.

An email is one chain of `send_email` attempts (see intake/tasks.py). It is undelivered
from its first failed attempt until one attempt succeeds; while attempts remain, the next
one waits in the queue with its `run_after`. Read from the task results in one query:
only failed attempts and retries, never the many emails that went out first time.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from intake.tasks import max_attempts, send_email


@dataclass(frozen=True)
class UndeliveredEmail:
    template: str
    to: list[str]
    name: str  # the person's name when the email is to them, else ""
    attempts_failed: int
    max_attempts: int
    error: str  # the last failure, e.g. "ConnectionRefusedError: SMTP down"
    failed_at: datetime
    next_try_at: datetime | None  # None: no tries left, someone must phone instead
    last_failure_id: str

    @property
    def to_front_desk(self) -> bool:
        return self.to == [settings.CLINIC_NOTIFY_EMAIL]

    @property
    def recipient(self) -> str:
        return "the front desk" if self.to_front_desk else "the patient"


def undelivered_emails() -> list[UndeliveredEmail]:
    """Every email whose last attempt failed, newest failure first."""
    attempts = DBTaskResult.objects.filter(task_path=send_email.module_path).filter(
        Q(status=TaskResultStatus.FAILED) | Q(args_kwargs__kwargs__attempt__gt=1)
    )
    chains: dict[str, list[DBTaskResult]] = {}
    for result in attempts.order_by():
        kwargs = result.args_kwargs["kwargs"]
        chains.setdefault(kwargs.get("first_attempt") or str(result.pk), []).append(result)
    undelivered = [email for chain in chains.values() if (email := _undelivered(chain)) is not None]
    return sorted(undelivered, key=lambda email: email.failed_at, reverse=True)


def _undelivered(chain: list[DBTaskResult]) -> UndeliveredEmail | None:
    chain.sort(key=lambda result: result.args_kwargs["kwargs"].get("attempt", 1))
    failures = [result for result in chain if result.status == TaskResultStatus.FAILED]
    latest = chain[-1]
    if not failures or latest.status == TaskResultStatus.SUCCESSFUL:
        return None
    last_failure = failures[-1]
    kwargs = last_failure.args_kwargs["kwargs"]
    pending = latest.status in {TaskResultStatus.READY, TaskResultStatus.RUNNING}
    to = kwargs.get("to", [])
    to_front_desk = to == [settings.CLINIC_NOTIFY_EMAIL]
    return UndeliveredEmail(
        template=kwargs.get("template", ""),
        to=to,
        name="" if to_front_desk else _name(kwargs.get("email_context", {})),
        attempts_failed=len(failures),
        max_attempts=max_attempts(),
        error=_error_line(last_failure.traceback),
        failed_at=last_failure.finished_at,
        next_try_at=_next_try(latest) if pending else None,
        last_failure_id=str(last_failure.pk),
    )


def _next_try(pending: DBTaskResult) -> datetime:
    """When the queued attempt runs: its `run_after`, or at once if it has none."""
    return pending.enqueued_at if pending.run_after == get_date_max() else pending.run_after


def _error_line(traceback: str) -> str:
    """The exception's own line, the last of its traceback."""
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _name(email_context: dict) -> str:
    """Lead emails call the person `name`, booking emails `patient_name`."""
    return email_context.get("name") or email_context.get("patient_name") or ""
