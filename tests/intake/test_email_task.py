import pytest
from django.core import mail
from django.core.management import call_command

from intake.tasks import send_email


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
