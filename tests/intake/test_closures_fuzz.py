"""Property tests for the closure forms: whatever bytes arrive, a clear error or a save,
never an error page, never the markup echoed back (as tests/test_public_input.py does for
the public forms)."""

from datetime import time

import pytest
from django.test import Client
from hypothesis import given

from intake.forms.closures import ClinicClosureForm
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.test_public_input import MARK, fields, request_check

pytestmark = pytest.mark.django_db

NAMES = ("start_date", "end_date", "reason", "for_all")


@pytest.fixture
def booked():
    """A visit on a day a generated closure may well cover."""
    return make_appointment(
        clinician=make_clinician("Dana Lee", hours=[(time(8), time(17))]),
        appointment_type=make_type(),
        start=local(2030, 1, 7, 9),
    )


def test_the_closure_form_cleans_any_input_without_raising_and_escapes_it(booked):
    @given(fields((*NAMES, f"appointment_{booked.pk}")))
    def check(data: dict) -> None:
        form = ClinicClosureForm(data)
        if not form.is_valid():
            assert form.errors
        assert MARK not in str(form)

    check()


def test_no_closure_page_errors_or_echoes_markup_whatever_arrives(booked, group_member):
    client = Client(raise_request_exception=False)
    client.force_login(group_member("Front desk"))
    for path, names in [
        ("/admin/intake/clinicclosure/add/", (*NAMES, f"appointment_{booked.pk}")),
        ("/admin/intake/clinicclosure/suggested/", ("day",)),
    ]:
        request_check(client, "post", path, names)()
