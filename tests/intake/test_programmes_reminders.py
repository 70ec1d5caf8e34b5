"""Home exercise reminders: only when the patient asked, on planned days, after the time
they picked, once a day, never after the programme ended, and nothing private in them."""

from dataclasses import replace
from datetime import time

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from intake.models import Programme
from intake.programmes import end_programme, log_session, send_due_programme_reminders
from tests.intake.booking_factories import local
from tests.intake.programme_factories import clinician_user, make_programme, protocol_doses
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db

MONDAY = (2026, 3, 2)  # clocks change on Sunday March 8


def reminders() -> int:
    return DBTaskResult.objects.filter(args_kwargs__kwargs__template="programme_reminder").count()


def programme_with(*, per: str, times: int, at: time | None = time(7)) -> Programme:
    doses = [replace(dose, per=per, times=times) for dose in protocol_doses()]
    programme = make_programme(now=local(*MONDAY, 9), doses=doses)
    Programme.objects.filter(pk=programme.pk).update(reminder_time=at)
    DBTaskResult.objects.all().delete()  # the email with the link
    return programme


def test_no_reminder_unless_the_patient_asked():
    programme_with(per="day", times=1, at=None)
    assert send_due_programme_reminders(now=local(2026, 3, 3, 12)) == 0


def test_one_reminder_a_day_after_the_chosen_time():
    programme_with(per="day", times=2)
    assert send_due_programme_reminders(now=local(2026, 3, 3, 6, 59)) == 0
    assert send_due_programme_reminders(now=local(2026, 3, 3, 7, 5)) == 1
    assert send_due_programme_reminders(now=local(2026, 3, 3, 7, 10)) == 0
    assert send_due_programme_reminders(now=local(2026, 3, 3, 23, 59)) == 0
    assert send_due_programme_reminders(now=local(2026, 3, 4, 7, 0)) == 1
    assert reminders() == 2


def test_the_day_clocks_change_gets_one_reminder_at_the_local_time():
    programme_with(per="day", times=1)
    assert send_due_programme_reminders(now=local(2026, 3, 8, 6, 30)) == 0
    assert send_due_programme_reminders(now=local(2026, 3, 8, 7, 0)) == 1
    assert send_due_programme_reminders(now=local(2026, 3, 8, 8, 0)) == 0


def test_a_weekly_dose_reminds_only_on_its_planned_days():
    programme_with(per="week", times=3)
    sent = {day: send_due_programme_reminders(now=local(2026, 3, day, 8)) for day in range(2, 9)}
    assert sent == {2: 1, 3: 0, 4: 1, 5: 0, 6: 1, 7: 0, 8: 0}  # Monday, Wednesday, Friday


def test_no_reminder_once_today_is_logged():
    programme = programme_with(per="day", times=1)
    log_session(programme=programme, now=local(2026, 3, 3, 6))
    assert send_due_programme_reminders(now=local(2026, 3, 3, 8)) == 0


def test_no_reminder_after_the_programme_ended():
    programme = programme_with(per="day", times=1)
    end_programme(programme=programme, by=clinician_user(), now=local(2026, 3, 3, 6))
    assert send_due_programme_reminders(now=local(2026, 3, 3, 8)) == 0
    assert send_due_programme_reminders(now=local(2026, 3, 4, 8)) == 0


def test_the_reminder_carries_the_link_and_nothing_about_the_exercises():
    programme = programme_with(per="day", times=1)
    send_due_programme_reminders(now=local(2026, 3, 3, 8))
    [email] = deliver_queued_emails()
    assert programme.token in email.body
    for dose in protocol_doses():
        assert dose.exercise.name.lower() not in email.body.lower()


def test_the_reminder_command_queues_them(settings, capsys):
    programme_with(per="day", times=1)
    call_command("send_reminders")
    assert "home exercise reminder(s)" in capsys.readouterr().out


def test_the_patient_reads_which_days_reminders_go_out(client):
    from django.utils import timezone

    from intake.programmes import reminder_days_text

    weekly = programme_with(per="week", times=3)
    daily = make_programme(email="d@example.com")
    today = timezone.localdate()
    assert reminder_days_text(weekly, today=today) == "Monday, Wednesday and Friday"
    assert reminder_days_text(daily, today=today) == "every day"
    page = client.get(f"/my-exercises/{weekly.token}/").content.decode()
    assert "(Monday, Wednesday and Friday)" in page
