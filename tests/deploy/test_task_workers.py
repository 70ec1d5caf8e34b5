"""Nothing is lost when a worker dies: its task runs on another, and sends once."""

import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clinic.stale_tasks import beat, requeue_stale_tasks
from intake.tasks import send_email
from tests.deploy.conftest import ROOT, deploy_env, run_django
from tests.deploy.smtp_server import SmtpServer

STALE = timedelta(seconds=60)


def held_by(worker_id: str, *, claimed_ago: timedelta) -> DBTaskResult:
    """An email task a worker claimed that long ago and has not finished."""
    result = send_email.enqueue(template="lead_acknowledgement", to=["pat@example.com"],
                                email_context={"name": "Pat"})  # fmt: skip
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - claimed_ago)
    return task


@pytest.mark.django_db
def test_a_task_held_by_a_quiet_worker_goes_back_to_the_queue():
    task = held_by("dead", claimed_ago=STALE * 2)
    beat(worker_id="dead", now=timezone.now() - STALE * 2)  # its last sign of life

    assert requeue_stale_tasks(now=timezone.now(), stale_after=STALE) == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == "READY"
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_a_long_task_on_a_live_worker_and_a_fresh_claim_are_left_alone():
    long_task = held_by("alive", claimed_ago=STALE * 5)
    beat(worker_id="alive", now=timezone.now())
    fresh = held_by("just-started", claimed_ago=timedelta(seconds=1))

    assert requeue_stale_tasks(now=timezone.now(), stale_after=STALE) == []
    assert DBTaskResult.objects.get(pk=long_task.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_an_email_task_run_again_after_its_worker_died_sends_nothing_twice():
    """The worker died after the message left but before the task was marked done."""
    send_email.enqueue(template="lead_acknowledgement", to=["pat@example.com"],
                       email_context={"name": "Pat"})  # fmt: skip
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 1
    # As the sweep puts back a task whose worker went quiet before recording the end.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now() - STALE * 2)

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


TASK_STATES = """
from django_tasks_db.models import DBTaskResult
print(*DBTaskResult.objects.values_list("status", "worker_ids"))
"""


def start_worker(env: dict[str, str], worker_id: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2",
         "--worker-id", worker_id, "-v0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_a_worker_killed_holding_an_email_leaves_it_to_the_other_which_sends_it_once(
    fresh_database,
):
    """Worker A takes the email and hangs on the mail server; it is killed (as by a crash).
    Worker B, running beside it, re-queues the task once A has been quiet for the stale
    limit, and sends it: the mail server receives one message."""
    smtp = SmtpServer(hold_first=True)
    env = deploy_env(fresh_database, EMAIL_URL=smtp.url, TASK_WORKER_STALE_SECONDS="2")
    run_django(env, "from intake.tasks import send_email\n"
               "send_email.enqueue(template='lead_acknowledgement', to=['pat@example.com'],"
               " email_context={'name': 'Pat'})")  # fmt: skip
    first = start_worker(env, "worker-a")
    second = None
    try:
        assert smtp.first_connection.wait(60), "worker A never reached the mail server"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        killed_at = time.monotonic()
        second = start_worker(env, "worker-b")
        assert smtp.message_arrived.wait(60), "the task was never re-run"
        took = time.monotonic() - killed_at
        done = run_django(env, TASK_STATES)
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(10)
        smtp.close()
    assert len(smtp.messages) == 1
    assert "('SUCCESSFUL', ['worker-a', 'worker-b'])" in done
    print(f"re-run {took:.1f}s after the kill (stale limit 2s)")  # shown with -s
