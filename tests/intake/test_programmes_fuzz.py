"""Property tests for the home programme's forms: whatever bytes arrive, a clear error or
a save, never an error page, never the markup echoed back (as tests/test_public_input.py
does for the other public forms)."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from intake.forms.programmes import DoseFormSet, ProgrammeNoteForm, ReminderForm, SessionForm
from intake.models import ProgrammeExercise
from tests.intake.programme_factories import clinician_user, make_programme
from tests.test_public_input import MARK, fields, nasty, request_check

pytestmark = pytest.mark.django_db

ROW = ("exercise", "sets", "reps", "hold_seconds", "per_side", "times", "per", "note", "DELETE")
MANAGEMENT = ("rows-TOTAL_FORMS", "rows-INITIAL_FORMS", "rows-MAX_NUM_FORMS")


def test_programme_forms_clean_any_input_without_raising_and_escape_it():
    programme = make_programme()
    rows = list(ProgrammeExercise.objects.filter(programme=programme).select_related("exercise"))
    session_names = ("pain", "effort", "note") + tuple(f"exercise_{r.exercise_id}" for r in rows)
    row_names = tuple(f"rows-{i}-{name}" for i in range(2) for name in ROW)

    @given(
        fields(session_names),
        fields(("at",)),
        fields(("note", "email_patient")),
        st.fixed_dictionaries(
            {"rows-TOTAL_FORMS": st.one_of(st.sampled_from(["0", "1", "2", "99"]), nasty)},
            optional=dict.fromkeys((*MANAGEMENT[1:], *row_names), nasty),
        ),
    )
    def check(session: dict, reminder: dict, note: dict, formset_data: dict) -> None:
        forms = [SessionForm(session, rows=rows), ReminderForm(reminder), ProgrammeNoteForm(note)]
        for form in forms:
            if form.is_valid():
                if isinstance(form, SessionForm):
                    form.feedback()
                if isinstance(form, ReminderForm):
                    form.reminder_time()
            else:
                assert form.errors
        formset = DoseFormSet(formset_data, prefix="rows")
        if formset.is_valid():
            formset.doses()
        rendered = "".join(str(form) for form in forms) + str(formset)
        assert MARK not in rendered

    check()


def test_no_programme_page_errors_or_echoes_markup_whatever_arrives():
    programme = make_programme()
    token = programme.token
    names = ("pain", "effort", "note") + tuple(
        f"exercise_{row.exercise_id}" for row in programme.exercises.all()
    )
    client = Client(raise_request_exception=False)
    for method, path, sent in [
        ("get", f"/my-exercises/{token}/", ()),
        ("get", f"/my-exercises/{token}x/", ()),
        ("post", f"/my-exercises/{token}/log/", names),
        ("post", f"/my-exercises/{token}/reminders/", ("at",)),
        ("get", f"/my-exercises/{token}/print/", ()),
    ]:
        request_check(client, method, path, sent)()


def test_the_clinicians_editor_never_errors_whatever_arrives(appointment_for_fuzz):
    client = Client(raise_request_exception=False)
    client.force_login(clinician_user())
    path = reverse("admin:intake_programme_assign") + f"?appointment={appointment_for_fuzz.pk}"
    row_names = tuple(f"rows-0-{name}" for name in ROW)
    request_check(client, "post", path, (*MANAGEMENT, *row_names, "action", "add", "q", "note"))()


@pytest.fixture
def appointment_for_fuzz():
    from datetime import timedelta

    from django.utils import timezone

    from tests.intake.booking_factories import make_appointment, make_clinician, make_type

    return make_appointment(
        clinician=make_clinician(),
        appointment_type=make_type(),
        start=timezone.now() - timedelta(hours=1),
    )
