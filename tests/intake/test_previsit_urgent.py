"""A red flag at intake reaches a person the same day, whatever the visit's date: the front
desk is emailed at once, the visit and its lead top Today's urgent list until a clinician
marks the red flag reviewed, and the patient is told we will call today about the visit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.dateformat import format as format_date

from intake.models import Appointment, PreVisit, TriageOutcome
from intake.previsit import safety_questions, safety_spec
from intake.times import clinic_zone
from tests.intake.previsit_support import (
    CALM_GENERAL,
    book,
    form_of,
    name_areas,
    section_url,
)
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db

THREE_WEEKS = 21
URGENT_SUBJECT = "Urgent: please call today"


def calm_shoulder() -> dict[str, str]:
    questions = safety_questions(safety_spec(areas=["shoulder"]))
    return {**{q.key: "no" for q in questions}, **CALM_GENERAL}


def shoulder_patient(client, **booking) -> PreVisit:
    """Sam, a swimmer booked three weeks ahead, who named the shoulder."""
    booking = {"name": "Sam Swimmer", "email": "sam@example.com", **booking}
    previsit = form_of(book(days_ahead=THREE_WEEKS, **booking))
    name_areas(client, previsit, "shoulder")
    deliver_queued_emails()  # the booking's own emails
    return previsit


def urgent_emails() -> list:
    return [email for email in deliver_queued_emails() if email.subject == URGENT_SUBJECT]


def test_a_see_a_doctor_answer_three_weeks_ahead_emails_the_front_desk_at_once(client, settings):
    previsit = shoulder_patient(client)

    client.post(section_url(previsit, "safety"), {**calm_shoulder(), "s_d2": "yes"})

    (email,) = urgent_emails()
    assert email.to == [settings.CLINIC_NOTIFY_EMAIL]
    assert "Urgent: please call Sam Swimmer today." in email.body
    link = f"{settings.SITE_URL}/admin/intake/appointment/{previsit.appointment_id}/change/"
    assert link in email.body
    for health_detail in ["shoulder", "lump", "See a doctor", "S-D2", "swelling", "cancer"]:
        assert health_detail.casefold() not in email.body.casefold(), health_detail


def test_the_patient_is_told_the_advice_the_phone_and_what_happens_to_the_visit(client):
    previsit = shoulder_patient(client)

    response = client.post(
        section_url(previsit, "safety"), {**calm_shoulder(), "s_d2": "yes"}, follow=True
    )

    page = " ".join(response.content.decode().split())
    visit_day = format_date(previsit.appointment.start.astimezone(clinic_zone()), "l, F j, Y")
    assert "See a doctor first" in page
    assert "A new lump should be checked by a doctor soon." in page
    assert f"We will call you today about your visit on {visit_day} at" in page
    assert "It stays booked until we have talked" in page
    assert "Call (608) 218-4215" in page
    assert Appointment.objects.get(pk=previsit.appointment_id).status == "booked"


def test_a_visit_three_weeks_ahead_tops_todays_urgent_list_until_reviewed(client, group_member):
    previsit = shoulder_patient(client)
    client.post(section_url(previsit, "safety"), {**calm_shoulder(), "s_d3": "yes"})
    clinician = group_member("Clinician")
    client.force_login(clinician)

    flagged = client.get("/admin/").content.decode()
    client.post(f"/admin/intake/appointment/{previsit.appointment_id}/previsit/reviewed/")
    reviewed = client.get("/admin/").content.decode()

    urgent = flagged[flagged.index("Urgent: call these people today") :]
    assert urgent.index("Sam Swimmer") < urgent.index("</ul>")
    assert "Intake summary" in urgent[: urgent.index("</ul>")]
    assert f"/admin/intake/lead/{previsit.appointment.lead_id}/change/" in urgent
    assert "Sam Swimmer" not in reviewed
    previsit.refresh_from_db()
    assert previsit.reviewed_by == clinician


def test_the_front_desk_sees_whom_to_call_but_no_health_details(client, group_member):
    previsit = shoulder_patient(client)
    client.post(section_url(previsit, "safety"), {**calm_shoulder(), "s_e3": "yes"})
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/").content.decode()

    urgent = page[page.index("Urgent: call these people today") :]
    urgent = urgent[: urgent.index("</ul>")]
    assert "Sam Swimmer" in urgent and "Urgent: call today" in urgent
    assert "Intake summary" not in urgent
    assert "Red flag" not in page and "Emergency" not in urgent


def test_saving_the_red_flag_again_sends_no_second_email_but_a_new_one_after_review(
    client, group_member
):
    previsit = shoulder_patient(client)
    red = {**calm_shoulder(), "s_d2": "yes"}
    client.post(section_url(previsit, "safety"), red)
    client.post(section_url(previsit, "safety"), red)
    first = urgent_emails()
    client.force_login(group_member("Clinician"))
    client.post(f"/admin/intake/appointment/{previsit.appointment_id}/previsit/reviewed/")
    client.post(section_url(previsit, "safety"), {**red, "s_e4": "yes"})

    assert len(first) == 1
    assert len(urgent_emails()) == 1
    previsit.refresh_from_db()
    assert previsit.needs_review and previsit.reviewed_at is None
    assert previsit.red_flag_outcome == TriageOutcome.EMERGENCY


def test_calm_answers_send_nothing_and_list_nothing(client, group_member):
    previsit = shoulder_patient(client)

    client.post(section_url(previsit, "safety"), calm_shoulder())

    assert urgent_emails() == []
    client.force_login(group_member("Clinician"))
    assert "Urgent: call these people today" not in client.get("/admin/").content.decode()


def test_a_cancelled_visit_leaves_the_urgent_list(client, group_member):
    previsit = shoulder_patient(client)
    client.post(section_url(previsit, "safety"), {**calm_shoulder(), "s_d2": "yes"})
    Appointment.objects.filter(pk=previsit.appointment_id).update(status="cancelled")
    client.force_login(group_member("Clinician"))

    assert "Sam Swimmer" not in client.get("/admin/").content.decode()


def test_todays_urgent_list_costs_the_same_queries_for_one_or_five_flagged_visits(
    client, group_member
):
    client.force_login(group_member("Clinician"))

    def flag(n: int) -> None:
        previsit = form_of(book(days_ahead=THREE_WEEKS + n, email=f"p{n}@example.com"))
        name_areas(client, previsit, "shoulder")
        client.post(section_url(previsit, "safety"), {**calm_shoulder(), "s_d2": "yes"})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return len(captured)

    flag(0)
    one = queries()
    for n in range(1, 5):
        flag(n)

    assert queries() == one
    assert PreVisit.objects.filter(needs_review=True).count() == 5


def test_the_patient_is_told_of_the_call_until_a_clinician_has_read_the_answers(
    client, group_member
):
    previsit = shoulder_patient(client)
    overview = f"/before-your-visit/{previsit.token}/"
    client.post(section_url(previsit, "safety"), {**calm_shoulder(), "s_d2": "yes"})
    client.post(section_url(previsit, "safety"), calm_shoulder())  # changed their mind

    still = client.get(overview).content.decode()
    client.force_login(group_member("Clinician"))
    client.post(f"/admin/intake/appointment/{previsit.appointment_id}/previsit/reviewed/")
    client.logout()
    read = client.get(overview).content.decode()

    assert "We will call you today about your visit" in still
    assert "We will call you today" not in read
