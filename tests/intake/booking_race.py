"""Many patients booking one slot at the same moment, each on its own thread and connection.

Used by test_booking_concurrency, and run as a script on a real SQLite file
(`python -m tests.intake.booking_race /tmp/x.sqlite3`): the test suite's
in-memory SQLite cannot show how file locking queues writers.
"""

import json
import os
import sys
import threading
import uuid
from datetime import time, timedelta

RACERS = 20


def race(
    *, racers: int = RACERS, hold_after_check: bool = False, one_key: bool = False
) -> list[str]:
    """Set up one free slot, let `racers` threads book it at once, return each outcome.

    With hold_after_check, every thread waits after the Python free-time check until
    all have passed it, so only the database can stop the extra bookings. With one_key,
    every thread is the same patient pressing "Confirm booking" on the same check page
    (`confirm_booking` with one key); each outcome is then "booked #<appointment id>".
    """
    from django.db import connection

    from intake import booking
    from intake.models import Clinician
    from tests.intake.booking_factories import local, make_clinician, make_type

    Clinician.objects.all().delete()
    clinician = make_clinician(hours=[(time(0), time(23, 59))])
    visit = make_type(duration_minutes=60, buffer_after_minutes=15, minimum_notice_hours=1)
    now = local(2030, 1, 1, 8)
    day = now.date() + timedelta(days=2)
    slot = booking.find_slots(
        appointment_type=visit, start_date=day, end_date=day, clinician=clinician, now=now
    )[0]

    start_line = threading.Barrier(racers, timeout=30)
    checked = threading.Barrier(racers, timeout=30)
    real_slots_at = booking.slots_at

    def slots_at_then_wait(**kwargs):
        result = real_slots_at(**kwargs)
        checked.wait()
        return result

    outcomes: list[str] = []
    lock = threading.Lock()

    key = uuid.uuid4().hex

    def attempt(n: int) -> None:
        try:
            start_line.wait()
            if one_key:
                appointment = booking.confirm_booking(
                    key=key,
                    slot=slot,
                    appointment_type=visit,
                    patient=booking.Patient(
                        name="Same Patient", email="same@example.com", phone="+16085550123"
                    ),
                    client=f"racer-{n}",
                    now=now,
                )
                outcome = f"booked #{appointment.pk}"
            else:
                booking.book_appointment(
                    slot=slot,
                    appointment_type=visit,
                    patient=booking.Patient(
                        name=f"Racer {n}", email=f"racer{n}@example.com", phone="+16085550123"
                    ),
                    now=now,
                )
                outcome = "booked"
        except booking.SlotTaken as taken:
            outcome = "taken by constraint" if taken.__cause__ else "taken"
        except Exception as error:  # any other error is what the test reports
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    if hold_after_check:
        booking.slots_at = slots_at_then_wait
    try:
        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(racers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        booking.slots_at = real_slots_at
    return outcomes


def main(database_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from intake.models import Appointment

    call_command("migrate", verbosity=0)
    outcomes = race()
    print(json.dumps({"outcomes": outcomes, "appointments": Appointment.objects.count()}))


if __name__ == "__main__":
    main(sys.argv[1])
