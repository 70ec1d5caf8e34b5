"""Nothing lost: the lead is saved even when email is down, and the emails follow
once the mailer works. Neither email carries health details."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from intake.models import Lead
from tests.intake.leads_support import Clock, contact_data

HEALTH_DETAILS = [
    "My knee hurts going down stairs",  # the message
    "Knee",  # the body area's label
    "knee",
    "Running",  # the activity is about their health too
    "patellofemoral",
]


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_lead_is_saved_and_emails_retried_until_the_mailer_works(client, monkeypatch):
    clock = Clock(monkeypatch)
    mailer = {"up": False, "attempts": 0}
    real_send = mail.EmailMessage.send

    def send(self, *args, **kwargs):
        mailer["attempts"] += 1
        if not mailer["up"]:
            raise ConnectionRefusedError("SMTP server down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", send)

    response = client.post("/contact/", contact_data(), follow=True)
    assert response.status_code == 200
    assert "Thank you: we have your request" in response.content.decode()
    lead = Lead.objects.get()

    run_worker()  # both first attempts fail; retries wait 30 seconds
    assert mailer["attempts"] == 2
    assert mail.outbox == []

    mailer["up"] = True
    clock.advance(seconds=31)
    run_worker()
    assert mailer["attempts"] == 4
    assert sorted(message.to[0] for message in mail.outbox) == [
        "frontdesk@peakendurancept.com",
        "jane@example.com",
    ]
    retried = [
        result
        for result in DBTaskResult.objects.all()
        if result.args_kwargs["kwargs"].get("attempt") == 2
    ]
    assert len(retried) == 2
    assert all(result.status == "SUCCESSFUL" for result in retried)

    acknowledgement, notification = sorted(mail.outbox, key=lambda m: m.to[0] != "jane@example.com")
    assert "Hi Jane Runner" in acknowledgement.body
    assert "(608) 218-4215" in acknowledgement.body
    assert "within one business day by phone call" in acknowledgement.body
    assert f"http://127.0.0.1:8000/admin/intake/lead/{lead.pk}/change/" in notification.body
    for message in (acknowledgement, notification):
        for detail in HEALTH_DETAILS:
            assert detail not in message.subject
            assert detail not in message.body


@pytest.mark.django_db
def test_double_click_creates_one_lead_and_one_pair_of_emails(client):
    data = contact_data()
    first = client.post("/contact/", data)
    second = client.post("/contact/", data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/contact/thanks/"
    assert Lead.objects.count() == 1
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_a_new_copy_of_the_form_makes_a_new_lead(client):
    assert client.post("/contact/", contact_data()).status_code == 302
    assert client.post("/contact/", contact_data(message="One more thing")).status_code == 302
    assert Lead.objects.count() == 2
