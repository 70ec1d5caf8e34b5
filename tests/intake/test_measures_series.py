"""One patient's scores over an episode of care: the first-visit form and its follow-ups,
per measure and, for the PSFS, per activity, in visit order, in two queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from intake.measures import Verdict, episodes
from intake.models import MeasureResponse, PreVisit
from tests.intake.leads_support import make_lead
from tests.intake.previsit_factories import make_episode, make_previsit, pain, respond

pytestmark = pytest.mark.django_db


def charted(forms) -> list:
    responses = MeasureResponse.objects.in_episodes_of(forms).for_charts()
    return episodes(responses=responses)


def scores(series) -> list:
    return [point.score for point in series.points]


def test_series_follow_the_visit_dates_not_the_order_forms_were_filled_in():
    now = timezone.now()
    first = make_previsit(start=now - timedelta(days=30))
    later = make_previsit(start=now - timedelta(days=2), episode=first)
    middle = make_previsit(start=now - timedelta(days=16), episode=first)
    # Filled in out of order: the latest first.
    respond(previsit=later, slug="pain", values=pain(2))
    respond(previsit=first, slug="pain", values=pain(8))
    respond(previsit=middle, slug="pain", values=pain(5))

    [episode] = charted(PreVisit.objects.filter(pk=middle.pk))

    [series] = episode.series
    assert series.title == "Pain rating"
    assert scores(series) == [Decimal(8), Decimal(5), Decimal(2)]
    assert [point.appointment_id for point in series.points] == [
        first.appointment_id,
        middle.appointment_id,
        later.appointment_id,
    ]
    assert series.points[0].first_visit and not series.points[1].first_visit


def test_psfs_has_a_series_for_the_score_and_one_per_activity_named():
    make_episode(
        psfs=[
            {"Running 5 km": 2, "Carrying my baby upstairs": 4},
            {"running 5 km ": 5, "Carrying my baby upstairs": 5},
            {"Running 5 km": 8, "Carrying my baby upstairs": None},
        ],
        pain_now=[7, 5, 3],
    )

    [episode] = charted(PreVisit.objects.all())

    titles = [series.title for series in episode.series]
    assert titles == [
        "Patient-Specific Functional Scale",
        "Patient-Specific Functional Scale: Running 5 km",
        "Patient-Specific Functional Scale: Carrying my baby upstairs",
        "Pain rating",
    ]
    overall, running, carrying, pain_series = episode.series
    # The third visit rated one activity: its score is that one rating, not a mean with 0.
    assert scores(overall) == [Decimal(3), Decimal(5), Decimal(8)]
    assert scores(running) == [Decimal(2), Decimal(5), Decimal(8)]
    assert scores(carrying) == [Decimal(4), Decimal(5), None]
    assert (overall.scale_min, overall.scale_max) == (Decimal(0), Decimal(10))
    assert overall.change().verdict is Verdict.IMPROVED
    assert running.change().difference == Decimal(6)
    # Carrying was last rated at the second visit: 4 -> 5 is within the MCID.
    assert carrying.change().verdict is Verdict.NO_IMPORTANT_CHANGE
    assert pain_series.change().verdict is Verdict.IMPROVED
    assert pain_series.summary() == (
        "Pain rating, 3 visits: from 7 to 3, improved by 4 points (the MCID is 2). "
        "Clinically important change: yes."
    )


def test_a_lead_sees_its_episode_including_a_follow_up_booked_under_a_later_lead():
    """After "Became a patient", a new booking may start a new lead; the follow-up still
    belongs to the first visit's episode, so both leads' pages show the whole story."""
    first_lead, later_lead = make_lead(), make_lead(name="Sam again")
    first, follow_up = make_episode(psfs=[{"Climbing": 3}, {"Climbing": 6}], lead=first_lead)
    follow_up.appointment.lead = later_lead
    follow_up.appointment.save()
    make_episode(psfs=[{"Someone else's activity": 1}])

    for lead in (first_lead, later_lead):
        [episode] = charted(PreVisit.objects.filter(appointment__lead=lead))
        assert scores(episode.series[0]) == [Decimal(3), Decimal(6)]


def test_two_episodes_of_one_patient_are_charted_apart_oldest_first():
    lead = make_lead()
    old = make_episode(
        psfs=[{"Squats": 2}, {"Squats": 7}],
        lead=lead,
        first_start=timezone.now() - timedelta(days=200),
    )
    new = make_episode(psfs=[{"Running": 4}], lead=lead)

    found = charted(PreVisit.objects.filter(appointment__lead=lead))

    assert [episode.started for episode in found] == [
        old[0].appointment.start,
        new[0].appointment.start,
    ]
    assert found[1].series[0].change() is None
    assert found[1].series[0].summary() == (
        "Patient-Specific Functional Scale, 1 visit: 4 at the start, no later score yet."
    )


def test_an_unanswered_measure_has_no_baseline_and_says_so():
    previsit = make_previsit()
    respond(previsit=previsit, slug="pain", values=pain(None))

    [episode] = charted(PreVisit.objects.all())

    assert episode.series[0].baseline is None
    assert episode.series[0].summary() == "Pain rating, 1 visit: not answered yet."


def test_the_baseline_is_the_first_scored_visit():
    first, second, third = make_episode(psfs=[{}, {"Running": 3}, {"Running": 5}])

    [episode] = charted(PreVisit.objects.filter(pk=third.pk))

    overall = episode.series[0]
    assert overall.baseline.appointment_id == second.appointment_id
    assert overall.change().difference == Decimal(2)
    assert overall.change().verdict is Verdict.IMPROVED


@pytest.mark.parametrize("visits", [1, 10])
def test_charting_an_episode_takes_two_queries_however_many_visits(
    visits, django_assert_num_queries
):
    lead = make_lead()
    make_episode(
        psfs=[{"Running": n % 11, "Lifting": 10 - n % 11} for n in range(visits)],
        pain_now=[n % 11 for n in range(visits)],
        lead=lead,
    )

    with django_assert_num_queries(2):
        [episode] = charted(PreVisit.objects.filter(appointment__lead=lead))
        assert len(episode.series[0].points) == visits


def psfs_series(forms):
    [episode] = charted(PreVisit.objects.filter(pk=forms[0].pk))
    return {series.activity: series for series in episode.series if "Functional" in series.title}


def test_psfs_change_compares_only_the_activities_rated_both_times():
    """The issue's case: 4.5 over two activities, then 7 over three, was shown as +2.5.
    Over the two rated both times the change is (6 + 7) / 2 - 4.5 = +2."""
    forms = make_episode(
        psfs=[
            {"Running": 4, "Stairs": 5},
            {"Running": 6, "Stairs": 7, "Squatting": 8},
        ]
    )

    series = psfs_series(forms)

    overall = series[""]
    assert scores(overall) == [Decimal("4.50"), Decimal("7.00")]
    moved = overall.change()
    assert moved.difference == Decimal(2)
    assert "from 4.5 to 6.5, improved by 2 points" in overall.summary()
    assert overall.summary().endswith("Compared over the 2 activities rated both times.")
    assert series["Running"].change().difference == Decimal(2)
    assert series["Squatting"].change() is None  # added later: its own baseline
    assert series["Squatting"].baseline.score == Decimal(8)


def test_a_dropped_activity_leaves_the_comparison_and_keeps_its_own_history():
    forms = make_episode(
        psfs=[
            {"Running": 2, "Stairs": 8},
            {"Running": 5, "Stairs": None},
        ]
    )

    series = psfs_series(forms)

    assert series[""].change().difference == Decimal(3)
    assert "Compared over the 1 activity rated both times." in series[""].summary()
    assert series["Stairs"].change() is None


def test_no_activity_rated_both_times_gives_no_change():
    forms = make_episode(psfs=[{"Running": 2}, {"Swimming": 9}])

    series = psfs_series(forms)

    assert series[""].change() is None
    assert [row.change for row in series[""].rows()] == [None, None]
