"""Today's "Home programmes" list: each flag on and off, worst first, cleared when marked
seen, health flags for clinicians only, and a fixed number of queries."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import Programme
from intake.programmes import flags_for, home_programme_flags, mark_flags_seen
from tests.intake.programme_factories import clinician_user, log_on, make_programme

pytestmark = pytest.mark.django_db


def started(days_ago: int, **kwargs) -> Programme:
    today = timezone.localdate()
    moment = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(9)))
    return make_programme(now=moment, **kwargs)


def texts(programme: Programme, *, health: bool = True) -> list[str]:
    today = timezone.localdate()
    found = home_programme_flags(today=today, include_health=health)
    return [flag.text for item in found if item.programme == programme for flag in item.flags]


def test_no_session_for_3_days_flags_and_a_session_clears_it():
    programme = started(5)
    today = timezone.localdate()
    log_on(programme, today - timedelta(days=3))
    assert texts(programme) == ["No session logged for 3 days"]
    log_on(programme, today - timedelta(days=2))
    assert texts(programme) == []


def test_a_new_programme_is_not_flagged_for_the_days_before_it_started():
    assert texts(started(2)) == []


def test_pain_7_or_more_flags():
    programme = started(1)
    log_on(programme, timezone.localdate(), pain=6)
    assert texts(programme) == []
    programme.sessions.update(pain=7)
    assert texts(programme) == ["Pain 7 out of 10"]


def test_pain_2_above_the_first_weeks_average_flags():
    programme = started(10)
    today = timezone.localdate()
    start = programme.started_on
    for n, pain in enumerate((2, 3, 1)):
        log_on(programme, start + timedelta(days=n), pain=pain)
    log_on(programme, today - timedelta(days=1), pain=3)
    assert texts(programme) == []
    log_on(programme, today, pain=4)
    assert texts(programme) == ["Pain 4: up from a first-week average of 2.0"]


def test_effort_9_or_more_flags():
    programme = started(1)
    log_on(programme, timezone.localdate(), effort=8)
    assert texts(programme) == []
    programme.sessions.update(effort=9)
    assert texts(programme) == ["Effort 9 out of 10"]


def test_a_note_from_the_patient_flags():
    programme = started(1)
    session = log_on(programme, timezone.localdate())
    assert texts(programme) == []
    session.note = "hurt on the stairs"
    session.save()
    assert texts(programme) == ["1 note from the patient"]


def test_marking_seen_clears_every_flag_until_something_new():
    programme = started(6)
    today = timezone.localdate()
    log_on(programme, today - timedelta(days=4), pain=8, note="sore")
    assert texts(programme) == [
        "Pain 8 out of 10",
        "No session logged for 4 days",
        "1 note from the patient",
    ]
    mark_flags_seen(programme=programme, now=timezone.now())
    assert texts(programme) == []
    log_on(programme, today, effort=9)
    assert texts(programme) == ["Effort 9 out of 10"]


def test_worst_first_and_the_front_desk_sees_only_the_missed_days():
    quiet = started(6, name="Quiet Patient", email="q@example.com")
    hurting = started(1, name="Hurting Patient", email="h@example.com")
    log_on(hurting, timezone.localdate(), pain=9)
    today = timezone.localdate()
    order = [item.programme for item in home_programme_flags(today=today, include_health=True)]
    assert order == [hurting, quiet]
    front_desk = home_programme_flags(today=today, include_health=False)
    assert [item.programme for item in front_desk] == [quiet]


def test_an_ended_programme_raises_no_flag():
    programme = started(9)
    Programme.objects.filter(pk=programme.pk).update(status="ended")
    assert home_programme_flags(today=timezone.localdate(), include_health=True) == []


def test_flags_are_a_pure_decision_over_the_sessions():
    assert (
        flags_for(
            sessions=[], started_on=timezone.localdate(), today=timezone.localdate(), seen_at=None
        )
        == []
    )


def today_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return len(queries)


def test_today_shows_the_list_with_the_same_queries_for_1_and_30_programmes(client):
    user = clinician_user()
    client.force_login(user)
    first = started(5, by=user)
    log_on(first, timezone.localdate() - timedelta(days=4), note="sore")
    today_queries(client)
    one = today_queries(client)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Home programmes" in html and "1 note from the patient" in html
    for n in range(29):
        programme = started(5, by=user, name=f"Patient {n}", email=f"p{n}@example.com")
        log_on(programme, timezone.localdate() - timedelta(days=3), pain=8)
    thirty = today_queries(client)
    print(f"Today queries: 1 programme {one}, 30 programmes {thirty}")
    assert thirty == one


def test_marking_seen_from_today_returns_to_today(client):
    user = clinician_user()
    client.force_login(user)
    programme = started(5, by=user)
    response = client.post(
        reverse("admin:intake_programme_seen", args=[programme.pk]), {"next": "/admin/"}
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert texts(programme) == []
