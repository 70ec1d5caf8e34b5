"""Fifty waitlisted patients take one offered time at once: one booking, 49 clear refusals,
and every loser still on the waitlist."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intake.models import Appointment, FreedTime, OfferOutcome, WaitlistEntry, WaitlistOffer
from tests.intake.waitlist_race import RACERS, race

SORRY = "refused: Sorry, someone else took it; you are still on the waitlist."


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_accepts_on_postgres_book_exactly_one(requires_postgres):
    report = race()
    print(f"\n{RACERS} parallel accepts on PostgreSQL took {report['seconds']} s")

    assert sorted(report["outcomes"]) == ["booked"] + [SORRY] * (RACERS - 1)
    assert Appointment.objects.filter(status="booked").count() == 1
    assert WaitlistEntry.objects.count() == RACERS - 1
    assert WaitlistOffer.objects.filter(outcome=OfferOutcome.TOO_LATE).count() == RACERS - 1
    freed = FreedTime.objects.get()
    assert freed.filled_by == Appointment.objects.get(status="booked")


def test_fifty_parallel_accepts_on_a_sqlite_file_book_exactly_one(tmp_path, migrated_sqlite):
    """SQLite's path: a real database file with IMMEDIATE transactions, as deployed."""
    # A migrated file to start from: the script's own migrate then has nothing to do.
    shutil.copy(migrated_sqlite, tmp_path / "race.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "tests.intake.waitlist_race", str(tmp_path / "race.sqlite3")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\n{RACERS} parallel accepts on a SQLite file took {report['seconds']} s")

    assert sorted(report["outcomes"]) == ["booked"] + [SORRY] * (RACERS - 1)
    assert report["booked"] == 1
    assert report["entries_left"] == RACERS - 1
