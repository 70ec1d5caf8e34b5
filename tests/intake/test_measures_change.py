"""The MCID decision: did the patient improve, get worse, or not change in a way that
matters? The seeded PSFS and pain rating both have an MCID of 2 points."""

from decimal import Decimal

import pytest

from intake.measures import Verdict, change

MCID = Decimal(2)


def psfs(baseline: str, latest: str):
    return change(
        baseline=Decimal(baseline), latest=Decimal(latest), mcid=MCID, higher_is_better=True
    )


def pain(baseline: str, latest: str):
    return change(
        baseline=Decimal(baseline), latest=Decimal(latest), mcid=MCID, higher_is_better=False
    )


def test_function_up_by_more_than_the_mcid_is_an_important_improvement():
    moved = psfs("3", "6.5")
    assert moved.verdict is Verdict.IMPROVED
    assert moved.important
    assert moved.difference == Decimal("3.5")
    assert moved.describe() == "improved by 3.5 points (the MCID is 2)"


def test_function_down_by_more_than_the_mcid_is_an_important_worsening():
    moved = psfs("6", "3")
    assert moved.verdict is Verdict.WORSE
    assert moved.important
    assert moved.describe() == "worse by 3 points (the MCID is 2)"


@pytest.mark.parametrize("latest", ["4.99", "3", "1.01"])
def test_a_change_smaller_than_the_mcid_either_way_is_not_important(latest):
    moved = psfs("3", latest)
    assert moved.verdict is Verdict.NO_IMPORTANT_CHANGE
    assert not moved.important


def test_a_change_of_exactly_the_mcid_counts_as_important():
    assert psfs("3", "5").verdict is Verdict.IMPROVED
    assert psfs("5", "3").verdict is Verdict.WORSE
    assert pain("7", "5").verdict is Verdict.IMPROVED


def test_pain_going_down_is_an_improvement_and_going_up_is_worse():
    assert pain("7", "4").verdict is Verdict.IMPROVED
    assert pain("7", "4").difference == Decimal(-3)
    assert pain("3", "6").verdict is Verdict.WORSE
    assert pain("7", "6").verdict is Verdict.NO_IMPORTANT_CHANGE


def test_the_words_for_a_small_change_name_its_size_and_the_mcid():
    assert pain("7", "6").describe() == ("no important change: 1 point, less than the MCID of 2")
    assert psfs("4", "4").describe() == "no change (the MCID is 2)"
