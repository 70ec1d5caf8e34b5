import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from education.models import ProtocolExercise
from tests.education.conftest import make_exercise, make_protocol


def test_an_exercise_image_needs_a_description_for_screen_reader_users(db):
    exercise = make_exercise()
    exercise.image = SimpleUploadedFile("squat.png", b"not really a png")
    with pytest.raises(ValidationError) as error:
        exercise.full_clean()
    assert error.value.error_dict["image_alt"][0].code == "image_alt_required"


@pytest.mark.parametrize(
    "dose",
    [
        {"reps_min": 10, "to_fatigue": True},
        {"sets_min": 4, "sets_max": 3},
        {"sets_max": 3},
        {"reps_min": 15, "reps_max": 10},
        {"reps_min": 10, "frequency_min": 4, "frequency_max": 3},
        {},
    ],
    ids=["reps-and-fatigue", "sets-backwards", "max-without-min", "reps-backwards",
         "frequency-backwards", "no-dose"],
)  # fmt: skip
def test_the_database_refuses_a_dose_that_cannot_be_read(db, dose):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtocolExercise.objects.create(protocol=make_protocol(), exercise=make_exercise(), **dose)
