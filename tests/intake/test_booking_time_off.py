"""Time off over booked appointments never saves silently: staff see them and choose,
for each or for all, to cancel (the patient is emailed other times) or keep them."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from intake.models import Appointment, AppointmentStatus, Clinician, TimeOff
from tests.intake.booking_factories import (
    CHICAGO,
    local,
    make_appointment,
    make_clinician,
    make_type,
)
from tests.intake.queued_emails import deliver_queued_emails

ADD = "/admin/intake/timeoff/add/"


@pytest.fixture
def desk(client, group_member):
    client.force_login(group_member("Front desk"))
    return client


@pytest.fixture
def day(db):
    """Dana's working Monday a week or two ahead with two booked visits, and the type."""
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(8), time(17))])
    visit = make_type(name="Initial evaluation", slug="evaluation", minimum_notice_hours=24)
    today = timezone.localdate()
    monday = today + timedelta(days=14 - today.weekday())
    at = lambda hour: local(monday.year, monday.month, monday.day, hour)  # noqa: E731
    first = make_appointment(clinician=dana, appointment_type=visit, start=at(9))
    second = make_appointment(clinician=dana, appointment_type=visit, start=at(14))
    return dana, at, first, second


def time_off_data(dana, start, end, **extra) -> dict:
    start, end = start.astimezone(CHICAGO), end.astimezone(CHICAGO)
    return {
        "clinician": dana.pk,
        "start_0": f"{start:%Y-%m-%d}",
        "start_1": f"{start:%H:%M}",
        "end_0": f"{end:%Y-%m-%d}",
        "end_1": f"{end:%H:%M}",
        "reason": "Conference",
        **extra,
    }


def test_time_off_over_two_appointments_shows_them_and_saves_nothing_yet(desk, day):
    dana, at, first, second = day

    response = desk.post(ADD, time_off_data(dana, at(8), at(17)))

    body = response.content.decode()
    assert response.status_code == 200
    assert "This time off leaves 2 booked appointments inside it" in body
    assert first.patient_name in body and second.patient_name in body
    assert "(608) 218-4215" in body
    assert not TimeOff.objects.exists()
    assert deliver_queued_emails() == []


def test_cancel_all_saves_the_time_off_and_emails_each_patient_once_with_other_times(desk, day):
    dana, at, first, second = day

    response = desk.post(ADD, time_off_data(dana, at(8), at(17), for_all="cancel"))

    assert response.status_code == 302
    assert TimeOff.objects.get().reason == "Conference"
    assert set(Appointment.objects.values_list("status", flat=True)) == {
        AppointmentStatus.CANCELLED
    }
    emails = deliver_queued_emails()
    assert sorted(m.to[0] for m in emails) == sorted([first.patient_email, second.patient_email])
    for email in emails:
        assert "we had to cancel" in email.body
        assert "The nearest free times we have:" in email.body
        assert "(608) 218-4215" in email.body
        assert "Conference" not in email.body  # the reason is for staff
        # The offered times avoid the time off: none is on that Monday.
        offered = email.body.split("The nearest free times we have:")[1].split("Book one")[0]
        assert f"{at(9):%B} {at(9).day}, {at(9).year}" not in offered


def test_choosing_per_appointment_cancels_one_and_keeps_the_other(desk, day):
    dana, at, first, second = day

    response = desk.post(
        ADD,
        time_off_data(
            dana,
            at(8),
            at(17),
            **{f"appointment_{first.pk}": "cancel", f"appointment_{second.pk}": "keep"},
        ),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == AppointmentStatus.CANCELLED
    assert second.status == AppointmentStatus.BOOKED
    assert [m.to for m in deliver_queued_emails()] == [[first.patient_email]]


def test_a_choice_for_only_one_of_two_saves_nothing(desk, day):
    dana, at, first, _ = day

    response = desk.post(
        ADD, time_off_data(dana, at(8), at(17), **{f"appointment_{first.pk}": "cancel"})
    )

    assert response.status_code == 200
    assert not TimeOff.objects.exists()
    first.refresh_from_db()
    assert first.status == AppointmentStatus.BOOKED


def test_time_off_clear_of_appointments_saves_at_once(desk, day):
    dana, at, _, _ = day

    response = desk.post(ADD, time_off_data(dana, at(11), at(13)))

    assert response.status_code == 302
    assert TimeOff.objects.count() == 1


def test_day_view_shows_time_off_as_a_block_among_the_appointments(desk, day):
    dana, at, first, _ = day
    TimeOff.objects.create(clinician=dana, start=at(11), end=at(13), reason="Conference")

    page = desk.get("/admin/intake/appointment/day/", {"date": f"{at(9):%Y-%m-%d}"})

    body = page.content.decode()
    block = body.index("Time off: Dana Lee, 11:00 AM to 1:00 PM")
    assert "Conference" in body[block : body.index("</td>", block)]
    # Down the day's column: the 9:00 visit, the time off, the 2:00 visit.
    assert body.index(f"{first.patient_name}</strong>") < block
    assert block < body.rindex("2:00 PM</span>")


def clinician_page_data(dana, hours: list[tuple[int, str, str]], **extra) -> dict:
    """The clinician change page as posted, with `hours` as (weekday, start, end) rows."""
    rows = list(dana.availability.order_by("weekday", "start"))
    data = {
        "name": dana.name,
        "credentials": dana.credentials,
        "bio": "",
        "position": dana.position,
        "bookable": "on",
        "availability-TOTAL_FORMS": len(rows),
        "availability-INITIAL_FORMS": len(rows),
        "time_off-TOTAL_FORMS": 0,
        "time_off-INITIAL_FORMS": 0,
        **extra,
    }
    for index, row in enumerate(rows):
        weekday, start, end = next(
            (h for h in hours if h[0] == row.weekday), (row.weekday, "08:00", "17:00")
        )
        data |= {
            f"availability-{index}-id": row.pk,
            f"availability-{index}-clinician": dana.pk,
            f"availability-{index}-weekday": weekday,
            f"availability-{index}-start": start,
            f"availability-{index}-end": end,
        }
    return data


def test_shorter_hours_that_strand_a_booking_ask_first_then_keep_it(client, superuser, day):
    dana, at, first, second = day
    client.force_login(superuser)
    url = f"/admin/intake/clinician/{dana.pk}/change/"
    mornings_only = [(0, "08:00", "12:00")]  # Monday afternoons off: strands the 2:00 PM

    asked = client.post(url, clinician_page_data(dana, mornings_only))

    body = asked.content.decode()
    assert asked.status_code == 200
    assert "These hours leave 1 booked appointment outside them" in body
    assert second.patient_name in body and first.patient_name not in body
    assert dana.availability.get(weekday=0).end == time(17)
    kept = client.post(url, clinician_page_data(dana, mornings_only, for_all="keep"))
    assert kept.status_code == 302
    assert dana.availability.get(weekday=0).end == time(12)
    second.refresh_from_db()
    assert second.status == AppointmentStatus.BOOKED
    assert deliver_queued_emails() == []
