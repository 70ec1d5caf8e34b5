"""The appointment book in the admin: lists, day view, status actions, permissions."""

import re
from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Clinician,
    WeeklyAvailability,
)
from tests.intake.booking_factories import (
    local,
    make_appointment,
    make_clinician,
    make_type,
)


@pytest.fixture
def schedule(db):
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(8), time(17))], position=1)
    sam = make_clinician("Sam Ortiz", hours=[(time(8), time(17))], position=2)
    visit = make_type(name="Initial evaluation", duration_minutes=60)
    return dana, sam, visit


def today_at(hour: int, *, days_later: int = 0):
    day = timezone.localdate() + timedelta(days=days_later)
    return local(day.year, day.month, day.day, hour)


def test_seeded_types_and_an_editable_placeholder_clinician_exist_after_migrate(db):
    assert set(AppointmentType.objects.values_list("slug", flat=True)) >= {
        "free-phone-consult",
        "initial-evaluation",
        "follow-up",
    }
    consult = AppointmentType.objects.get(slug="free-phone-consult")
    assert (consult.duration_minutes, consult.mode, consult.price_text) == (15, "phone", "Free")
    placeholder = Clinician.objects.get()
    assert placeholder.bookable
    assert "Placeholder" in placeholder.bio
    assert WeeklyAvailability.objects.filter(clinician=placeholder).count() == 10


def test_front_desk_and_clinicians_get_scheduling_permissions(db):
    front_desk = set(
        Group.objects.get(name="Front desk").permissions.values_list("codename", flat=True)
    )
    clinician = set(
        Group.objects.get(name="Clinician").permissions.values_list("codename", flat=True)
    )
    assert {"add_appointment", "change_appointment", "change_weeklyavailability"} <= front_desk
    assert {"view_appointment", "change_appointment", "add_timeoff"} <= clinician
    assert "delete_appointment" not in front_desk | clinician
    assert "change_appointmenttype" not in front_desk | clinician


@pytest.mark.parametrize(
    "url", ["/admin/intake/appointment/?status__exact=booked", "/admin/intake/appointment/day/"]
)
def test_appointment_list_and_day_view_cost_the_same_queries_for_2_or_16_rows(
    client, group_member, schedule, django_assert_num_queries, url
):
    dana, sam, visit = schedule
    client.force_login(group_member("Front desk"))

    def book_hours(hours: range) -> None:
        for hour in hours:
            make_appointment(clinician=dana, appointment_type=visit, start=today_at(hour))
            make_appointment(clinician=sam, appointment_type=visit, start=today_at(hour))

    book_hours(range(8, 9))
    client.get(url)  # warms per-process caches (content types) so both counts are alike
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    book_hours(range(9, 16))

    with django_assert_num_queries(len(few)):
        large = client.get(url)

    assert small.content.decode().count("Initial evaluation") >= 2
    assert large.content.decode().count("Initial evaluation") >= 16
    assert "Day view" in client.get("/admin/intake/appointment/").content.decode()


def test_day_view_shows_each_clinicians_day_and_can_pick_another_date(
    client, group_member, schedule, django_assert_max_num_queries
):
    dana, sam, visit = schedule
    client.force_login(group_member("Clinician"))
    make_appointment(clinician=dana, appointment_type=visit, start=today_at(9))
    make_appointment(
        clinician=sam,
        appointment_type=visit,
        start=today_at(10),
        status=AppointmentStatus.CANCELLED,
    )
    tomorrow = today_at(11, days_later=1)
    make_appointment(clinician=sam, appointment_type=visit, start=tomorrow)

    with django_assert_max_num_queries(11):
        today = client.get("/admin/intake/appointment/day/")
    other = client.get("/admin/intake/appointment/day/", {"date": f"{tomorrow:%Y-%m-%d}"})

    body = today.content.decode()
    assert today.status_code == 200
    assert "Dana Lee" in body and "Sam Ortiz" in body
    assert re.search(r"<strong>Patient \d+</strong>.*?9:00 AM.*?Booked", body, re.S)
    # Sam's cancelled visit shows, as cancelled (tests/intake/test_calendar.py books its time).
    assert re.search(r"status-cancelled.*?10:00 AM.*?Cancelled", body, re.S)
    assert "11:00 AM</span>" in other.content.decode()
    assert client.get("/admin/intake/appointment/day/", {"date": "junk"}).status_code == 200


def test_day_view_needs_permission_to_view_appointments(client, staff_user, schedule):
    client.force_login(staff_user)
    assert client.get("/admin/intake/appointment/day/").status_code == 403


def test_mark_completed_and_no_show_actions_skip_cancelled(
    client, group_member, schedule, time_machine
):
    dana, _, visit = schedule
    time_machine.move_to(today_at(11), tick=False)  # after the two visits, before the third
    client.force_login(group_member("Front desk"))
    seen = make_appointment(clinician=dana, appointment_type=visit, start=today_at(8))
    missed = make_appointment(clinician=dana, appointment_type=visit, start=today_at(10))
    cancelled = make_appointment(
        clinician=dana,
        appointment_type=visit,
        start=today_at(12),
        status=AppointmentStatus.CANCELLED,
    )
    url = "/admin/intake/appointment/"

    client.post(url, {"action": "mark_completed", "_selected_action": [seen.pk, cancelled.pk]})
    client.post(url, {"action": "mark_no_show", "_selected_action": [missed.pk]})

    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses == {
        seen.pk: AppointmentStatus.COMPLETED,
        missed.pk: AppointmentStatus.NO_SHOW,
        cancelled.pk: AppointmentStatus.CANCELLED,
    }


def test_staff_can_cancel_and_notify_from_the_list(client, group_member, schedule):
    from django_tasks_db.models import DBTaskResult

    from intake.tasks import send_email

    dana, _, visit = schedule
    client.force_login(group_member("Front desk"))
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=today_at(9))

    client.post(
        "/admin/intake/appointment/",
        {"action": "cancel_and_notify", "_selected_action": [appointment.pk]},
    )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by == "staff"
    # The patient; the desk made the change itself. (The waitlist's offer round is no email.)
    assert DBTaskResult.objects.filter(task_path=send_email.module_path).count() == 1


def test_overlapping_weekly_hours_are_refused_in_the_admin(client, superuser, schedule):
    dana, _, _ = schedule
    client.force_login(superuser)
    WeeklyAvailability.objects.filter(clinician=dana).delete()
    prefix = "availability"
    data = {
        "name": dana.name,
        "credentials": "DPT",
        "bio": "",
        "position": 1,
        "bookable": "on",
        f"{prefix}-TOTAL_FORMS": 2,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-0-weekday": 0,
        f"{prefix}-0-start": "09:00",
        f"{prefix}-0-end": "12:00",
        f"{prefix}-1-weekday": 0,
        f"{prefix}-1-start": "11:00",
        f"{prefix}-1-end": "14:00",
        "time_off-TOTAL_FORMS": 0,
        "time_off-INITIAL_FORMS": 0,
    }

    response = client.post(f"/admin/intake/clinician/{dana.pk}/change/", data)

    assert response.status_code == 200
    assert "Two ranges overlap on the same day" in response.content.decode()
    assert not WeeklyAvailability.objects.filter(clinician=dana).exists()


def test_appointment_types_cannot_take_the_booking_pages_own_addresses(db):
    from django.core.exceptions import ValidationError

    for slug in ("manage", "cancelled"):
        with pytest.raises(ValidationError, match="taken by the site"):
            make_type(slug=slug).full_clean()
