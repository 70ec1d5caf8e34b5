"""The calendar: a day (a column per clinician) and a week (a column per day, one
clinician or all) with time down the side. Visits say who, what and their status; time
off and the hours nobody takes bookings show; a free time links to the booking form at
that time; the week starts on the clinic's first working day. The clock is fixed at
Tuesday 8 December 2026, 8:00 in Madison."""

import re
from datetime import date, time, timedelta
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.calendar import week_start, working_weekdays
from intake.clinic_details import forget_clinic_details, from_settings
from intake.models import Appointment, AppointmentStatus, Clinician, TimeOff
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type

DAY = "/admin/intake/appointment/day/"
WEEK = "/admin/intake/appointment/week/"
MONDAY_TO_FRIDAY = range(5)


@pytest.fixture
def clinic(db, time_machine):
    time_machine.move_to(local(2026, 12, 8, 8), tick=False)
    Clinician.objects.all().delete()
    dana = make_clinician("Dana Lee", hours=[(time(9), time(12))], weekdays=MONDAY_TO_FRIDAY)
    sam = make_clinician(
        "Sam Ortiz", hours=[(time(13), time(17))], weekdays=MONDAY_TO_FRIDAY, position=1
    )
    visit = make_type(name="Evaluation", duration_minutes=60)
    return dana, sam, visit


@pytest.fixture
def desk(client, group_member, clinic):
    client.force_login(group_member("Front desk"))
    return client


def move_to(desk, time_machine, moment) -> None:
    """Move the clock and sign in again (a session idle for half an hour ends)."""
    time_machine.move_to(moment, tick=False)
    desk.force_login(_user(desk))


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def cell_of(page: str, text: str) -> str:
    """The <td> holding `text`."""
    at = page.index(text)
    start = page.rindex("<td", 0, at)
    return page[start : page.index("</td>", at)]


def book_links(page: str) -> dict[str, str]:
    """Each booking link's accessible name and its address."""
    pairs = re.findall(
        r'<a class="book" href="([^"]+)"><span class="visually-hidden">([^<]+)</span>', page
    )
    return {unescape(name): unescape(href) for href, name in pairs}


def test_day_shows_each_visit_with_patient_type_and_status_in_its_clinicians_column(desk, clinic):
    dana, sam, visit = clinic
    jane = make_appointment(
        clinician=dana, appointment_type=visit, start=local(2026, 12, 8, 9), patient_name="Jane Doe"
    )
    make_appointment(
        clinician=sam,
        appointment_type=visit,
        start=local(2026, 12, 8, 14),
        patient_name="Carl Cancel",
        status=AppointmentStatus.CANCELLED,
    )
    make_appointment(
        clinician=sam,
        appointment_type=visit,
        start=local(2026, 12, 8, 15),
        patient_name="Nina Noshow",
        status=AppointmentStatus.NO_SHOW,
    )

    page = desk.get(DAY, {"date": "2026-12-08"}).content.decode()

    headers = re.findall(r'<th scope="col">.*?</th>', page.split('class="calendar-grid', 1)[1])
    assert ["Dana Lee" in headers[0], "Sam Ortiz" in headers[1]] == [True, True]
    jane_cell = cell_of(page, "Jane Doe</strong>")
    assert 'rowspan="2"' in jane_cell  # an hour is two half-hour rows
    assert f'href="/admin/intake/appointment/{jane.pk}/change/"' in jane_cell
    assert 'aria-label="Visit: Jane Doe, 9:00 AM, Evaluation, Booked"' in jane_cell
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", jane_cell))
    assert "Jane Doe 9:00 AM Evaluation Booked" in text
    assert "status-booked" in jane_cell
    assert "Cancelled" in cell_of(page, "Carl Cancel") and "status-cancelled" in page
    assert "No-show" in cell_of(page, "Nina Noshow")
    # The row a visit starts in is the 9:00 row, in Dana's column (the first).
    row = page[page.rindex("<tr", 0, page.index("Jane Doe")) : page.index("Jane Doe")]
    assert ">9:00 AM</th>" in row


def test_a_cancelled_visits_time_can_be_booked_again(desk, clinic):
    _, sam, visit = clinic
    make_appointment(
        clinician=sam,
        appointment_type=visit,
        start=local(2026, 12, 8, 14),
        patient_name="Carl Cancel",
        status=AppointmentStatus.CANCELLED,
    )

    page = desk.get(DAY, {"date": "2026-12-08"}).content.decode()

    assert 'class="book"' in cell_of(page, "Carl Cancel")
    assert "Book Sam Ortiz Tue Dec 8 2:00 PM (the visit there was cancelled)" in book_links(page)


def test_time_off_shows_as_a_block_and_hours_outside_bookable_ones_are_shaded(desk, clinic):
    dana, _, _ = clinic
    TimeOff.objects.create(
        clinician=dana, start=local(2026, 12, 8, 10), end=local(2026, 12, 8, 11), reason="Dentist"
    )

    page = desk.get(DAY, {"date": "2026-12-08"}).content.decode()

    off = cell_of(page, "Time off: Dana Lee, 10:00 AM to 11:00 AM")
    assert "Dentist" in off and 'rowspan="2"' in off
    links = book_links(page)
    assert "Book Dana Lee Tue Dec 8 9:00 AM" in links
    assert "Book Dana Lee Tue Dec 8 10:00 AM" not in links  # time off
    assert "Book Dana Lee Tue Dec 8 1:00 PM" not in links  # Sam's hours, not Dana's
    assert "Book Sam Ortiz Tue Dec 8 1:00 PM" in links
    assert 'class="off-hours"' in page
    # From Dana's first hour to Sam's last, half an hour a row.
    assert re.findall(r'<th scope="row">([^<]+)</th>', page)[::4] == [
        "9:00 AM",
        "11:00 AM",
        "1:00 PM",
        "3:00 PM",
    ]


def test_free_cells_link_to_the_booking_form_at_that_time_in_clinic_time(desk, clinic):
    dana, sam, _ = clinic

    page = desk.get(DAY, {"date": "2026-12-09"}).content.decode()

    links = book_links(page)
    assert links["Book Dana Lee Wed Dec 9 9:30 AM"] == (
        f"/admin/intake/appointment/add/?clinician={dana.pk}&start=2026-12-09T09:30"
    )
    assert links["Book Sam Ortiz Wed Dec 9 4:30 PM"] == (
        f"/admin/intake/appointment/add/?clinician={sam.pk}&start=2026-12-09T16:30"
    )
    assert len(links) == 6 + 8  # 9-12 and 1-5, every half hour


def test_times_already_past_are_not_offered(desk, clinic, time_machine):
    move_to(desk, time_machine, local(2026, 12, 8, 10, 15))

    links = book_links(desk.get(DAY, {"date": "2026-12-08"}).content.decode())

    assert "Book Dana Lee Tue Dec 8 10:00 AM" not in links
    assert "Book Dana Lee Tue Dec 8 10:30 AM" in links


def test_the_week_of_one_clinician_has_a_column_per_working_day(desk, clinic):
    dana, sam, visit = clinic
    make_appointment(
        clinician=dana, appointment_type=visit, start=local(2026, 12, 10, 9), patient_name="Theo"
    )
    make_appointment(
        clinician=sam, appointment_type=visit, start=local(2026, 12, 10, 14), patient_name="Olive"
    )

    page = desk.get(WEEK, {"clinician": dana.pk, "date": "2026-12-10"}).content.decode()

    days = re.findall(r"Day view, </span>([^<]+)</a></th>", page)
    assert days == ["Mon Dec 7", "Tue Dec 8", "Wed Dec 9", "Thu Dec 10", "Fri Dec 11"]
    assert "Calendar: Dana Lee, week of December 7, 2026" in page
    assert "Theo" in page and "Olive" not in page
    assert "Book Dana Lee Fri Dec 11 11:30 AM" in book_links(page)


def test_the_week_of_everyone_has_a_column_per_day_and_clinician(desk, clinic):
    page = desk.get(WEEK, {"date": "2026-12-10"}).content.decode()

    assert page.count('<th scope="colgroup" colspan="2">') == 5
    assert page.count("Dana Lee</th>") == 5
    assert "Calendar: everyone, week of December 7, 2026" in page


def test_a_visit_on_a_day_off_still_shows_in_the_week(desk, clinic):
    dana, _, visit = clinic
    make_appointment(
        clinician=dana, appointment_type=visit, start=local(2026, 12, 12, 9), patient_name="Sal"
    )

    page = desk.get(WEEK, {"clinician": dana.pk}).content.decode()

    assert "Sat Dec 12" in page and "Sal" in page
    assert "Sun Dec 13" not in page


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 12, 6), date(2026, 12, 7)),  # Sunday: the coming week
        (date(2026, 12, 7), date(2026, 12, 7)),
        (date(2026, 12, 11), date(2026, 12, 7)),
        (date(2026, 12, 12), date(2026, 12, 14)),  # Saturday, nobody works: the coming week
    ],
)
def test_the_week_starts_on_the_first_working_day_and_a_day_off_after_it_opens_the_next(
    today, first
):
    assert week_start(today, frozenset(MONDAY_TO_FRIDAY)) == first


def test_a_clinic_working_tuesday_to_saturday_starts_its_week_on_tuesday():
    working = frozenset(range(1, 6))

    assert week_start(date(2026, 12, 12), working) == date(2026, 12, 8)  # Saturday
    assert week_start(date(2026, 12, 14), working) == date(2026, 12, 15)  # Monday: coming


def test_working_days_come_from_the_clinics_opening_hours_and_the_clinicians_hours(clinic):
    dana, _, _ = clinic
    forget_clinic_details(from_settings(hours=((6, "Sunday", "10:00", "14:00"),)))

    assert working_weekdays(list(dana.availability.all())) == frozenset({0, 1, 2, 3, 4, 6})


def test_this_week_on_a_sunday_is_the_coming_week(desk, clinic, time_machine):
    move_to(desk, time_machine, local(2026, 12, 6, 20))

    page = desk.get(WEEK).content.decode()

    assert "week of December 7, 2026" in page
    assert "Mon Dec 7" in page and "Sun Dec 6" not in page


def test_prev_next_and_today_links_keep_the_clinician(desk, clinic):
    dana, _, _ = clinic

    page = unescape(desk.get(WEEK, {"clinician": dana.pk, "date": "2026-12-09"}).content.decode())

    assert f'href="?clinician={dana.pk}&date=2026-11-30"' in page
    assert f'href="?clinician={dana.pk}&date=2026-12-14"' in page
    assert f'href="?clinician={dana.pk}">This week' in page
    day = unescape(desk.get(DAY, {"date": "2026-12-09"}).content.decode())
    assert 'href="?date=2026-12-08"' in day and 'href="?date=2026-12-10"' in day
    assert 'href="?">Today' in day


def test_odd_dates_and_clinicians_show_this_week_for_everyone(desk, clinic):
    for query in ({"date": "9999-12-31"}, {"date": "junk", "clinician": "x"}, {"clinician": "999"}):
        response = desk.get(WEEK, query)
        assert response.status_code == 200
        assert "Calendar: everyone, week of December 7, 2026" in response.content.decode()


def test_the_old_week_address_opens_the_calendars_week(desk, clinic):
    dana, _, _ = clinic

    response = desk.get(f"/admin/today/clinician/{dana.pk}/week/", {"date": "2026-12-09"})

    assert response.status_code == 302
    assert response["Location"] == f"{WEEK}?clinician={dana.pk}&date=2026-12-09"


def test_the_calendar_needs_permission_to_view_appointments(client, staff_user, clinic):
    client.force_login(staff_user)

    assert client.get(DAY).status_code == 403
    assert client.get(WEEK).status_code == 403


def test_today_and_the_appointment_list_link_to_the_calendar(desk, clinic):
    today = desk.get("/admin/").content.decode()
    book = desk.get("/admin/intake/appointment/").content.decode()

    assert f'href="{DAY}"' in today and f'href="{WEEK}"' in today
    assert f'href="{DAY}"' in book and f'href="{WEEK}"' in book


def staff_and_visits(count: int, visit) -> None:
    """`count` bookable clinicians, each with two visits a day and an afternoon off."""
    Appointment.objects.all().delete()
    Clinician.objects.all().delete()
    for n in range(count):
        who = make_clinician(f"Clinician {n}", hours=[(time(8), time(17))], position=n)
        for day in range(7, 12):
            make_appointment(clinician=who, appointment_type=visit, start=local(2026, 12, day, 9))
            make_appointment(
                clinician=who,
                appointment_type=visit,
                start=local(2026, 12, day, 10),
                status=AppointmentStatus.COMPLETED,
            )
        TimeOff.objects.create(
            clinician=who, start=local(2026, 12, 9, 13), end=local(2026, 12, 9, 17)
        )


def queries(client, url: str, query: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "query"),
    [(DAY, {"date": "2026-12-09"}), (WEEK, {"date": "2026-12-09"}), (WEEK, {"clinician": "1"})],
)
def test_the_calendar_costs_the_same_queries_for_1_or_8_clinicians(desk, clinic, url, query):
    visit = clinic[2]
    staff_and_visits(1, visit)
    query = {**query, "clinician": Clinician.objects.get().pk} if "clinician" in query else query
    desk.get(url, query)  # warms per-process caches (content types, clinic details)
    one = queries(desk, url, query)
    staff_and_visits(8, visit)
    query = {**query, "clinician": Clinician.objects.first().pk} if "clinician" in query else query

    eight = queries(desk, url, query)

    assert one == eight
    assert eight <= 12  # day 11, week of one clinician 11, week of everyone 12 (closures: 1)
    page = desk.get(url, query).content.decode()
    assert page.count("Visit: ") >= (8 if url == DAY else 5) * 2


def test_the_print_stylesheet_hides_the_admin_around_the_grid(desk, clinic):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/admin-calendar.css")).read_text()
    page = desk.get(DAY).content.decode()

    assert "css/admin-calendar" in page
    printed = css[css.index("@media print") :]
    for part in ("#header", ".breadcrumbs", "#nav-sidebar", ".calendar-nav"):
        assert part in printed
    assert (
        "style=" not in page.split('<div id="content-main"', 1)[1]
    )  # the CSP allows no inline styles


def test_a_week_around_a_daylight_saving_change_keeps_its_rows(desk, clinic, time_machine):
    """8 March 2026: clocks go forward. The grid is the wall clock's, so 9:00 is 9:00."""
    dana, _, visit = clinic
    move_to(desk, time_machine, local(2026, 3, 1, 8))
    make_appointment(
        clinician=dana, appointment_type=visit, start=local(2026, 3, 9, 9), patient_name="Dee Esty"
    )

    page = desk.get(WEEK, {"clinician": dana.pk, "date": "2026-03-09"}).content.decode()

    row = page[page.rindex("<tr", 0, page.index("Dee Esty")) : page.index("Dee Esty")]
    assert ">9:00 AM</th>" in row
    assert timedelta(hours=1) == local(2026, 3, 9, 10) - local(2026, 3, 9, 9)


def test_a_clinic_closure_fills_every_column_of_its_day_with_its_reason_and_no_free_times(
    desk, clinic
):
    from intake.models import ClinicClosure

    ClinicClosure.objects.create(
        start_date=date(2026, 12, 24), end_date=date(2026, 12, 25), reason="Christmas"
    )

    page = desk.get(DAY, {"date": "2026-12-24"}).content.decode()
    assert page.count("Clinic closed Thu Dec 24") == 2  # Dana's column and Sam's
    assert "Christmas" in page
    assert not book_links(page)  # nothing to book on a closed day

    week = desk.get(WEEK, {"date": "2026-12-22"}).content.decode()
    assert "Clinic closed Thu Dec 24" in week and "Clinic closed Fri Dec 25" in week
    assert not any("Dec 24" in name or "Dec 25" in name for name in book_links(week))
    assert any("Dec 23" in name for name in book_links(week))  # the day before stays open
