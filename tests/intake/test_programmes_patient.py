"""The patient's programme page behind its private link: reading, logging in one tap,
the 14-day strip, the advice after a high pain rating, and what the page never does."""

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import ProgrammeSession
from tests.intake.programme_factories import log_on, make_programme, protocol_doses

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return make_programme()


def page_url(programme) -> str:
    return reverse("intake:programme", args=[programme.token])


def log_url(programme) -> str:
    return reverse("intake:programme_log", args=[programme.token])


def test_the_page_shows_each_exercise_with_its_dose_in_words_and_the_note(client, programme):
    html = client.get(page_url(programme)).content.decode()
    for row in programme.exercises.select_related("exercise"):
        assert row.exercise.name in html
        assert row.dose_text()[:1].upper() + row.dose_text()[1:] in html
    assert "Go easy the first week." in html
    assert "I did today’s exercises" in html


def test_the_page_is_private_never_cached_and_never_indexed(client, programme):
    response = client.get(page_url(programme))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert client.get("/robots.txt").content.decode().count("/my-exercises/") == 1


def test_an_unknown_link_is_a_not_found_page_with_the_phone_number(client):
    response = client.get(reverse("intake:programme", args=["not-a-token"]))
    assert response.status_code == 404
    assert "tel:" in response.content.decode()


def test_one_tap_logs_today_and_back_or_reload_logs_nothing_twice(client, programme):
    response = client.post(log_url(programme))
    assert response.status_code == 302 and response.url == page_url(programme)
    page = client.get(response.url).content.decode()
    assert "today’s exercises are logged" in page
    assert "Today is logged" in page
    # Back to the page as it was, and the button pressed again; then Reload (the GET).
    again = client.post(log_url(programme), follow=True).content.decode()
    assert "already logged" in again
    client.get(page_url(programme))
    assert ProgrammeSession.objects.count() == 1


def test_the_strip_and_the_sentence_count_this_weeks_planned_days(client):
    """A daily dose started on Monday: 7 days planned this week, whatever day today is."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    started = timezone.make_aware(datetime.combine(monday, time(8)))
    doses = [replace(dose, times=1, per="day") for dose in protocol_doses()]
    programme = make_programme(now=started, doses=doses)
    for day in {monday, today}:
        log_on(programme, day)
    html = client.get(page_url(programme)).content.decode()
    logged = len({monday, today})
    assert f"{logged} of the 7 days planned this week" in html
    assert html.count('class="is-done"') == logged


def test_pain_of_8_or_more_shows_the_advice_to_stop_and_call(client, programme):
    client.post(log_url(programme), {"pain": "8", "effort": "5"})
    html = client.get(page_url(programme)).content.decode()
    assert "Stop the exercise that hurts" in html and "tel:" in html
    other = make_programme(email="other@example.com", name="Other")
    client.post(log_url(other), {"pain": "7"})
    assert "Stop the exercise that hurts" not in client.get(page_url(other)).content.decode()


def test_how_it_went_is_saved_with_skipped_and_too_hard(client, programme):
    rows = list(programme.exercises.all())
    client.post(
        log_url(programme),
        {
            "pain": "3",
            "effort": "6",
            "note": "hurt on the stairs",
            f"exercise_{rows[0].exercise_id}": "skipped",
            f"exercise_{rows[1].exercise_id}": "too_hard",
        },
    )
    session = ProgrammeSession.objects.get()
    assert (session.pain, session.effort, session.note) == (3, 6, "hurt on the stairs")
    assert session.feedback == {
        str(rows[0].exercise_id): "skipped",
        str(rows[1].exercise_id): "too_hard",
    }


def test_a_wrong_rating_is_named_and_nothing_is_logged(client, programme):
    response = client.post(log_url(programme), {"pain": "11", "note": "kept"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html and "kept" in html
    assert not ProgrammeSession.objects.exists()


def test_reminders_are_off_until_the_patient_picks_a_time(client, programme):
    assert programme.reminder_time is None
    url = reverse("intake:programme_reminders", args=[programme.token])
    page = client.post(url, {"at": "07:00"}, follow=True).content.decode()
    assert "a reminder at 7:00 AM" in page
    programme.refresh_from_db()
    assert programme.reminder_time.hour == 7
    client.post(url, {"at": "25:00"})
    programme.refresh_from_db()
    assert programme.reminder_time.hour == 7
    client.post(url, {"at": ""})
    programme.refresh_from_db()
    assert programme.reminder_time is None


def test_the_printable_version_lists_every_exercise(client, programme):
    html = client.get(reverse("intake:programme_print", args=[programme.token])).content.decode()
    for row in programme.exercises.select_related("exercise"):
        assert row.exercise.name in html


def test_the_page_costs_the_same_queries_with_2_or_14_days_logged(
    client, programme, django_assert_num_queries
):
    today = timezone.localdate()
    for n in (1, 2):
        log_on(programme, today - timedelta(days=n), pain=2)
    client.get(page_url(programme))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(page_url(programme))
    for n in range(3, 15):
        log_on(programme, today - timedelta(days=n), pain=2)
    with django_assert_num_queries(len(few)):
        client.get(page_url(programme))
    print("patient page queries:", len(few))


def test_an_exercise_with_a_video_plays_it_on_the_page_with_its_captions(client, programme):
    row = programme.exercises.select_related("exercise").first()
    exercise = row.exercise
    exercise.video = "exercises/videos/step.mp4"
    exercise.video_poster = "exercises/posters/step.jpg"
    exercise.video_captions = "exercises/captions/step.vtt"
    exercise.video_transcript = "1. Stand on the step."
    exercise.save()
    html = client.get(page_url(programme)).content.decode()
    assert '<video controls preload="none"' in html
    assert 'kind="captions"' in html and "step.vtt" in html


def test_an_exercise_taken_back_to_draft_never_reaches_the_patient(client, programme):
    row = programme.exercises.select_related("exercise").first()
    row.exercise.status = "draft"
    row.exercise.save()
    html = client.get(page_url(programme)).content.decode()
    assert row.exercise.name not in html
    printed = client.get(reverse("intake:programme_print", args=[programme.token]))
    assert row.exercise.name not in printed.content.decode()
