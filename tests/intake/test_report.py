"""The weekly figures: hand-counted against a fixture of two weeks, the first of them the
week daylight-saving time ends (Sunday November 1, 2026), on SQLite and on PostgreSQL
(DATABASE_URL) alike, since the database does the counting.

The fixture, Dana (weekdays 9-12, Sundays 0-4) and Eli (weekdays 13-17), 60-minute visits:

week of Mon Oct 26           Dana                                   Eli
  Mon 9:00                   completed
  Tue 9:00                   no-show
  Wed 9:00                   cancelled Tue 15:00 (18 h before: late)
  Thu 9:00                   cancelled Mon 9:00 (72 h before: early)
  Fri 13:00                                                         completed
  Sun Nov 1 19:00 CST        booked, not marked (01:00 UTC Monday)
  bookable                   5 x 180 + Sunday 0-4 = 300 (the hour
                             repeats) = 1200 min
week of Mon Nov 2
  Mon 9:00                   completed
  Mon 10:00 (30 min)         completed
  Tue 14:00                                                         no-show
  Wed 14:00                                                         cancelled exactly 24 h
                                                                    before: early
  bookable                   900 - Wed 9-12 off (two overlapping    1200 min
                             rows) + Sunday 240 = 960 min
outside: Sun Oct 25 23:30 CDT (Monday in UTC) and Mon Nov 9.
"""

import csv
import io
import re
from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import example, given

from clinic.groups import CLINICIAN, FRONT_DESK, OWNER
from intake.clinic_details import first_working_weekday, forget_clinic_details, from_settings
from intake.forms.report import ReportRangeForm
from intake.models import (
    AppointmentStatus,
    CancelledBy,
    Clinician,
    Lead,
    LeadSource,
    LeadStatus,
    TimeOff,
    WeeklyAvailability,
)
from intake.report import (
    CSV_HEADER,
    MAX_WEEKS,
    Figures,
    default_range,
    weekly_report,
    whole_weeks,
)
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.test_public_input import MARK, fields

pytestmark = pytest.mark.django_db

FIRST_WEEK = date(2026, 10, 26)
LAST_DAY = date(2026, 11, 8)
# A Wednesday after the fixture's weeks.
NOW = local(2026, 11, 11, 12)


@pytest.fixture
def clinic(time_machine):
    time_machine.move_to(NOW, tick=False)
    Clinician.objects.all().delete()  # the placeholder clinician a fresh install has
    dana = make_clinician("Dana Lee", weekdays=range(5), position=0)
    WeeklyAvailability.objects.create(clinician=dana, weekday=6, start=time(0), end=time(4))
    eli = make_clinician("Eli Moss", hours=[(time(13), time(17))], weekdays=range(5), position=1)
    hour = make_type(duration_minutes=60)
    half_hour = make_type(duration_minutes=30)

    def visit(clinician, start, status=AppointmentStatus.BOOKED, kind=hour, **fields):
        return make_appointment(
            clinician=clinician, appointment_type=kind, start=start, status=status, **fields
        )

    def cancelled(clinician, start, hours_before):
        return visit(
            clinician,
            start,
            AppointmentStatus.CANCELLED,
            cancelled_at=start - timedelta(hours=hours_before),
            cancelled_by=CancelledBy.STAFF,
        )

    visit(dana, local(2026, 10, 26, 9), AppointmentStatus.COMPLETED)
    visit(dana, local(2026, 10, 27, 9), AppointmentStatus.NO_SHOW)
    cancelled(dana, local(2026, 10, 28, 9), hours_before=18)
    cancelled(dana, local(2026, 10, 29, 9), hours_before=72)
    visit(eli, local(2026, 10, 30, 13), AppointmentStatus.COMPLETED)
    visit(dana, local(2026, 11, 1, 19))
    visit(dana, local(2026, 11, 2, 9), AppointmentStatus.COMPLETED)
    visit(dana, local(2026, 11, 2, 10), AppointmentStatus.COMPLETED, kind=half_hour)
    visit(eli, local(2026, 11, 3, 14), AppointmentStatus.NO_SHOW)
    cancelled(eli, local(2026, 11, 4, 14), hours_before=24)
    visit(dana, local(2026, 10, 25, 23, 30), AppointmentStatus.COMPLETED)
    visit(dana, local(2026, 11, 9, 9), AppointmentStatus.COMPLETED)
    TimeOff.objects.create(clinician=dana, start=local(2026, 11, 4, 9), end=local(2026, 11, 4, 11))
    TimeOff.objects.create(clinician=dana, start=local(2026, 11, 4, 10), end=local(2026, 11, 4, 12))
    return dana, eli


def by_name(rows) -> dict[str, Figures]:
    return {row.clinician: row.figures for row in rows}


def test_figures_match_the_hand_count_across_the_week_the_clocks_go_back(clinic):
    report = weekly_report(first_day=FIRST_WEEK, last_day=LAST_DAY)

    first, second = report.weeks
    assert (first.start, second.start, second.end) == (FIRST_WEEK, date(2026, 11, 2), LAST_DAY)
    assert by_name(first.clinicians) == {
        "Dana Lee, DPT": Figures(
            booked=3,
            completed=1,
            no_shows=1,
            late_cancellations=1,
            early_cancellations=1,
            booked_minutes=180,
            bookable_minutes=1200,
        ),
        "Eli Moss, DPT": Figures(booked=1, completed=1, booked_minutes=60, bookable_minutes=1200),
    }
    assert by_name(second.clinicians) == {
        "Dana Lee, DPT": Figures(booked=2, completed=2, booked_minutes=90, bookable_minutes=960),
        "Eli Moss, DPT": Figures(
            booked=1, no_shows=1, early_cancellations=1, booked_minutes=60, bookable_minutes=1200
        ),
    }
    assert report.total == Figures(
        booked=7,
        completed=4,
        no_shows=2,
        late_cancellations=1,
        early_cancellations=2,
        booked_minutes=390,
        bookable_minutes=4560,
    )
    assert (report.total.no_show_rate, report.total.fullness) == (33.3, 9)
    assert report.no_show_comparison == "higher than"
    assert by_name(report.clinicians)["Dana Lee, DPT"].fullness == 12  # 270 of 2160 minutes


def test_a_clinic_closure_takes_its_day_out_of_everyones_bookable_hours(clinic):
    from intake.models import ClinicClosure

    # Thursday Nov 5: Dana's 9-12 and Eli's 13-17 are nobody's bookable time.
    ClinicClosure.objects.create(
        start_date=date(2026, 11, 5), end_date=date(2026, 11, 5), reason="Staff training"
    )

    report = weekly_report(first_day=FIRST_WEEK, last_day=LAST_DAY)

    second = by_name(report.weeks[1].clinicians)
    assert second["Dana Lee, DPT"].bookable_minutes == 960 - 180
    assert second["Eli Moss, DPT"].bookable_minutes == 1200 - 240


def test_a_week_without_visits_or_hours_has_no_rates_rather_than_zero_percent():
    assert Figures().no_show_rate is None
    assert Figures().fullness is None
    assert Figures(completed=19, no_shows=2).no_show_rate == 9.5


def test_default_range_is_the_last_eight_whole_weeks_from_the_clinics_first_working_day():
    wednesday = date(2026, 11, 11)
    assert default_range(wednesday, 0) == (date(2026, 9, 14), date(2026, 11, 8))
    # A clinic opening on Tuesdays: the week under way began Tuesday Nov 10.
    assert default_range(wednesday, 1) == (date(2026, 9, 15), date(2026, 11, 9))
    # On the first working day itself, the week that starts today is not over yet.
    assert default_range(date(2026, 11, 9), 0)[1] == date(2026, 11, 8)
    assert whole_weeks(date(2026, 10, 28), date(2026, 11, 3), 0) == (FIRST_WEEK, LAST_DAY)


def test_the_week_starts_on_the_first_day_the_clinic_opens():
    assert first_working_weekday() in range(7)
    forget_clinic_details(
        from_settings(hours=((1, "Tuesday", "08:00", "17:00"), (5, "Saturday", "08:00", "12:00")))
    )
    assert first_working_weekday() == 1
    forget_clinic_details(from_settings(hours=()))
    assert first_working_weekday() == 0


def test_lead_conversion_counts_only_leads_that_came_in_during_the_weeks(clinic):
    def lead(day, status, source=LeadSource.CONTACT_FORM):
        made = Lead.objects.create(
            name="Someone", email="someone@example.com", status=status, source=source
        )
        Lead.objects.filter(pk=made.pk).update(created_at=day)

    lead(local(2026, 10, 27, 10), LeadStatus.BECAME_PATIENT)
    lead(local(2026, 11, 3, 10), LeadStatus.NEW)
    lead(local(2026, 11, 3, 11), LeadStatus.BECAME_PATIENT, LeadSource.SELF_CHECK)
    lead(local(2026, 11, 10, 10), LeadStatus.BECAME_PATIENT)  # after the range

    report = weekly_report(first_day=FIRST_WEEK, last_day=LAST_DAY)

    rates = {row.source: (row.converted, row.total) for row in report.conversion}
    assert rates == {
        "Contact form": (1, 2),
        "Self-check": (1, 1),
        "Booking": (0, 0),
        "Waitlist": (0, 0),
    }
    assert (report.leads, report.leads_converted, report.conversion_rate) == (3, 2, 67)


def test_the_report_takes_the_same_queries_for_two_weeks_as_for_a_year(clinic):
    counts = []
    for weeks in (2, 52):
        with CaptureQueriesContext(connection) as queries:
            weekly_report(
                first_day=LAST_DAY - timedelta(weeks=weeks) + timedelta(days=1), last_day=LAST_DAY
            )
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


def staff(group_member, *groups):
    user = group_member(groups[0])
    for name in groups[1:]:
        user.groups.add(Group.objects.get(name=name))
    return user


def test_the_page_shows_the_figures_with_the_national_no_show_average(client, group_member, clinic):
    client.force_login(staff(group_member, OWNER))
    response = client.get(
        reverse("admin:report"), {"first_day": "2026-10-28", "last_day": "2026-11-03"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Monday, October 26, 2026" in page and "Sunday, November 8, 2026" in page
    assert "33.3% of the visits marked completed or no-show were no-shows (2 of 6)" in page
    assert "higher than the 10.4% average" in page
    assert "digitalscholarship.unlv.edu" in page
    assert not re.search(r"Patient \d|example\.com", page)  # counts, never who


def test_the_page_defaults_to_the_last_eight_whole_weeks(client, group_member, clinic):
    client.force_login(staff(group_member, CLINICIAN))
    response = client.get(reverse("admin:report"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Monday, September 14, 2026" in page and "Sunday, November 8, 2026" in page
    assert "8 whole weeks" in page


def test_a_bad_range_says_what_is_wrong_on_the_field_and_keeps_it(client, group_member, clinic):
    client.force_login(staff(group_member, OWNER))
    response = client.get(
        reverse("admin:report"), {"first_day": "2026-11-03", "last_day": "2026-10-01"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["last_day"] == ["Choose a date on or after the From date."]
    assert 'value="2026-11-03"' in response.content.decode()
    assert response.context["report"] is None
    too_long = client.get(
        reverse("admin:report_csv"), {"first_day": "2020-01-01", "last_day": "2026-01-01"}
    )
    assert too_long["Content-Type"].startswith("text/html")
    assert too_long.context["form"].errors["first_day"][0].startswith("Choose at most 156 weeks")
    nonsense = client.get(reverse("admin:report"), {"first_day": "٢٠٢٦-01-01", "last_day": "x"})
    assert nonsense.status_code == 200 and set(nonsense.context["form"].errors) == {
        "first_day",
        "last_day",
    }


def test_the_page_takes_the_same_queries_for_two_weeks_as_for_a_year(client, group_member, clinic):
    client.force_login(staff(group_member, CLINICIAN))
    counts = []
    for first_day in ("2026-10-26", "2025-11-10"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("admin:report"), {"first_day": first_day, "last_day": "2026-11-08"}
            )
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(response.context["report"].weeks) == 52
    assert counts[0] == counts[1]


def test_csv_holds_the_week_by_week_table_quoted_and_without_patients(client, group_member, clinic):
    dana, _ = clinic
    dana.name, dana.credentials = '=HYPERLINK("x"), "Dee"', ""
    dana.save()
    client.force_login(staff(group_member, OWNER))
    response = client.get(
        reverse("admin:report_csv"), {"first_day": "2026-10-26", "last_day": "2026-11-08"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="figures-2026-10-26-to-2026-11-08.csv"' in response["Content-Disposition"]
    text = response.content.decode()
    assert not re.search(r"Patient \d|example\.com", text)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CSV_HEADER)
    assert rows[1:4] == [
        [
            "2026-10-26",
            '\'=HYPERLINK("x"), "Dee"',
            "3",
            "1",
            "1",
            "50.0",
            "1",
            "1",
            "3.0",
            "20.0",
            "15",
        ],
        ["2026-10-26", "Eli Moss, DPT", "1", "1", "0", "0.0", "0", "0", "1.0", "20.0", "5"],
        ["2026-10-26", "All clinicians", "4", "2", "1", "33.3", "1", "1", "4.0", "40.0", "10"],
    ]
    assert rows[-1][:2] == ["2026-11-02", "All clinicians"]
    assert len(rows) == 1 + 2 * 3


def test_a_week_nobody_could_be_booked_gives_empty_rate_cells(client, group_member):
    Clinician.objects.all().delete()
    client.force_login(staff(group_member, OWNER))
    response = client.get(
        reverse("admin:report_csv"), {"first_day": "2026-10-26", "last_day": "2026-11-01"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == [
        "2026-10-26",
        "All clinicians",
        "0",
        "0",
        "0",
        "",
        "0",
        "0",
        "0.0",
        "0.0",
        "",
    ]


@pytest.mark.parametrize("name", ["report", "report_csv"])
def test_only_staff_with_the_figures_permission_see_them(client, group_member, name):
    client.force_login(group_member(FRONT_DESK))
    response = client.get(reverse(f"admin:{name}"))
    assert response.status_code == 403
    assert "Your staff group does not include this page" in response.content.decode()


def test_clinicians_and_the_owner_group_hold_the_figures_permission(group_member):
    assert group_member(CLINICIAN).has_perm("intake.view_report")
    assert group_member(OWNER).has_perm("intake.view_report")
    assert not group_member(FRONT_DESK).has_perm("intake.view_report")


@given(fields(("first_day", "last_day")))
@example({"first_day": "2000-01-01", "last_day": "2999-12-31"})
@example({"first_day": "2999-12-25", "last_day": "2999-12-31"})
def test_the_range_form_takes_any_input_without_raising(data: dict):
    """Whatever is in the address, the form answers with a range the report can count
    (whole weeks, at most MAX_WEEKS) or with messages on the fields."""
    form = ReportRangeForm(data)
    if form.is_valid():
        first_day, last_day = whole_weeks(
            form.cleaned_data["first_day"], form.cleaned_data["last_day"], 0
        )
        assert (last_day - first_day).days + 1 <= 7 * (MAX_WEEKS + 1)
    else:
        assert form.errors
    assert MARK not in str(form)


def test_the_page_answers_nonsense_in_the_address_with_messages(client, group_member):
    client.force_login(staff(group_member, OWNER))
    for query in (
        {"first_day": MARK, "last_day": "2999-12-31"},
        {"first_day": "2999-12-25", "last_day": "2999-12-31"},
        {"first_day": "0001-01-01"},
        {"last_day": "9999-12-31"},
    ):
        for name in ("report", "report_csv"):
            response = client.get(reverse(f"admin:{name}"), query)
            assert response.status_code == 200
            assert MARK not in response.content.decode()
