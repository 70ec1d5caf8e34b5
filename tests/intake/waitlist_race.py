"""Many waitlisted patients taking one offered time at the same moment, each on its own
thread and database connection (as tests/intake/booking_race.py races bookings).

Used by test_waitlist_concurrency; also a script on a real SQLite file
(`python -m tests.intake.waitlist_race /tmp/x.sqlite3`).
"""

import json
import os
import sys
import threading
import time as clock
from datetime import time, timedelta

RACERS = 50


def race(*, racers: int = RACERS) -> dict:
    """Offer one freed time to `racers` entries, let every one accept at once, and return
    each outcome with the seconds the whole race took."""
    from django.db import connection
    from django.test import override_settings

    from intake.booking import CancelledBy, cancel_appointment
    from intake.models import Clinician, FreedTime
    from intake.waitlist import (
        OfferTaken,
        WaitlistChoice,
        accept_offer,
        join_waitlist,
        run_offer_round,
    )
    from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type

    Clinician.objects.all().delete()
    clinician = make_clinician(hours=[(time(0), time(23, 59))])
    visit = make_type(duration_minutes=60, buffer_after_minutes=15, minimum_notice_hours=1)
    now = local(2030, 1, 1, 10)
    start = local(2030, 1, 3, 9)
    cancel_appointment(
        appointment=make_appointment(clinician=clinician, appointment_type=visit, start=start),
        reason="",
        cancelled_by=CancelledBy.STAFF,
        now=now,
    )
    from intake.booking import Patient

    for n in range(racers):
        join_waitlist(
            choice=WaitlistChoice(
                appointment_type=visit,
                clinician=None,
                weekdays=[],
                parts_of_day=[],
                from_date=now.date(),
                until_date=now.date() + timedelta(days=30),
            ),
            patient=Patient(name=f"Racer {n}", email=f"racer{n}@example.com", phone="+16085550123"),
            now=now,
        )
    with override_settings(WAITLIST_ROUND_SIZE=racers):
        offers = run_offer_round(
            freed_time_id=FreedTime.objects.get().pk, now=now + timedelta(minutes=5)
        )

    start_line = threading.Barrier(racers, timeout=60)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(offer) -> None:
        try:
            start_line.wait()
            accept_offer(offer=offer, now=now + timedelta(minutes=6))
            outcome = "booked"
        except OfferTaken as taken:
            outcome = f"refused: {taken}"
        except Exception as error:  # any other error is what the test reports
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(offer,)) for offer in offers]
    began = clock.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return {"outcomes": outcomes, "seconds": round(clock.perf_counter() - began, 3)}


def main(database_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from intake.models import Appointment, WaitlistEntry

    call_command("migrate", verbosity=0)
    report = race()
    report["booked"] = Appointment.objects.filter(status="booked").count()
    report["entries_left"] = WaitlistEntry.objects.count()
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
