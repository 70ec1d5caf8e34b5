import pytest

from education.models import PerSide, ProtocolExercise


@pytest.mark.parametrize(
    ("dose", "text"),
    [
        # The seed's own doses.
        ({"sets_min": 4, "to_fatigue": True, "frequency_min": 3, "frequency_max": 4},
         "4 sets to fatigue, 3-4 times per week"),
        ({"sets_min": 3, "sets_max": 4, "reps_min": 10, "reps_max": 15,
          "frequency_min": 3, "frequency_max": 4},
         "3-4 sets of 10-15 reps, 3-4 times per week"),
        ({"reps_min": 10, "per_side": PerSide.LEG}, "10 times on each leg"),
        # Other shapes a clinician might enter.
        ({"sets_min": 3, "reps_min": 12, "per_side": PerSide.SIDE, "frequency_min": 7},
         "3 sets of 12 reps on each side, every day"),
        ({"sets_min": 1, "sets_max": 1, "reps_min": 8, "reps_max": 8, "frequency_min": 2},
         "1 set of 8 reps, twice per week"),
        ({"sets_min": 3, "hold_seconds": 30, "per_side": PerSide.LEG, "frequency_min": 1},
         "3 sets of 30-second holds on each leg, once per week"),
        ({"sets_min": 2, "reps_min": 10, "hold_seconds": 5},
         "2 sets of 10 reps, holding each for 5 seconds"),
        ({"hold_seconds": 45, "frequency_min": 5, "frequency_max": 5},
         "hold for 45 seconds, 5 times per week"),
        ({"reps_min": 1}, "once"),
        ({"to_fatigue": True, "per_side": PerSide.ARM}, "to fatigue on each arm"),
    ],
)  # fmt: skip
def test_dose_reads_the_way_a_clinician_says_it(dose, text):
    assert ProtocolExercise(**dose).dose_text() == text


def test_variation_repeats_the_amount_with_the_change():
    step = ProtocolExercise(reps_min=10, per_side=PerSide.LEG, variation="with eyes closed")
    assert step.variation_text() == "Repeat 10 times on each leg with eyes closed"


def test_no_variation_means_no_repeat_line():
    assert ProtocolExercise(reps_min=10).variation_text() == ""
