"""The staff side of before-visit forms: how far each patient got on Today and the day
view, the printable summary only clinicians may open (each opening logged), marking a
red flag reviewed, the read-only list of forms, and the forms purged with the lead."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import (
    Appointment,
    Clinician,
    ConsentSignature,
    Measure,
    MeasureResponse,
    PreVisit,
    PreVisitStatus,
    ReadAction,
    ReadLogEntry,
    TriageOutcome,
)
from intake.retention import anonymise_leads
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.leads_support import make_lead
from tests.intake.previsit_factories import make_episode
from tests.intake.previsit_staff_factories import fill_previsit, make_previsit

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(db):
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(7), time(19))], position=1)
    visit = make_type(name="Initial evaluation", duration_minutes=30)
    return dana, visit


def today_at(hour: int, minute: int = 0):
    day = timezone.localdate()
    return local(day.year, day.month, day.day, hour, minute)


def visit(clinic, hour: int, minute: int = 0, **fields) -> Appointment:
    dana, kind = clinic
    return make_appointment(
        clinician=dana, appointment_type=kind, start=today_at(hour, minute), **fields
    )


def summary_url(appointment: Appointment) -> str:
    return f"/admin/intake/appointment/{appointment.pk}/previsit/"


def flagged_form(clinic, **fields) -> PreVisit:
    lead = make_lead(name="Pat Runner", email="pat@example.com")
    appointment = visit(clinic, 9, patient_name="Pat Runner", lead=lead, **fields)
    previsit = fill_previsit(make_previsit(appointment=appointment))
    previsit.red_flag_outcome = TriageOutcome.SEE_DOCTOR
    previsit.needs_review = True
    previsit.save()
    return previsit


@pytest.fixture
def day_of_forms(clinic):
    """Four visits today: one form of each status (the done one flagged) and one with none."""
    make_previsit(appointment=visit(clinic, 8, patient_name="Nora Notyet"))
    make_previsit(
        appointment=visit(clinic, 9, patient_name="Ian Inprogress"),
        status=PreVisitStatus.IN_PROGRESS,
    )
    make_previsit(
        appointment=visit(clinic, 10, patient_name="Dora Done"),
        status=PreVisitStatus.DONE,
        needs_review=True,
        red_flag_outcome=TriageOutcome.SEE_DOCTOR,
    )
    visit(clinic, 11, patient_name="Walt Walkin")


def row_of(page: str, name: str) -> str:
    """The table row that names the patient (Today's urgent list, above the tables, may
    name them too)."""
    at = page.index(name)
    while "</tr>" in page[page.rindex("<tr", 0, at) : at] or "<li" in page[at - 300 : at]:
        at = page.index(name, at + 1)
    start = page.rindex("<tr", 0, at)
    return page[start : page.index("</tr>", start)]


SCHEDULE_PAGES = ["/admin/", "/admin/intake/appointment/day/", "week"]


def schedule_url(url: str, clinic) -> str:
    return f"/admin/intake/appointment/week/?clinician={clinic[0].pk}" if url == "week" else url


@pytest.mark.parametrize("url", SCHEDULE_PAGES)
def test_clinicians_see_each_forms_status_and_the_red_flag(
    client, group_member, clinic, day_of_forms, url
):
    client.force_login(group_member("Clinician"))

    page = client.get(schedule_url(url, clinic)).content.decode()

    assert "Forms: not started" in row_of(page, "Nora Notyet")
    assert "Forms: in progress" in row_of(page, "Ian Inprogress")
    dora = row_of(page, "Dora Done")
    assert "Forms: done" in dora and "Red flag: review" in dora
    assert "Intake summary" in dora
    assert "Forms:" not in row_of(page, "Walt Walkin")
    assert page.count("Red flag: review") == 1


@pytest.mark.parametrize("url", SCHEDULE_PAGES)
def test_front_desk_sees_the_status_but_not_the_red_flag_or_the_answers_link(
    client, group_member, clinic, day_of_forms, url
):
    client.force_login(group_member("Front desk"))

    page = client.get(schedule_url(url, clinic)).content.decode()

    assert "Forms: done" in row_of(page, "Dora Done")
    assert "Forms: not started" in row_of(page, "Nora Notyet")
    assert "Red flag" not in page
    assert "Intake summary" not in page


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def fill_day(clinic, rows: int, *, first: int = 0) -> None:
    """Visits every quarter hour from 7:00, each with a form, statuses in turn."""
    dana, _ = clinic
    kind = make_type(name="Short visit", duration_minutes=15)
    statuses = list(PreVisitStatus)
    for n in range(first, first + rows):
        appointment = make_appointment(
            clinician=dana,
            appointment_type=kind,
            start=today_at(7 + n // 4, 15 * (n % 4)),
            lead=make_lead(email=f"p{n}@example.com"),
        )
        make_previsit(appointment=appointment, status=statuses[n % 3], needs_review=n % 5 == 0)


@pytest.mark.parametrize("group", ["Clinician", "Front desk"])
def test_today_and_the_day_view_cost_the_same_queries_for_2_or_40_forms(
    client, group_member, clinic, group
):
    client.force_login(group_member(group))
    pages = ("/admin/", "/admin/intake/appointment/day/")
    fill_day(clinic, 2)
    with_two = [count_queries(client, url) for url in pages]
    fill_day(clinic, 38, first=2)

    with_forty = [count_queries(client, url) for url in pages]

    assert with_two == with_forty
    # 15, one more for Today's "Home programmes" list (three once any programme is active)
    # one for the visits with a red flag not yet reviewed, one for the attendance changes
    # (Undo buttons) and one for the times freed today.
    assert with_forty[0] <= 18
    assert client.get("/admin/").content.decode().count("Forms:") == 40


def test_front_desk_cannot_open_the_summary_nor_mark_it_reviewed(client, group_member, clinic):
    previsit = flagged_form(clinic)
    client.force_login(group_member("Front desk"))

    assert client.get(summary_url(previsit.appointment)).status_code == 403
    response = client.post(summary_url(previsit.appointment) + "reviewed/")

    assert response.status_code == 403
    previsit.refresh_from_db()
    assert previsit.reviewed_at is None
    assert not ReadLogEntry.objects.exists()


def test_the_summary_shows_every_answer_in_plain_words(client, group_member, clinic):
    previsit = flagged_form(clinic)
    client.force_login(group_member("Clinician"))

    page = client.get(summary_url(previsit.appointment)).content.decode()

    for text in (
        "Before-visit form: Pat Runner",
        "Contact details",
        "April 2, 1988",
        "(608) 555-0199",
        "Knee pain on downhill runs",
        "Ibuprofen as needed",
        "Not answered",
        # The safety answers with the self-check's own questions and answer labels.
        "Can you take four steps on that leg now?</dt><dd>No",
        "Did your knee pain start with an injury in the last month",
        "See a doctor first",
        "Needs a clinician's review before the visit.",
        "Mark red flag reviewed",
        "Patient-Specific Functional Scale: 4</h3>",
        "Activity 1: 3",
        "Activity 3: 5",
        "Pain rating: 3",
        "Your pain at its worst: not answered",
        "Consent to treat",
    ):
        assert text in page, text
    # Sections shown from their own rows are not repeated from the stored answers.
    assert "Saved" not in page and "Versions" not in page
    assert page.count("<td>1</td><td>Pat Runner</td>") == 2


def test_each_showing_of_the_summary_is_logged_once_against_the_lead(client, group_member, clinic):
    previsit = flagged_form(clinic)
    clinician = group_member("Clinician")
    client.force_login(clinician)

    client.get(summary_url(previsit.appointment))
    client.get(summary_url(previsit.appointment))

    entries = list(ReadLogEntry.objects.all())
    assert len(entries) == 2
    assert {(e.lead_id, e.appointment_id, e.user_id, e.action) for e in entries} == {
        (previsit.appointment.lead_id, previsit.appointment_id, clinician.pk, "viewed_previsit")
    }
    assert "Viewed the before-visit form" in str(entries[0])


def test_a_form_whose_appointment_lost_its_lead_is_still_logged(client, group_member, clinic):
    """A lead deleted by hand leaves its appointments without one; the read is still
    recorded, against the appointment."""
    previsit = fill_previsit(make_previsit(appointment=visit(clinic, 9)))
    client.force_login(group_member("Clinician"))

    assert client.get(summary_url(previsit.appointment)).status_code == 200

    entry = ReadLogEntry.objects.get()
    assert (entry.lead_id, entry.appointment_id) == (None, previsit.appointment_id)
    assert entry.action == ReadAction.VIEWED_PREVISIT


def test_no_form_no_summary_and_nothing_logged(client, group_member, clinic):
    appointment = visit(clinic, 9)
    client.force_login(group_member("Clinician"))

    assert client.get(summary_url(appointment)).status_code == 404
    for odd in ("abc", "%C2%B2", "99999999999999999999999", "1%00"):
        assert client.get(f"/admin/intake/appointment/{odd}/previsit/").status_code == 404, odd
    assert client.post("/admin/intake/appointment/%C2%B2/previsit/reviewed/").status_code == 404
    assert not ReadLogEntry.objects.exists()


def test_marking_reviewed_records_who_and_when_and_clears_the_flag_on_today(
    client, group_member, clinic
):
    previsit = flagged_form(clinic)
    clinician = group_member("Clinician")
    client.force_login(clinician)

    response = client.post(summary_url(previsit.appointment) + "reviewed/")

    assert (response.status_code, response.url) == (302, summary_url(previsit.appointment))
    previsit.refresh_from_db()
    assert previsit.reviewed_by == clinician
    assert timezone.now() - previsit.reviewed_at < timedelta(minutes=1)
    page = client.get(response.url).content.decode()
    assert "Red flag marked reviewed." in page
    assert "Reviewed by clinician on" in page
    assert "Mark red flag reviewed" not in page
    assert "Red flag: review" not in client.get("/admin/").content.decode()


def test_a_second_click_keeps_the_first_reviewer(client, group_member, clinic):
    previsit = flagged_form(clinic)
    first = group_member("Clinician", "first")
    client.force_login(first)
    client.post(summary_url(previsit.appointment) + "reviewed/")
    client.force_login(group_member("Clinician", "second"))

    response = client.post(summary_url(previsit.appointment) + "reviewed/", follow=True)

    assert "Nothing to mark: not flagged, or already reviewed." in response.content.decode()
    previsit.refresh_from_db()
    assert previsit.reviewed_by == first


def test_marking_reviewed_only_by_post(client, group_member, clinic):
    previsit = flagged_form(clinic)
    client.force_login(group_member("Clinician"))

    assert client.get(summary_url(previsit.appointment) + "reviewed/").status_code == 405
    previsit.refresh_from_db()
    assert previsit.reviewed_at is None


def test_the_summary_costs_the_same_queries_for_1_or_10_measures(client, group_member, clinic):
    previsit = flagged_form(clinic)
    MeasureResponse.objects.filter(previsit=previsit).exclude(measure__slug="psfs").delete()
    client.force_login(group_member("Clinician"))
    with_one = count_queries(client, summary_url(previsit.appointment))
    for n in range(9):
        measure = Measure.objects.create(
            slug=f"extra-{n}", name=f"Extra measure {n}", instructions="Rate it.", mcid=1
        )
        MeasureResponse.objects.create(
            previsit=previsit,
            measure=measure,
            answers=[{"item": "a", "label": f"Extra item {n}", "value": n}],
            score=n,
        )

    with_ten = count_queries(client, summary_url(previsit.appointment))

    assert with_one == with_ten
    assert with_ten <= 13  # the form, measures, consents, 4 for the safety wording, the log
    page = client.get(summary_url(previsit.appointment)).content.decode()
    assert "Extra item 8: 8" in page


def test_the_appointment_page_links_to_the_summary_for_clinicians_only(
    client, group_member, clinic
):
    previsit = flagged_form(clinic)
    url = f"/admin/intake/appointment/{previsit.appointment_id}/change/"

    client.force_login(group_member("Clinician"))
    assert summary_url(previsit.appointment) in client.get(url).content.decode()
    client.force_login(group_member("Front desk"))
    page = client.get(url).content.decode()

    assert "Pat Runner" in page
    assert summary_url(previsit.appointment) not in page


def test_the_forms_list_shows_the_front_desk_status_only(client, group_member, clinic):
    previsit = flagged_form(clinic)
    client.force_login(group_member("Front desk"))

    listing = client.get("/admin/intake/previsit/").content.decode()
    detail = client.get(f"/admin/intake/previsit/{previsit.pk}/change/").content.decode()

    assert "Pat Runner" in listing and "Done" in listing
    for page in (listing, detail):
        assert summary_url(previsit.appointment) not in page
        assert "Intake summary" not in page
        assert "Red flag" not in page
        assert "Knee pain" not in page and "See a doctor" not in page
    assert "Before your first visit" in detail


def test_clinicians_list_shows_the_flag_and_the_summary_link(client, group_member, clinic):
    previsit = flagged_form(clinic)
    client.force_login(group_member("Clinician"))

    listing = client.get("/admin/intake/previsit/").content.decode()
    detail = client.get(f"/admin/intake/previsit/{previsit.pk}/change/").content.decode()

    assert "Review before the visit" in listing
    assert summary_url(previsit.appointment) in listing
    assert "Review before the visit" in detail and summary_url(previsit.appointment) in detail
    # The answers are read on the summary page only, where each reading is logged.
    assert "Knee pain" not in listing and "Knee pain" not in detail
    assert not ReadLogEntry.objects.exists()


def test_nobody_adds_or_edits_a_form_in_the_admin(client, group_member, superuser, clinic):
    previsit = flagged_form(clinic)
    client.force_login(superuser)

    assert client.get("/admin/intake/previsit/add/").status_code == 403
    response = client.post(
        f"/admin/intake/previsit/{previsit.pk}/change/", {"status": "not_started"}
    )

    assert response.status_code == 403
    previsit.refresh_from_db()
    assert previsit.status == PreVisitStatus.DONE


def test_anonymising_a_lead_deletes_its_before_visit_forms(clinic):
    purged = flagged_form(clinic)
    kept = fill_previsit(
        make_previsit(
            appointment=visit(clinic, 11, lead=make_lead(email="kept@example.com")),
        )
    )

    anonymise_leads(
        leads=type(purged.appointment.lead).objects.filter(pk=purged.appointment.lead_id)
    )

    assert list(PreVisit.objects.all()) == [kept]
    assert not MeasureResponse.objects.filter(previsit_id=purged.pk).exists()
    assert not ConsentSignature.objects.filter(previsit_id=purged.pk).exists()
    assert Appointment.objects.filter(pk=purged.appointment_id).exists()
    assert MeasureResponse.objects.filter(previsit=kept).count() == 2


def test_a_follow_up_shows_its_scores_and_no_empty_sections(client, group_member, clinic):
    """A "How are you doing?" form holds only the measures, shown from their rows."""
    previsit = fill_previsit(
        make_previsit(appointment=visit(clinic, 9, patient_name="Fay Follow"), kind="follow_up")
    )
    previsit.answers = {"measures": {"saved": True}}
    previsit.save()
    client.force_login(group_member("Clinician"))

    page = client.get(summary_url(previsit.appointment)).content.decode()

    assert "How are you doing?" in page
    assert "Patient-Specific Functional Scale: 4</h3>" in page
    assert "not saved any section yet" not in page
    assert "Saved" not in page


def test_the_summary_writes_scores_as_the_chart_does(client, group_member):
    """5.5 and 5 as on the appointment page's chart and table, not 5.50 and 5.00."""
    previsit = make_episode(psfs=[{"Running": 5, "Lifting": 6}], pain_now=[5])[0]
    client.force_login(group_member("Clinician"))

    summary = client.get(summary_url(previsit.appointment)).content.decode()
    chart = client.get(f"/admin/intake/appointment/{previsit.appointment_id}/change/")

    assert "Patient-Specific Functional Scale: 5.5</h3>" in summary
    assert "Pain rating: 5</h3>" in summary
    assert "a change of 2 or more matters" in summary
    assert ".50" not in summary and ".00" not in summary
    assert "<td>5.5</td>" in chart.content.decode()


def test_a_form_not_started_says_so(client, group_member, clinic):
    previsit = make_previsit(appointment=visit(clinic, 9))
    client.force_login(group_member("Clinician"))

    page = client.get(summary_url(previsit.appointment)).content.decode()

    assert "Form: not started." in page
    assert "The patient has not saved any section yet." in page
    assert "No measures answered yet." in page and "Not signed yet." in page


def test_a_signature_unlike_the_booking_is_shown_to_clinicians_to_check(
    client, group_member, clinic
):
    from intake.models import ConsentSignature

    previsit = fill_previsit(make_previsit(appointment=visit(clinic, 9, patient_name="Pat Runner")))
    booked = previsit.appointment.patient_name
    ConsentSignature.objects.filter(previsit=previsit).update(typed_name="Chris Other")
    client.force_login(group_member("Clinician"))

    page = client.get(summary_url(previsit.appointment)).content.decode()

    assert f"Signed as Chris Other (booked as {booked})" in page


def test_a_signature_with_a_middle_name_accents_or_case_is_not_flagged(
    client, group_member, clinic
):
    from intake.models import ConsentSignature

    previsit = fill_previsit(make_previsit(appointment=visit(clinic, 9, patient_name="Pat Runner")))
    first, *_, last = previsit.appointment.patient_name.split()
    typed = f"{first.upper()} Quincy {last}".replace("a", "á")
    ConsentSignature.objects.filter(previsit=previsit).update(typed_name=typed)
    client.force_login(group_member("Clinician"))

    page = client.get(summary_url(previsit.appointment)).content.decode()

    assert "Signed as" not in page
    assert typed in page


def test_the_front_desk_never_sees_the_signature_check(client, group_member, clinic):
    from intake.models import ConsentSignature

    previsit = fill_previsit(make_previsit(appointment=visit(clinic, 9, patient_name="Pat Runner")))
    ConsentSignature.objects.filter(previsit=previsit).update(typed_name="Chris Other")
    client.force_login(group_member("Front desk"))

    response = client.get(summary_url(previsit.appointment))

    assert response.status_code == 403
    assert "Chris Other" not in client.get("/admin/").content.decode()
