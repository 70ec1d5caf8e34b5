"""Twenty front-desk confirms of repeating visits over the same times never double-book:
each time goes to exactly one series, the others are told it was taken."""

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from intake.models import Appointment, AppointmentSeries
from tests.intake.series_race import RACERS, race

VISITS = 4  # two weeks of Tuesdays and Thursdays


@pytest.mark.django_db(transaction=True)
def test_twenty_series_racing_for_the_same_times_on_postgres_book_each_time_once(
    requires_postgres,
):
    outcomes = race()

    assert len(outcomes) == RACERS
    assert all(booked + refused == VISITS for booked, refused in outcomes), outcomes
    assert sum(booked for booked, _ in outcomes) == VISITS
    starts = Counter(Appointment.objects.values_list("start", flat=True))
    assert len(starts) == VISITS
    assert set(starts.values()) == {1}
    assert AppointmentSeries.objects.count() == RACERS


def test_racing_series_on_a_sqlite_file_are_serialised(tmp_path, migrated_sqlite):
    # From the run's migrated file: the script's own migrate then has nothing to do.
    shutil.copy(migrated_sqlite, tmp_path / "race.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "tests.intake.series_race", str(tmp_path / "race.sqlite3")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert all(booked + refused == VISITS for booked, refused in report["outcomes"]), report
    assert sum(booked for booked, _ in report["outcomes"]) == VISITS
    assert report["appointments"] == report["distinct_starts"] == VISITS
