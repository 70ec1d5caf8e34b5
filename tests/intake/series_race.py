"""Many front-desk confirms of repeating visits over the same times at once, each on its
own thread and connection.

Used by test_series_concurrency, and run as a script on a real SQLite file
(`python -m tests.intake.series_race /tmp/x.sqlite3`), as booking_race is.
"""

import json
import os
import sys
import threading
import uuid
from datetime import time

RACERS = 20


def race(*, racers: int = RACERS) -> list[tuple[int, int]]:
    """Set up one clinician, let `racers` threads book the same 2-week Tuesday-and-Thursday
    course for different patients at once; return each racer's (booked, refused) counts."""
    from django.db import connection

    from intake.booking import Patient
    from intake.models import Clinician
    from intake.series import ChosenVisit, SeriesRequest, book_series, plan_series
    from tests.intake.booking_factories import local, make_clinician, make_type

    Clinician.objects.all().delete()
    clinician = make_clinician(hours=[(time(8), time(18))])
    visit = make_type(duration_minutes=45, buffer_after_minutes=15, minimum_notice_hours=1)
    now = local(2030, 1, 1, 8)
    template = SeriesRequest(
        clinician=clinician,
        appointment_type=visit,
        patient=Patient(name="Nobody", email="nobody@example.com", phone="+16085550100"),
        first_day=local(2030, 1, 7).date(),
        weekdays=(1, 3),
        at=time(9),
        weeks=2,
    )
    plan = plan_series(request=template, now=now)
    chosen = [ChosenVisit(asked=visit.asked, slot=visit.slot) for visit in plan]

    start_line = threading.Barrier(racers, timeout=30)
    outcomes: list[tuple[int, int]] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        request = SeriesRequest(
            **{
                **template.__dict__,
                "patient": Patient(
                    name=f"Racer {n}", email=f"racer{n}@example.com", phone="+16085550123"
                ),
            }
        )
        try:
            start_line.wait()
            result = book_series(key=uuid.uuid4(), request=request, visits=chosen, now=now)
            outcome = (len(result.booked), len(result.refused))
        except Exception as error:  # any other error is what the test reports
            outcome = (-1, hash(repr(error)))
            print(repr(error), file=sys.stderr)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
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
    starts = list(Appointment.objects.values_list("start", flat=True))
    print(
        json.dumps(
            {
                "outcomes": outcomes,
                "appointments": len(starts),
                "distinct_starts": len(set(starts)),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
