"""No time is ever booked twice, even when patients race for it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django_tasks_db.models import DBTaskResult

from intake import booking
from intake.models import Appointment, AppointmentStatus, Lead
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.booking_race import RACERS, race


@pytest.mark.django_db(transaction=True)
def test_twenty_patients_racing_for_one_slot_on_postgres_get_one_booking(requires_postgres):
    outcomes = race()

    losers = [outcome for outcome in outcomes if outcome != "booked"]
    assert len(outcomes) == RACERS
    assert len(losers) == RACERS - 1
    assert all(outcome.startswith("taken") for outcome in losers), losers
    assert Appointment.objects.count() == 1
    # The losers' leads rolled back with their bookings.
    assert Lead.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_exclusion_constraint_stops_racers_that_all_passed_the_python_check(
    requires_postgres,
):
    outcomes = race(hold_after_check=True)

    assert sorted(outcomes) == ["booked"] + ["taken by constraint"] * (RACERS - 1)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_confirms_of_one_check_page_on_postgres_book_once(requires_postgres):
    """A double click, Reload and a second tab all send the page's one key: the database's
    unique key lets one confirm book, and every other gets that same booking back."""
    outcomes = race(one_key=True)

    appointment = Appointment.objects.get()
    assert outcomes == [f"booked #{appointment.pk}"] * RACERS
    assert Lead.objects.count() == 1


def test_racing_bookings_on_a_sqlite_file_are_serialised(tmp_path, migrated_sqlite):
    """SQLite's path: a real database file in WAL mode with IMMEDIATE transactions, as
    deployed (the suite's shared in-memory database locks differently)."""
    # A migrated file to start from: the script's own migrate then has nothing to do.
    shutil.copy(migrated_sqlite, tmp_path / "race.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "tests.intake.booking_race", str(tmp_path / "race.sqlite3")],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert sorted(report["outcomes"]) == ["booked"] + ["taken"] * (RACERS - 1)
    assert report["appointments"] == 1


@pytest.fixture
def clinician_and_types(db):
    clinician = make_clinician()
    short = make_type(duration_minutes=30)
    long = make_type(duration_minutes=90, buffer_after_minutes=15)
    return clinician, short, long


def insert_directly(**kwargs) -> Appointment:
    """Save bypassing every Python check: only the database decides."""
    with transaction.atomic():
        return make_appointment(**kwargs)


def test_constraint_refuses_a_partial_overlap_of_different_lengths(
    requires_postgres, clinician_and_types
):
    clinician, short, long = clinician_and_types
    insert_directly(clinician=clinician, appointment_type=long, start=local(2030, 3, 4, 9))

    with pytest.raises(IntegrityError, match="appointment_no_overlap"):
        # 10:00-10:30 overlaps the end of 9:00-10:30.
        insert_directly(clinician=clinician, appointment_type=short, start=local(2030, 3, 4, 10))
    with pytest.raises(IntegrityError, match="appointment_no_overlap"):
        # 10:30 is free of the visit but not of its 15-minute buffer.
        insert_directly(
            clinician=clinician, appointment_type=short, start=local(2030, 3, 4, 10, 30)
        )
    assert Appointment.objects.count() == 1


def test_constraint_allows_back_to_back_other_clinicians_and_cancelled(
    requires_postgres, clinician_and_types
):
    clinician, short, long = clinician_and_types
    other = make_clinician("Sam Ortiz")
    first = insert_directly(clinician=clinician, appointment_type=long, start=local(2030, 3, 4, 9))
    insert_directly(clinician=clinician, appointment_type=short, start=local(2030, 3, 4, 10, 45))
    insert_directly(clinician=other, appointment_type=long, start=local(2030, 3, 4, 9))
    Appointment.objects.filter(pk=first.pk).update(status=AppointmentStatus.CANCELLED)
    insert_directly(clinician=clinician, appointment_type=short, start=local(2030, 3, 4, 9, 30))

    assert Appointment.objects.count() == 4


def test_reactivating_a_cancelled_appointment_over_a_new_one_is_refused(
    requires_postgres, clinician_and_types
):
    clinician, short, _ = clinician_and_types
    old = insert_directly(
        clinician=clinician,
        appointment_type=short,
        start=local(2030, 3, 4, 9),
        status=AppointmentStatus.CANCELLED,
    )
    insert_directly(clinician=clinician, appointment_type=short, start=local(2030, 3, 4, 9))

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=old.pk).update(status=AppointmentStatus.BOOKED)


def test_a_move_that_slipped_past_the_free_time_check_is_refused_by_the_constraint(
    requires_postgres, clinician_and_types, monkeypatch
):
    """As if a rival booked 10:00 just after this reschedule checked it was free: only
    the database stands between them, and the patient keeps their old time."""
    clinician, short, long = clinician_and_types
    moving = insert_directly(
        clinician=clinician, appointment_type=short, start=local(2030, 3, 4, 9)
    )
    insert_directly(clinician=clinician, appointment_type=long, start=local(2030, 3, 4, 10))
    start = local(2030, 3, 4, 10, 30)
    slot = booking.Slot(
        start=start,
        end=start + short.duration,
        clinician_id=clinician.pk,
        clinician_name=str(clinician),
    )
    monkeypatch.setattr(booking, "slots_at", lambda **kwargs: [slot])

    with pytest.raises(booking.SlotTaken):
        booking.reschedule_appointment(appointment=moving, slot=slot, now=local(2030, 1, 1))

    moving.refresh_from_db()
    assert moving.start == local(2030, 3, 4, 9)
    assert moving.sequence == 0
    assert not DBTaskResult.objects.exists()  # no "moved" emails for a move that failed
