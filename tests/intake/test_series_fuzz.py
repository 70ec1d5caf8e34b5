"""Property tests: whatever arrives at the repeating-visits forms, they answer with a
message on a field, never an error, and never echo markup."""

from datetime import time

import pytest
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from intake.booking import Patient
from intake.forms.series import SeriesCancelForm, SeriesChoicesForm, SeriesForm
from intake.series import SeriesRequest, plan_series
from tests.intake.booking_factories import local, make_clinician, make_type
from tests.test_public_input import MARK, fields, nasty

SERIES_FIELDS = (
    "appointment_type",
    "clinician",
    "patient_name",
    "patient_email",
    "patient_phone",
    "first_day",
    "weekdays",
    "local_time",
    "weeks",
)


@pytest.fixture
def plan(db):
    clinician = make_clinician(weekdays=[0, 2])
    visit = make_type()
    request = SeriesRequest(
        clinician=clinician,
        appointment_type=visit,
        patient=Patient(name="Fuzz", email="fuzz@example.com", phone="+16085550100"),
        first_day=local(2030, 1, 7).date(),
        weekdays=(0, 2, 4),
        at=time(9),
        weeks=2,
    )
    return plan_series(request=request, now=local(2030, 1, 1))


def test_series_form_cleans_any_input_without_raising_and_escapes_it(plan):
    @given(fields(SERIES_FIELDS), st.lists(nasty, max_size=4))
    def check(data: dict, weekdays: list) -> None:
        posted = MultiValueDict({name: [value] for name, value in data.items()})
        posted.setlist("weekdays", weekdays)
        form = SeriesForm(posted)
        if form.is_valid():
            form.series_request()
        else:
            assert form.errors
        assert MARK not in str(form)

    check()


def test_choice_and_cancel_forms_clean_any_input_without_raising(plan):
    names = tuple(f"visit_{index}" for index in range(len(plan) + 1)) + ("email_patient",)

    @given(fields(names), fields(("reason", "email_patient")))
    def check(choices: dict, cancel: dict) -> None:
        form = SeriesChoicesForm(choices, plan=plan)
        if form.is_valid():
            assert len(form.chosen_visits()) <= len(plan)
        else:
            assert form.errors
        cancel_form = SeriesCancelForm(cancel)
        cancel_form.is_valid()
        assert MARK not in str(form) + str(cancel_form)

    check()
