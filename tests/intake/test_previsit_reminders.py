"""The one reminder to fill in the before-visit form, PREVISIT_REMINDER_HOURS before the
visit: never twice, never when the form is done, never for a cancelled visit."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from intake.booking import cancel_appointment
from intake.models import CancelledBy, PreVisit
from intake.previsit import send_due_previsit_reminders, send_previsit_reminder
from tests.intake.previsit_support import CONTACT, book, fill_first_visit, form_of, section_url
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def previsit(settings) -> PreVisit:
    settings.SITE_URL = "https://peak.example"
    settings.PREVISIT_REMINDER_HOURS = 48
    previsit = form_of(book(days_ahead=7))
    deliver_queued_emails()  # the confirmation
    return previsit


def hours_before(previsit: PreVisit, hours: float):
    return previsit.appointment.start - timedelta(hours=hours)


def test_one_reminder_goes_out_48_hours_before_and_never_again(previsit):
    assert send_due_previsit_reminders(now=hours_before(previsit, 49)) == 0

    first = send_due_previsit_reminders(now=hours_before(previsit, 47))
    second = send_due_previsit_reminders(now=hours_before(previsit, 30))

    assert (first, second) == (1, 0)
    [email] = deliver_queued_emails()
    assert email.to == ["pat@example.com"]
    assert email.subject.startswith("Before your visit on ")
    assert f"https://peak.example/before-your-visit/{previsit.token}/" in email.body
    previsit.refresh_from_db()
    assert previsit.reminder_sent_at == hours_before(previsit, 47)


def test_a_reminder_claimed_by_another_run_is_not_sent_again(previsit):
    """Two runs that both read the form as due: only the first claim sends."""
    now = hours_before(previsit, 40)
    assert send_previsit_reminder(previsit, now=now)
    assert not send_previsit_reminder(previsit, now=now)
    assert len(deliver_queued_emails()) == 1


def test_no_reminder_when_the_form_is_done(previsit):
    fill_first_visit(Client(), previsit)

    assert send_due_previsit_reminders(now=hours_before(previsit, 40)) == 0
    assert deliver_queued_emails() == []


def test_a_started_but_unfinished_form_is_reminded(previsit):
    Client().post(section_url(previsit, "contact"), CONTACT)

    assert send_due_previsit_reminders(now=hours_before(previsit, 40)) == 1


def test_no_reminder_for_a_cancelled_visit(previsit):
    cancel_appointment(appointment=previsit.appointment, reason="", cancelled_by=CancelledBy.STAFF)
    deliver_queued_emails()

    assert send_due_previsit_reminders(now=hours_before(previsit, 40)) == 0
    assert deliver_queued_emails() == []


def test_no_reminder_when_booked_inside_the_48_hours(previsit):
    """The confirmation, sent moments before, already carried the link."""
    PreVisit.objects.filter(pk=previsit.pk).update(created_at=hours_before(previsit, 30))

    assert send_due_previsit_reminders(now=hours_before(previsit, 20)) == 0


def test_the_send_reminders_command_sends_the_form_reminder_too(previsit):
    appointment = previsit.appointment
    appointment.set_times(timezone.now() + timedelta(hours=40), appointment.appointment_type)
    appointment.save()
    PreVisit.objects.filter(pk=previsit.pk).update(created_at=timezone.now() - timedelta(days=7))

    call_command("send_reminders", verbosity=0)

    subjects = [email.subject for email in deliver_queued_emails()]
    assert [s for s in subjects if s.startswith("Before your visit")] != []
