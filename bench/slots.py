"""Slot-search benchmark: 5 clinicians, 28 days, a year of past appointments.

Builds a throwaway database (a temporary SQLite file by default; a temporary
PostgreSQL database next to DATABASE_URL's when that points at PostgreSQL),
fills it, then times intake.booking.find_slots many times and prints the median
and 95th percentile. The target is a median under 20 ms.

    make bench-slots
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic make bench-slots
    .venv/bin/python bench/slots.py --runs 500
"""

import argparse
import os
import statistics
import sys
import tempfile
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")

CHICAGO = ZoneInfo("America/Chicago")
CLINICIANS = 5
DAYS = 28
HISTORY_DAYS = 365
# A fixed Monday morning, so every run books and searches the same calendar.
NOW = datetime(2027, 1, 4, 6, 0, tzinfo=CHICAGO)


def setup_database(tmpdir: str) -> None:
    import django

    django.setup()
    from django.db import connection

    test_settings = connection.settings_dict["TEST"]
    if connection.vendor == "sqlite":
        # A real file (WAL, as deployed), not the in-memory test database.
        test_settings["NAME"] = str(Path(tmpdir) / "bench-slots.sqlite3")
    else:
        test_settings["NAME"] = f"{connection.settings_dict['NAME']}_bench_slots"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def fill() -> dict:
    """Five clinicians (Mon-Fri 8-12 and 13-17), a year of history, half-full weeks ahead."""
    import secrets

    from intake.models import (
        Appointment,
        AppointmentStatus,
        AppointmentType,
        Clinician,
        TimeOff,
        WeeklyAvailability,
    )

    Clinician.objects.all().delete()
    consult = AppointmentType.objects.create(
        name="Bench consult",
        slug="bench-consult",
        duration_minutes=15,
        buffer_after_minutes=5,
        slot_interval_minutes=15,
        minimum_notice_hours=2,
        booking_window_days=60,
    )
    evaluation = AppointmentType.objects.create(
        name="Bench evaluation",
        slug="bench-evaluation",
        duration_minutes=60,
        buffer_after_minutes=15,
        slot_interval_minutes=30,
        minimum_notice_hours=24,
        booking_window_days=60,
    )
    follow_up = AppointmentType.objects.create(
        name="Bench follow-up",
        slug="bench-follow-up",
        duration_minutes=45,
        buffer_after_minutes=15,
        slot_interval_minutes=15,
        booking_window_days=60,
    )
    clinicians = [
        Clinician.objects.create(name=f"Clinician {n}", position=n) for n in range(CLINICIANS)
    ]
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(clinician=c, weekday=day, start=start, end=end)
        for c in clinicians
        for day in range(5)
        for start, end in [(time(8), time(12)), (time(13), time(17))]
    )
    TimeOff.objects.bulk_create(
        TimeOff(
            clinician=clinicians[n],
            start=datetime.combine(NOW.date() + timedelta(days=3 + 5 * n), time(0), CHICAGO),
            end=datetime.combine(NOW.date() + timedelta(days=4 + 5 * n), time(0), CHICAGO),
        )
        for n in range(CLINICIANS)
    )

    def appointment(clinician, kind, start: datetime, status: str) -> Appointment:
        row = Appointment(
            clinician=clinician,
            appointment_type=kind,
            patient_name="Bench Patient",
            patient_email="bench@example.com",
            patient_phone="+16085550100",
            status=status,
            manage_token_hash=secrets.token_hex(32),
        )
        row.set_times(start, kind)
        return row

    rows = []
    first_day = NOW.date() - timedelta(days=HISTORY_DAYS)
    for offset in range(HISTORY_DAYS + DAYS):
        day = first_day + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        future = day >= NOW.date()
        # The past is full of follow-ups (some cancelled); ahead, an evaluation every
        # three hours.
        kind = evaluation if future else follow_up
        hours = [8, 11, 14] if future else [8, 9, 10, 11, 13, 14, 15, 16]
        for index, clinician in enumerate(clinicians):
            for hour in hours:
                status = AppointmentStatus.BOOKED if future else AppointmentStatus.COMPLETED
                if not future and (hour + index + offset) % 11 == 0:
                    status = AppointmentStatus.CANCELLED
                rows.append(
                    appointment(clinician, kind, datetime.combine(day, time(hour), CHICAGO), status)
                )
    Appointment.objects.bulk_create(rows, batch_size=2000)
    past = sum(1 for row in rows if row.start < NOW)
    return {"consult": consult, "evaluation": evaluation, "past": past, "ahead": len(rows) - past}


def measure(appointment_type, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from intake.booking import find_slots

    def search():
        return find_slots(
            appointment_type=appointment_type,
            start_date=NOW.date(),
            end_date=NOW.date() + timedelta(days=DAYS - 1),
            now=NOW,
        )

    for _ in range(5):
        search()
    with CaptureQueriesContext(connection) as queries:
        slots = search()
    timings = []
    for _ in range(runs):
        started = clock.perf_counter()
        search()
        timings.append((clock.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "slots": len(slots),
        "queries": len(queries),
        "median": statistics.median(timings),
        "p95": timings[int(0.95 * (len(timings) - 1))],
        "min": timings[0],
        "max": timings[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300, help="timed searches per type")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        setup_database(tmpdir)
        from django.db import connection

        try:
            data = fill()
            print(
                f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); "
                f"{CLINICIANS} clinicians, {DAYS} days searched, {data['past']} past and "
                f"{data['ahead']} upcoming appointments; {args.runs} runs per type."
            )
            print(
                f"{'type':<18}{'slots':>7}{'queries':>9}{'median ms':>11}{'p95 ms':>9}"
                f"{'min ms':>9}{'max ms':>9}"
            )
            for name in ("consult", "evaluation"):
                result = measure(data[name], args.runs)
                print(
                    f"{data[name].name:<18}{result['slots']:>7}{result['queries']:>9}"
                    f"{result['median']:>11.2f}{result['p95']:>9.2f}{result['min']:>9.2f}"
                    f"{result['max']:>9.2f}"
                )
        finally:
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0, keepdb=False
            )


if __name__ == "__main__":
    started = datetime.now(UTC)
    main()
    print(f"Done in {(datetime.now(UTC) - started).total_seconds():.0f} s.")
