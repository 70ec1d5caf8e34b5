"""Twenty taps at once (two tabs, a double tap, a retrying phone) log one session."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from intake.models import ProgrammeSession
from intake.programmes import SessionDetails, log_session
from tests.intake.programme_factories import make_programme

RACERS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_taps_at_once_on_postgres_log_one_session(requires_postgres):
    programme = make_programme()
    now = timezone.now()
    start_line = threading.Barrier(RACERS, timeout=30)
    created: list[bool] = []
    lock = threading.Lock()

    def tap(n: int) -> None:
        try:
            start_line.wait()
            logged = log_session(programme=programme, now=now, details=SessionDetails(pain=n % 11))
            with lock:
                created.append(logged.created)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(created) == [False] * (RACERS - 1) + [True]
    assert ProgrammeSession.objects.filter(programme=programme).count() == 1
