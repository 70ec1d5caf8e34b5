import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from intake.tasks import MAX_ATTEMPTS, send_email


@pytest.fixture
def email_templates(tmp_path, settings):
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "hello_subject.txt").write_text("Hello {{ name }}\n")
    (tmp_path / "emails" / "hello.txt").write_text("Call {{ clinic.phone_display }}")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]


@pytest.mark.django_db(transaction=True)
def test_failed_email_is_retried_and_delivered_once_the_mailer_works(email_templates, monkeypatch):
    calls = {"n": 0}
    real_send = mail.EmailMessage.send

    def flaky_send(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("SMTP down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky_send)
    monkeypatch.setattr("intake.tasks.BACKOFF", [0])
    send_email.enqueue(template="hello", to=["pat@example.com"], context={"name": "Pat"})

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert calls["n"] == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hello Pat"
    assert "(608) 218-4215" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_an_email_that_keeps_failing_stops_after_the_last_attempt_and_shows_as_failed(
    email_templates, monkeypatch, client, group_member, caplog
):
    """Nobody is emailed, so staff must be able to find it and phone the person instead."""
    calls = {"n": 0}

    def broken_send(self, *args, **kwargs):
        calls["n"] += 1
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(mail.EmailMessage, "send", broken_send)
    monkeypatch.setattr("intake.tasks.BACKOFF", [0])
    send_email.enqueue(template="hello", to=["pat@example.com"], context={"name": "Pat"})

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert calls["n"] == MAX_ATTEMPTS
    assert mail.outbox == []
    [failed] = DBTaskResult.objects.filter(status="FAILED")
    assert failed.args_kwargs["kwargs"]["attempt"] == MAX_ATTEMPTS
    assert failed.args_kwargs["kwargs"]["to"] == ["pat@example.com"]
    assert DBTaskResult.objects.filter(status="READY").count() == 0  # no attempt after the last
    assert "pat@example.com" not in caplog.text  # logs name the template, not the person

    client.force_login(group_member("Front desk"))
    listed = client.get("/admin/django_tasks_database/dbtaskresult/", {"status__exact": "FAILED"})
    assert listed.status_code == 200
    assert str(failed.id) in listed.content.decode()
    detail = client.get(f"/admin/django_tasks_database/dbtaskresult/{failed.id}/change/")
    assert "ConnectionRefusedError: SMTP down" in detail.content.decode()
