from decimal import Decimal

from intake.measures import ItemScale, score
from intake.models import Scoring

ZERO_TO_TEN = ItemScale(0, 10)


def test_psfs_score_is_the_mean_of_the_activities_rated():
    assert score(scoring=Scoring.MEAN, values=[3, 4, 8], scales=[ZERO_TO_TEN] * 3) == Decimal(
        "5.00"
    )


def test_an_unanswered_item_does_not_count_as_zero_in_a_mean():
    assert score(scoring=Scoring.MEAN, values=[6, None], scales=[ZERO_TO_TEN] * 2) == Decimal(
        "6.00"
    )


def test_nothing_answered_gives_no_score():
    assert score(scoring=Scoring.MEAN, values=[None, None], scales=[ZERO_TO_TEN] * 2) is None


def test_a_sum_with_a_missing_item_is_not_comparable_so_has_no_score():
    assert score(scoring=Scoring.SUM, values=[2, None], scales=[ZERO_TO_TEN] * 2) is None
    assert score(scoring=Scoring.SUM, values=[2, 5], scales=[ZERO_TO_TEN] * 2) == Decimal("7.00")


def test_percentage_is_of_the_answered_items_range():
    scales = [ItemScale(1, 5)] * 2
    assert score(scoring=Scoring.PERCENT, values=[5, 3], scales=scales) == Decimal("75.00")


def test_psfs_with_an_activity_left_unrated_scores_the_rated_ones():
    """A patient who names three activities but rates two gets the mean of those two."""
    assert score(scoring=Scoring.MEAN, values=[2, None, 5], scales=[ZERO_TO_TEN] * 3) == Decimal(
        "3.50"
    )


def test_pain_rating_is_the_mean_of_now_best_and_worst_rounded_to_two_places():
    assert score(scoring=Scoring.MEAN, values=[4, 2, 8], scales=[ZERO_TO_TEN] * 3) == Decimal(
        "4.67"
    )


def test_pain_rating_with_only_now_answered_is_that_rating():
    assert score(scoring=Scoring.MEAN, values=[6, None, None], scales=[ZERO_TO_TEN] * 3) == (
        Decimal("6.00")
    )


def test_a_rating_of_zero_counts_as_an_answer():
    assert score(scoring=Scoring.MEAN, values=[0, None], scales=[ZERO_TO_TEN] * 2) == Decimal(
        "0.00"
    )
