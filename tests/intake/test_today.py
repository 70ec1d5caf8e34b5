"""The Today page is the staff home: the day's schedule per clinician with one-click
attendance, urgent leads first, new leads and follow-ups, emails that failed; and a
week per clinician. The admin around it names the clinic and shows each group only
what it works with."""

import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from intake.attendance import record_attendance
from intake.models import (
    AppointmentMode,
    AppointmentStatus,
    Clinician,
    FreedTime,
    LeadStatus,
    TimeOff,
    TriageOutcome,
)
from intake.tasks import send_email
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.leads_support import make_lead
from tests.intake.staff_booking_form import booking_data
from tests.staff.authenticator import app_code


@pytest.fixture
def clinic(db):
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(7), time(19))], position=1)
    sam = make_clinician("Sam Ortiz", hours=[(time(7), time(19))], position=2)
    visit = make_type(name="Initial evaluation", duration_minutes=30)
    return dana, sam, visit


def day_at(hour: int, minute: int = 0, *, days_later: int = 0):
    day = timezone.localdate() + timedelta(days=days_later)
    return local(day.year, day.month, day.day, hour, minute)


def failed_email(to: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [], "kwargs": {"template": "booking_confirmed", "to": [to]}},
        task_path=send_email.module_path,
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path="ConnectionRefusedError",
        traceback="ConnectionRefusedError: SMTP down",
    )


def fill(clinic, rows: int, *, first: int = 0) -> None:
    """Rows `first`.. of: appointments over today and tomorrow, each kind of lead, and
    failed emails. Appointment n gets its own half-hour, so none overlap."""
    dana, sam, visit = clinic
    for n in range(first, first + rows):
        slot = n // 4
        make_appointment(
            clinician=(dana, sam)[n % 2],
            appointment_type=visit,
            start=day_at(7 + slot // 2, 30 * (slot % 2), days_later=(n // 2) % 2),
        )
        make_lead(name=f"New {n}", email=f"new{n}@example.com")
        make_lead(
            name=f"Urgent {n}", email=f"u{n}@example.com", triage_outcome=TriageOutcome.EMERGENCY
        )
        make_lead(
            name=f"Due {n}",
            email=f"d{n}@example.com",
            status=LeadStatus.CONTACTED,
            follow_up_due=timezone.localdate() - timedelta(days=1),
        )
        failed_email(f"p{n}@example.com")
        FreedTime.objects.create(
            clinician=(dana, sam)[n % 2],
            appointment_type=visit,
            start=day_at(18, days_later=2) + timedelta(minutes=n),
            freed_at=timezone.now(),
        )
        TimeOff.objects.create(
            clinician=(dana, sam)[n % 2],
            start=day_at(19, days_later=(n // 2) % 2) + timedelta(minutes=n),
            end=day_at(20, days_later=(n // 2) % 2),
            reason=f"Evening {n}",
        )


def count_queries(client, url: str = "/admin/") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_today_page_costs_the_same_queries_for_2_or_40_rows(client, group_member, clinic):
    client.force_login(group_member("Front desk"))
    week = f"/admin/intake/appointment/week/?clinician={clinic[0].pk}"
    fill(clinic, 2)
    with_two = (count_queries(client), count_queries(client, week))
    fill(clinic, 38, first=2)

    with_forty = (count_queries(client), count_queries(client, week))

    assert with_two == with_forty
    # Including the home programmes list, the visits with a red flag not yet reviewed,
    # the attendance changes (for the Undo buttons) and the times freed today.
    assert with_forty[0] <= 18


def test_front_desk_lands_on_today_after_login(client, group_member, clinic):
    desk = group_member("Front desk")
    device = TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)
    dana, _, visit = clinic
    make_appointment(
        clinician=dana, appointment_type=visit, start=day_at(9), patient_name="Pat Runner"
    )

    client.post(
        "/admin/login/?next=/admin/", {"username": "front_desk", "password": "pw-group-123"}
    )
    response = client.post(
        "/admin/second-factor/", {"code": app_code(device), "next": "/admin/"}, follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "<h1>Today, " in page
    assert "Pat Runner" in page
    assert "Peak Endurance PT: staff" in page


def test_today_shows_each_clinicians_day_with_time_off_and_tomorrow(client, group_member, clinic):
    dana, sam, visit = clinic
    make_appointment(clinician=dana, appointment_type=visit, start=day_at(9), patient_name="Ann")
    make_appointment(
        clinician=sam, appointment_type=visit, start=day_at(10, days_later=1), patient_name="Bob"
    )
    make_appointment(
        clinician=sam,
        appointment_type=visit,
        start=day_at(11),
        patient_name="Cancelled Carl",
        status=AppointmentStatus.CANCELLED,
    )
    TimeOff.objects.create(clinician=dana, start=day_at(13), end=day_at(15), reason="Conference")
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/").content.decode()

    today_part, tomorrow_part = page.split("Tomorrow:", 1)
    assert "Ann" in today_part and "9:00 AM–9:30 AM" in today_part
    assert "Time off: Conference" in today_part and "1:00 PM–3:00 PM" in today_part
    # In the order of the day: the 9:00 visit, then the afternoon's time off.
    assert today_part.index("Ann") < today_part.index("Time off: Conference")
    assert "Bob" in tomorrow_part
    assert "Cancelled Carl" not in page
    assert f"/admin/intake/appointment/week/?clinician={dana.pk}&amp;date=" in page


def test_urgent_leads_come_first_then_new_then_overdue_follow_ups(client, group_member, clinic):
    make_lead(name="Nina New", email="n@example.com")
    make_lead(name="Ugo Urgent", email="u@example.com", triage_outcome=TriageOutcome.SEE_DOCTOR)
    make_lead(
        name="Olga Overdue",
        email="o@example.com",
        status=LeadStatus.FOLLOW_UP,
        follow_up_due=timezone.localdate() - timedelta(days=2),
    )
    make_lead(
        name="Later Larry",
        email="l@example.com",
        status=LeadStatus.CONTACTED,
        follow_up_due=timezone.localdate() + timedelta(days=3),
    )
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/").content.decode()

    assert page.index("Ugo Urgent") < page.index("Today:") < page.index("Nina New")
    assert page.index("Nina New") < page.index("Olga Overdue")
    assert "Later Larry" not in page
    assert page.count("Urgent: call today") == 1


def test_failed_emails_show_on_today_for_the_front_desk(client, group_member, clinic):
    failed_email("pat@example.com")
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/").content.decode()

    assert "Emails that have not gone out" in page
    assert "Email to the patient (pat@example.com) failed" in page
    assert "ConnectionRefusedError: SMTP down" in page


def test_one_click_marks_arrived_then_completed_and_returns_to_today(
    client, group_member, clinic, time_machine
):
    dana, _, visit = clinic
    time_machine.move_to(day_at(9, 5), tick=False)
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=day_at(9))
    client.force_login(group_member("Front desk"))
    url = f"/admin/today/appointment/{appointment.pk}/attendance/"

    response = client.post(url, {"status": "arrived", "next": "/admin/"})
    assert (response.status_code, response.url) == (302, "/admin/")
    page = client.get("/admin/").content.decode()
    assert "marked arrived" in page
    assert ">Arrived</td>" in page

    client.post(url, {"status": "completed", "next": "https://evil.example/"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED


def attendance_buttons(page: str, appointment) -> list[str]:
    """The attendance buttons Today shows for one appointment, in order."""
    form = page.split(f"/admin/today/appointment/{appointment.pk}/attendance/")
    if len(form) == 1:
        return []
    return re.findall(r'name="status" value="(\w+)"', form[1].split("</form>")[0])


def test_attendance_buttons_open_at_the_visits_start_and_arrived_half_an_hour_before(
    client, group_member, clinic, time_machine
):
    """Completed on tomorrow's evaluation made it read-only and the lead a patient; a
    button that cannot be right yet is not offered, and a forged click is refused."""
    dana, _, visit = clinic
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=day_at(9))
    time_machine.move_to(day_at(8, 29), tick=False)
    client.force_login(group_member("Front desk"))
    url = f"/admin/today/appointment/{appointment.pk}/attendance/"

    assert attendance_buttons(client.get("/admin/").content.decode(), appointment) == []
    early = client.post(url, {"status": "completed", "next": "/admin/"}, follow=True)
    assert "not changed. Arrived opens 30 minutes before" in early.content.decode()
    time_machine.move_to(day_at(8, 30), tick=False)
    assert attendance_buttons(client.get("/admin/").content.decode(), appointment) == ["arrived"]
    assert not record_attendance(
        appointment=appointment, status=AppointmentStatus.NO_SHOW, now=day_at(8, 59)
    )
    time_machine.move_to(day_at(9), tick=False)
    assert attendance_buttons(client.get("/admin/").content.decode(), appointment) == [
        "arrived",
        "completed",
        "no_show",
    ]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_today_undoes_a_click_the_same_day_and_says_what_it_is_now(
    client, group_member, clinic, time_machine
):
    dana, _, visit = clinic
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=day_at(9))
    time_machine.move_to(day_at(9, 10), tick=False)
    client.force_login(group_member("Front desk"))
    url = f"/admin/today/appointment/{appointment.pk}/attendance/"
    client.post(url, {"status": "no_show", "next": "/admin/"})
    assert "undo" in attendance_buttons(client.get("/admin/").content.decode(), appointment)

    undone = client.post(url, {"status": "undo", "next": "/admin/"}, follow=True)

    assert "No-show undone, now Booked." in undone.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert "undo" not in attendance_buttons(undone.content.decode(), appointment)


def test_a_phone_consult_has_no_arrived(client, group_member, clinic, time_machine):
    dana, _, _ = clinic
    call = make_type(name="Phone consult", duration_minutes=15, mode=AppointmentMode.PHONE)
    appointment = make_appointment(clinician=dana, appointment_type=call, start=day_at(9))
    time_machine.move_to(day_at(9, 5), tick=False)
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/").content.decode()

    assert attendance_buttons(page, appointment) == ["completed", "no_show"]
    assert not record_attendance(
        appointment=appointment, status=AppointmentStatus.ARRIVED, now=day_at(9, 5)
    )


@pytest.mark.parametrize("status", ["cancelled", "booked", "", "\x00\xff"])
def test_one_click_refuses_other_statuses_with_a_message_not_an_error(
    client, group_member, clinic, status
):
    dana, _, visit = clinic
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=day_at(9))
    client.force_login(group_member("Front desk"))

    response = client.post(
        f"/admin/today/appointment/{appointment.pk}/attendance/", {"status": status}, follow=True
    )

    assert response.status_code == 200
    assert "Choose arrived, completed or no-show." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_one_click_is_post_only_and_needs_change_permission(client, django_user_model, clinic):
    dana, _, visit = clinic
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=day_at(9))
    url = f"/admin/today/appointment/{appointment.pk}/attendance/"
    viewer = django_user_model.objects.create_user("viewer", password="pw-view-123", is_staff=True)
    client.force_login(viewer)

    assert client.get(url).status_code == 405
    assert client.post(url, {"status": "arrived"}).status_code == 403


TECHNICAL = ["Task Results", "Outcome tallies", "Groups", "Users", "Lead exports"]


def test_front_desk_admin_lists_its_work_and_no_technical_models(client, group_member, clinic):
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/intake/").content.decode()

    for name in ["Leads", "Appointments", "Clinicians", "Time off"]:
        assert name in page
    for name in [*TECHNICAL, "Questionnaires", "Guides"]:
        assert name not in page
    assert "Guides" not in client.get("/admin/").content.decode()


def test_clinicians_also_see_content_and_questionnaires(client, group_member, clinic):
    client.force_login(group_member("Clinician"))

    page = client.get("/admin/").content.decode()

    for name in ["Leads", "Appointments", "Guides", "Questionnaires"]:
        assert name in page
    for name in TECHNICAL:
        assert name not in page


def test_superusers_still_see_the_technical_models(client, superuser):
    client.force_login(superuser)

    page = client.get("/admin/").content.decode()

    assert "Task Results" in page
    assert "Groups" in page


def test_admin_phone_fields_take_numbers_as_people_type_them(client, group_member, clinic):
    from intake.models import Appointment

    dana, _, visit = clinic
    client.force_login(group_member("Front desk"))
    form = booking_data(dana, visit, day_at(9, days_later=2), confirmed="on")

    bad = client.post("/admin/intake/appointment/add/", {**form, "patient_phone": "call me"})
    ok = client.post("/admin/intake/appointment/add/", {**form, "patient_phone": "608-555-0142"})

    page = bad.content.decode()
    assert bad.status_code == 200
    assert "Enter a phone number we can call" in page
    assert 'value="call me"' in page
    assert "E.164" not in page
    assert ok.status_code == 302
    assert Appointment.objects.get().patient_phone == "+16085550142"
