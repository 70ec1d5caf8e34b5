import email.policy
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake.tasks import attachment, send_email
from intake.undelivered import undelivered_emails
from tests.intake.leads_support import Clock
from tests.intake.queued_emails import deliver_queued_emails


@pytest.fixture
def email_templates(tmp_path, settings):
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "hello_subject.txt").write_text("Hello {{ name }}\n")
    (tmp_path / "emails" / "hello.txt").write_text("Call {{ clinic.phone_display }}")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]


@pytest.mark.django_db(transaction=True)
def test_failed_email_is_retried_and_delivered_once_the_mailer_works(
    email_templates, monkeypatch, settings
):
    calls = {"n": 0}
    real_send = mail.EmailMessage.send

    def flaky_send(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("SMTP down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky_send)
    settings.EMAIL_RETRY_DELAYS = [0]
    send_email.enqueue(template="hello", to=["pat@example.com"], email_context={"name": "Pat"})

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert calls["n"] == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hello Pat"
    assert "(608) 218-4215" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_an_email_that_keeps_failing_stops_after_the_last_attempt_and_shows_as_failed(
    email_templates, monkeypatch, client, group_member, caplog, settings
):
    """Nobody is emailed, so staff must be able to find it and phone the person instead."""
    calls = {"n": 0}

    def broken_send(self, *args, **kwargs):
        calls["n"] += 1
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(mail.EmailMessage, "send", broken_send)
    settings.EMAIL_RETRY_DELAYS = [0, 0, 0, 0, 0]
    send_email.enqueue(template="hello", to=["pat@example.com"], email_context={"name": "Pat"})

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert calls["n"] == 6
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="FAILED").count() == 6  # every attempt shows
    failed = DBTaskResult.objects.get(args_kwargs__kwargs__attempt=6)
    assert failed.status == "FAILED"
    assert failed.args_kwargs["kwargs"]["to"] == ["pat@example.com"]
    assert DBTaskResult.objects.filter(status="READY").count() == 0  # no attempt after the last
    assert "pat@example.com" not in caplog.text  # logs name the template, not the person

    client.force_login(group_member("Front desk"))
    listed = client.get("/admin/django_tasks_database/dbtaskresult/", {"status__exact": "FAILED"})
    assert listed.status_code == 200
    assert str(failed.id) in listed.content.decode()
    detail = client.get(f"/admin/django_tasks_database/dbtaskresult/{failed.id}/change/")
    assert "ConnectionRefusedError: SMTP down" in detail.content.decode()


def test_retry_schedule_defaults_to_six_tries_over_about_an_hour_and_a_half(settings):
    delays = settings.EMAIL_RETRY_DELAYS
    assert len(delays) + 1 == 6
    assert 80 * 60 <= sum(delays) <= 120 * 60


@pytest.mark.django_db(transaction=True)
def test_front_desk_sees_a_failed_email_and_its_next_try_from_the_first_failure(
    email_templates, monkeypatch, client, group_member
):
    """The attempt is recorded as Failed with its error at once, not as a success that
    quietly queued another; the admin index says when the next try is."""
    clock = Clock(monkeypatch)
    mailer = {"up": False}
    real_send = mail.EmailMessage.send

    def send(self, *args, **kwargs):
        if not mailer["up"]:
            raise ConnectionRefusedError("SMTP down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send)
    send_email.enqueue(template="hello", to=["pat@example.com"], email_context={"name": "Pat"})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    first = DBTaskResult.objects.get(status="FAILED")
    assert "ConnectionRefusedError: SMTP down" in first.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == clock.now + timedelta(seconds=30)

    [email] = undelivered_emails()
    assert email.recipient == "the patient"
    assert email.name == "Pat"
    assert email.error == "ConnectionRefusedError: SMTP down"
    assert email.attempts_failed == 1
    assert email.next_try_at == retry.run_after

    client.force_login(group_member("Front desk"))
    index = client.get("/admin/").content.decode()
    assert "Email to the patient (Pat, pat@example.com) failed" in index
    next_try = timezone.localtime(retry.run_after).strftime("%a %-d %b, %H:%M")
    assert f"Next try at {next_try}." in index
    assert "ConnectionRefusedError: SMTP down" in index

    mailer["up"] = True
    clock.advance(seconds=31)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 1
    assert undelivered_emails() == []
    assert "Emails that have not gone out" not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_an_email_out_of_tries_asks_the_front_desk_to_phone(client, group_member, settings):
    settings.EMAIL_RETRY_DELAYS = [30]
    first_attempt = ""
    for attempt in (1, 2):
        failed = DBTaskResult.objects.create(
            task_path=send_email.module_path,
            status="FAILED",
            backend_name="default",
            finished_at=timezone.now(),
            args_kwargs={
                "args": [],
                "kwargs": {
                    "template": "booking_confirmed",
                    "to": ["sam@example.com"],
                    "email_context": {"name": "Sam"},
                    "attempt": attempt,
                    "first_attempt": first_attempt,
                },
            },
            exception_class_path="smtplib.SMTPServerDisconnected",
            traceback="Traceback...\nsmtplib.SMTPServerDisconnected: Connection closed\n",
        )
        first_attempt = first_attempt or str(failed.pk)

    client.force_login(group_member("Front desk"))
    index = client.get("/admin/").content.decode()
    assert "Email to the patient (Sam, sam@example.com) failed" in index
    assert "(2 of 2 tries)" in index
    assert "smtplib.SMTPServerDisconnected: Connection closed" in index
    assert "No more tries: please phone them." in index


@pytest.mark.django_db
def test_staff_without_access_to_email_tasks_do_not_see_failed_emails(client, group_member):
    DBTaskResult.objects.create(
        task_path=send_email.module_path,
        status="FAILED",
        backend_name="default",
        finished_at=timezone.now(),
        args_kwargs={"args": [], "kwargs": {"template": "x", "to": ["a@example.com"]}},
        exception_class_path="OSError",
        traceback="OSError: down",
    )
    client.force_login(group_member("Clinician"))
    assert "Emails that have not gone out" not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_undelivered_emails_take_one_query_however_many_there_are(django_assert_num_queries):
    for n in range(5):
        first = DBTaskResult.objects.create(
            task_path=send_email.module_path,
            status="FAILED",
            backend_name="default",
            finished_at=timezone.now(),
            args_kwargs={"args": [], "kwargs": {"template": "x", "to": [f"p{n}@example.com"]}},
            exception_class_path="OSError",
            traceback="OSError: down",
        )
        DBTaskResult.objects.create(
            task_path=send_email.module_path,
            backend_name="default",
            args_kwargs={
                "args": [],
                "kwargs": {"template": "x", "to": [f"p{n}@example.com"], "attempt": 2,
                           "first_attempt": str(first.pk)},
            },
        )  # fmt: skip
    with django_assert_num_queries(1):
        assert len(undelivered_emails()) == 5


def test_a_long_link_arrives_whole_in_the_emails_bytes(db, tmp_path, settings):
    """Quoted-printable broke a line over 78 characters with "=" and wrote "=3D" for "=";
    a before-visit link copied from the raw text (the console's output) then failed."""
    link = "http://127.0.0.1:8000/before-your-visit/" + "Ab3_" * 20 + "/?next=a&x=b"
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "link_subject.txt").write_text("Your form")
    (tmp_path / "emails" / "link.txt").write_text(
        "{% autoescape off %}Here’s your form:\n{{ link }}\n{% endautoescape %}"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    ics = attachment("visit.ics", b"BEGIN:VCALENDAR\r\n" + b"X" * 200 + b"\r\n", "text/calendar")
    mail.outbox.clear()

    send_email.enqueue(
        template="link", to=["pat@example.com"], email_context={"link": link}, attachments=[ics]
    )
    deliver_queued_emails()

    for policy in (email.policy.default, email.policy.SMTP):
        raw = mail.outbox[0].message(policy=policy).as_bytes()
        assert link.encode() in raw
        assert "Here’s your form".encode() in raw
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        text = parsed.get_body(("plain",))
        assert text["Content-Transfer-Encoding"] == "8bit"
        assert text.get_content().splitlines() == ["Here’s your form:", link]
        (calendar,) = parsed.iter_attachments()
        assert calendar.get_content().splitlines() == ["BEGIN:VCALENDAR", "X" * 200]
