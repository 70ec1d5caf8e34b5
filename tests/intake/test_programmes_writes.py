"""Assigning, revising, ending and logging a home programme (intake.programmes)."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from education.models import Status
from intake.models import Programme, ProgrammeSession, ProgrammeVersion
from intake.programmes import (
    DraftExercise,
    SessionDetails,
    end_programme,
    log_session,
    revise_programme,
)
from tests.intake.programme_factories import (
    clinician_user,
    make_exercise,
    make_programme,
    protocol_doses,
)
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db


def test_a_protocol_starts_a_programme_with_its_exercises_and_doses_copied_in():
    programme = make_programme()
    rows = list(programme.exercises.select_related("exercise"))
    assert [row.exercise.slug for row in rows] == [dose.exercise.slug for dose in protocol_doses()]
    assert all(row.dose_text() for row in rows)
    assert programme.versions.get().changes.startswith("First version: 3 exercises")


def test_the_patient_is_emailed_the_link_and_nothing_about_the_exercises():
    programme = make_programme(note="Skip the hip abduction for now")
    [email] = deliver_queued_emails()
    assert email.to == ["pat@example.com"]
    assert programme.token in email.body
    for private in ("hip abduction", "Step-down", "sets", "Skip"):
        assert private.lower() not in email.body.lower()
        assert private.lower() not in email.subject.lower()
    assert programme.token not in Programme.objects.values_list("token_hash", flat=True)[0]


def test_editing_keeps_the_link_and_saves_a_version_saying_what_changed():
    programme = make_programme()
    token = programme.token
    doses = protocol_doses()
    user = clinician_user("editor")
    changed = [replace(doses[0], reps=12), *doses[2:]]
    version = revise_programme(
        programme=programme,
        doses=changed,
        note="Go easy the first week.",
        by=user,
        now=timezone.now(),
    )
    programme.refresh_from_db()
    assert programme.token == token
    assert Programme.objects.by_token(token).get() == programme
    assert version.number == 2 and version.created_by == user
    assert f"{doses[0].exercise.name}:" in version.changes and "→" in version.changes
    assert f"removed {doses[1].exercise.name}" in version.changes
    assert programme.versions.count() == 2
    assert programme.exercises.count() == len(changed)


def test_saving_without_a_change_makes_no_version():
    programme = make_programme()
    assert (
        revise_programme(
            programme=programme,
            doses=protocol_doses(),
            note="Go easy the first week.",
            by=clinician_user("x"),
            now=timezone.now(),
        )
        is None
    )
    assert ProgrammeVersion.objects.count() == 1


def test_a_draft_exercise_can_never_be_added_to_a_programme():
    draft = make_exercise("Sidewinder", status=Status.DRAFT)
    doses = [*protocol_doses(), replace(protocol_doses()[0], exercise=draft)]
    with pytest.raises(DraftExercise, match="Sidewinder"):
        make_programme(doses=doses)
    assert not Programme.objects.exists()
    programme = make_programme()
    with pytest.raises(DraftExercise):
        revise_programme(
            programme=programme, doses=doses, note="", by=clinician_user("y"), now=timezone.now()
        )


def test_a_session_is_logged_once_a_day_however_often_the_button_is_pressed():
    programme = make_programme()
    now = timezone.now()
    first = log_session(programme=programme, now=now)
    again = log_session(programme=programme, now=now + timedelta(minutes=1))
    assert first.created and not again.created
    assert ProgrammeSession.objects.count() == 1


def test_details_sent_after_the_tap_fill_in_how_today_went():
    programme = make_programme()
    now = timezone.now()
    log_session(programme=programme, now=now)
    later = log_session(
        programme=programme, now=now, details=SessionDetails(pain=4, effort=5, note="ok")
    )
    assert not later.created and later.details_saved
    session = ProgrammeSession.objects.get()
    assert (session.pain, session.effort, session.note) == (4, 5, "ok")


def test_an_ended_programme_takes_no_new_version_and_its_reminders_stop():
    programme = make_programme()
    programme.reminder_time = timezone.now().time()
    programme.save()
    assert end_programme(programme=programme, by=clinician_user("z"), now=timezone.now())
    assert not end_programme(programme=programme, by=clinician_user("w"), now=timezone.now())
    programme.refresh_from_db()
    assert programme.status == "ended" and programme.reminder_time is None
    assert (
        revise_programme(
            programme=programme,
            doses=protocol_doses()[:1],
            note="",
            by=clinician_user("v"),
            now=timezone.now(),
        )
        is None
    )
    templates = [r.args_kwargs["kwargs"]["template"] for r in DBTaskResult.objects.all()]
    assert templates == ["programme_sent", "programme_ended"]


def test_doses_read_the_way_a_clinician_says_them():
    from intake.models.programmes import dose_text

    def text(**fields) -> str:
        base = {
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "per_side": "",
            "times": 1,
            "per": "day",
        }
        return dose_text(**{**base, **fields})

    assert text(sets=3, reps=10, per_side="leg") == "3 sets of 10, each leg, once a day"
    assert text(sets=5, hold_seconds=30) == "5 holds of 30 seconds, once a day"
    assert text(sets=3, reps=10, hold_seconds=5, times=3, per="week") == (
        "3 sets of 10, hold each for 5 seconds, 3 times a week"
    )
    assert text(reps=10, per_side="leg", times=2) == "10 times, each leg, twice a day"
    assert text(hold_seconds=45, times=7, per="week") == "hold for 45 seconds, every day"
    assert text(sets=1, reps=12, per="week") == "1 set of 12, once a week"


def test_a_version_says_what_changed_in_words():
    from intake.programmes import describe_changes

    def row(pk, name, dose, note=""):
        return {"exercise": pk, "name": name, "dose": dose, "note": note}

    before = {"note": "", "exercises": [row(1, "Step-down", "3 sets of 10"), row(2, "Bridge", "2")]}
    after = {
        "note": "Easy",
        "exercises": [row(3, "Wall sit", "5 holds"), row(1, "Step-down", "3 sets of 12", "slow")],
    }
    assert describe_changes(before, after) == (
        "Added Wall sit (5 holds); Step-down: 3 sets of 10 → 3 sets of 12; "
        "Step-down: note changed; removed Bridge; programme note changed"
    )
    assert describe_changes(after, after) == ""
