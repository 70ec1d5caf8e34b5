"""The clinician's programme screens: assign from an appointment, edit, the section on
the appointment and lead pages, and what the front desk may see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from education.models import Protocol, Status
from intake.models import Programme, ReadAction, ReadLogEntry
from intake.programmes import SessionDetails, log_session
from tests.intake.booking_factories import make_appointment, make_clinician, make_type
from tests.intake.leads_support import make_lead
from tests.intake.programme_factories import (
    PROTOCOL_SLUG,
    clinician_user,
    log_on,
    make_exercise,
    make_programme,
)
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment():
    lead = make_lead(name="Pat Runner", email="pat@example.com")
    return make_appointment(
        clinician=make_clinician(),
        appointment_type=make_type(),
        start=timezone.now() - timedelta(hours=1),
        patient_name="Pat Runner",
        patient_email="pat@example.com",
        lead=lead,
    )


@pytest.fixture
def clinician_client(client):
    client.force_login(clinician_user())
    return client


def assign_url(appointment) -> str:
    return reverse("admin:intake_programme_assign") + f"?appointment={appointment.pk}"


def rows_post(page_context, **changes) -> dict:
    """The editor's form as the browser would send it, with `changes` applied."""
    formset = page_context["formset"]
    data = {
        "rows-TOTAL_FORMS": str(len(formset.forms)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "30",
        "note": page_context["note_form"]["note"].value() or "",
        "email_patient": "on",
    }
    for index, form in enumerate(formset.forms):
        for name in (
            "exercise",
            "sets",
            "reps",
            "hold_seconds",
            "per_side",
            "times",
            "per",
            "note",
        ):
            value = form[name].value()
            data[f"rows-{index}-{name}"] = "" if value is None else str(value)
    data.update(changes)
    return data


def test_three_requests_from_the_appointment_to_a_sent_programme(clinician_client, appointment):
    """Click 1: "Exercise programme"; 2: "Start from <protocol>"; 3: "Save and email"."""
    page = clinician_client.get(reverse("admin:intake_appointment_change", args=[appointment.pk]))
    assert assign_url(appointment) in page.content.decode()
    start = clinician_client.get(assign_url(appointment))
    protocol = Protocol.objects.get(slug=PROTOCOL_SLUG)
    link = f"?appointment={appointment.pk}&amp;protocol={protocol.pk}"
    assert link in start.content.decode()
    editor = clinician_client.get(assign_url(appointment) + f"&protocol={protocol.pk}")
    assert len(editor.context["formset"].forms) == 3
    saved = clinician_client.post(
        assign_url(appointment) + f"&protocol={protocol.pk}",
        rows_post(editor.context, action="save"),
    )
    assert saved.status_code == 302
    programme = Programme.objects.get()
    assert programme.appointment == appointment and programme.lead == appointment.lead
    assert programme.exercises.count() == 3
    [email] = deliver_queued_emails()
    assert programme.token in email.body


def test_more_than_four_exercises_warns_but_saves(clinician_client, appointment):
    for name in ("Hop drill", "Skater lunge"):
        make_exercise(name)
    protocol = Protocol.objects.get(slug=PROTOCOL_SLUG)
    url = assign_url(appointment) + f"&protocol={protocol.pk}"
    page = clinician_client.get(url)
    for name in ("Hop drill", "Skater lunge"):
        found = clinician_client.post(url, rows_post(page.context, action="search", q=name))
        exercise_id = found.context["results"][0].pk
        page = clinician_client.post(url, rows_post(found.context, add=str(exercise_id)))
    assert page.context["kept"] == 5
    assert "Patients do fewer of long programmes" in page.content.decode()
    assert clinician_client.post(url, rows_post(page.context, action="save")).status_code == 302
    assert Programme.objects.get().exercises.count() == 5


def test_a_search_never_offers_a_draft_and_a_forged_draft_is_refused(clinician_client, appointment):
    draft = make_exercise("Sidewinder", status=Status.DRAFT)
    url = assign_url(appointment)
    page = clinician_client.get(url)
    found = clinician_client.post(url, rows_post(page.context, action="search", q="sidewind"))
    assert list(found.context["results"]) == []
    forged = {
        **rows_post(page.context),
        "rows-TOTAL_FORMS": "1",
        "rows-0-exercise": str(draft.pk),
        "rows-0-sets": "3",
        "rows-0-reps": "10",
        "rows-0-times": "1",
        "rows-0-per": "day",
        "action": "save",
    }
    response = clinician_client.post(url, forged)
    assert response.status_code == 200
    assert "not in the published library" in response.content.decode()
    assert not Programme.objects.exists()


def test_a_wrong_dose_is_named_on_its_field_and_everything_typed_is_kept(
    clinician_client, appointment
):
    protocol = Protocol.objects.get(slug=PROTOCOL_SLUG)
    url = assign_url(appointment) + f"&protocol={protocol.pk}"
    page = clinician_client.get(url)
    data = rows_post(page.context, action="save", note="Easy does it")
    data.update(
        {"rows-0-sets": "", "rows-0-reps": "", "rows-0-hold_seconds": "", "rows-1-times": "banana"}
    )
    response = clinician_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give a dose: sets, reps or a hold." in html
    assert "Enter a whole number." in html
    assert "Easy does it" in html and 'value="banana"' in html
    assert not Programme.objects.exists()


def test_editing_from_the_appointment_keeps_the_link_and_adds_a_version(
    clinician_client, appointment
):
    programme = make_programme(appointment=appointment)
    token = programme.token
    # "Exercise programme" on the appointment now opens the active programme.
    opened = clinician_client.get(assign_url(appointment))
    assert opened.status_code == 302 and f"/{programme.pk}/edit/" in opened.url
    editor = clinician_client.get(opened.url)
    response = clinician_client.post(
        opened.url, rows_post(editor.context, action="save", **{"rows-0-reps": "12"})
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.token == token
    assert list(programme.versions.values_list("number", flat=True)) == [2, 1]
    assert "→" in programme.versions.first().changes


def test_front_desk_sees_the_programme_and_adherence_but_no_pain_or_notes(
    client, appointment, group_member
):
    programme = make_programme(appointment=appointment)
    log_session(
        programme=programme,
        now=timezone.now(),
        details=SessionDetails(pain=9, effort=4, note="hurt on the stairs"),
    )
    client.force_login(group_member("Front desk"))
    page = client.get(reverse("admin:intake_appointment_change", args=[appointment.pk]))
    html = page.content.decode()
    assert "Home exercise programme" in html and "Last 7 days" in html
    assert "hurt on the stairs" not in html and "Pain and effort" not in html
    assert "Exercise programme</a>" not in html
    assert client.get(assign_url(appointment)).status_code == 403
    assert not ReadLogEntry.objects.filter(action=ReadAction.VIEWED_PROGRAMME).exists()
    detail = client.get(reverse("admin:intake_programme_change", args=[programme.pk]))
    assert detail.status_code == 200 and "hurt on the stairs" not in detail.content.decode()


def test_a_clinician_sees_the_logs_and_each_showing_is_in_the_read_log(
    clinician_client, appointment
):
    programme = make_programme(appointment=appointment)
    log_session(
        programme=programme,
        now=timezone.now(),
        details=SessionDetails(pain=9, effort=4, note="hurt on the stairs"),
    )
    page = clinician_client.get(reverse("admin:intake_appointment_change", args=[appointment.pk]))
    html = page.content.decode()
    assert "hurt on the stairs" in html and "<svg" in html and "Pain 9 out of 10" in html
    entry = ReadLogEntry.objects.get(action=ReadAction.VIEWED_PROGRAMME)
    assert entry.lead == appointment.lead


def test_the_programme_section_costs_a_fixed_number_of_queries(
    clinician_client, appointment, django_assert_max_num_queries
):
    programme = make_programme(appointment=appointment)
    today = timezone.localdate()
    for n in range(1, 4):
        log_on(programme, today - timedelta(days=n), pain=2, effort=5)
    url = reverse("admin:intake_appointment_change", args=[appointment.pk])
    clinician_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        clinician_client.get(url)
    for n in range(4, 20):
        log_on(programme, today - timedelta(days=n), pain=2, effort=5, note=f"day {n}")
    with CaptureQueriesContext(connection) as many:
        clinician_client.get(url)
    assert len(many) == len(few)


def test_ending_says_so_at_the_link(clinician_client, appointment):
    programme = make_programme(appointment=appointment)
    response = clinician_client.post(
        reverse("admin:intake_programme_end", args=[programme.pk]),
        {"next": reverse("admin:intake_appointment_change", args=[appointment.pk])},
    )
    assert response.status_code == 302
    page = clinician_client.get(reverse("intake:programme", args=[programme.token]))
    assert "This exercise programme has ended" in page.content.decode()
    assert "608" in page.content.decode()


def test_a_lead_page_opens_the_editor_for_that_lead(clinician_client):
    lead = make_lead(name="Lee Lead", email="lee@example.com")
    page = clinician_client.get(reverse("admin:intake_lead_change", args=[lead.pk]))
    url = reverse("admin:intake_programme_assign") + f"?lead={lead.pk}"
    assert url in page.content.decode()
    editor = clinician_client.get(url)
    assert (
        editor.status_code == 200 and "Exercise programme for Lee Lead" in editor.content.decode()
    )


def test_the_programme_list_opens_for_clinicians_and_the_front_desk(client, group_member):
    make_programme()
    for group in ("Clinician", "Front desk"):
        client.force_login(group_member(group))
        response = client.get(reverse("admin:intake_programme_changelist"))
        assert response.status_code == 200 and "Pat Runner" in response.content.decode()


def test_after_ending_the_clinician_starts_a_new_programme_with_a_new_link(
    clinician_client, appointment
):
    old = make_programme(appointment=appointment)
    clinician_client.post(reverse("admin:intake_programme_end", args=[old.pk]))
    start = clinician_client.get(assign_url(appointment))
    assert start.status_code == 200 and "Start from a protocol" in start.content.decode()
    protocol = Protocol.objects.get(slug=PROTOCOL_SLUG)
    url = assign_url(appointment) + f"&protocol={protocol.pk}"
    editor = clinician_client.get(url)
    clinician_client.post(url, rows_post(editor.context, action="save"))
    new = Programme.objects.exclude(pk=old.pk).get()
    assert new.is_active and new.token != old.token


def test_foreign_digits_in_the_editor_are_ignored_not_an_error(clinician_client, appointment):
    assert clinician_client.get(
        reverse("admin:intake_programme_assign") + "?appointment=²"
    ).status_code in (403, 404)
    url = assign_url(appointment)
    page = clinician_client.get(url)
    for value in ("²", "١", "99999999999999999999"):
        response = clinician_client.post(
            url, rows_post(page.context, add=value, q=value, action="search")
        )
        assert response.status_code == 200
    protocol = Protocol.objects.get(slug=PROTOCOL_SLUG)
    editor = clinician_client.get(url + f"&protocol={protocol.pk}")
    duplicate = rows_post(editor.context, action="save")
    duplicate.update({"rows-1-exercise": duplicate["rows-0-exercise"]})
    response = clinician_client.post(url + f"&protocol={protocol.pk}", duplicate)
    assert "Listed twice" in response.content.decode()
