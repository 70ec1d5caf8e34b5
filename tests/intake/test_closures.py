"""Clinic closures: a closed day is never offered or accepted online, staff book it only
with a named confirmation, booked visits on it get the cancel-or-keep choice (and the
patients the email), the site's hours say so, and federal holidays are suggested, never
imposed. Every test runs on a pinned clock: Monday December 14, 2026, 10:00 in Madison."""

import json
import re
from datetime import UTC, date, time, timedelta

import pytest
import time_machine

from intake.booking import (
    NeedsConfirmation,
    Patient,
    Slot,
    StaffChange,
    book_appointment,
    find_slots,
    resolve_slot,
    schedule_problems,
)
from intake.holidays import federal_holidays
from intake.models import (
    Appointment,
    AppointmentStatus,
    ClinicClosure,
    Clinician,
    FreedTime,
)
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails
from tests.intake.staff_booking_form import booking_data

NOW = local(2026, 12, 14, 10)  # a Monday
CHRISTMAS = date(2026, 12, 25)  # a Friday
CLOSURES = "/admin/intake/clinicclosure/"
ADD = f"{CLOSURES}add/"


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk(client, group_member):
    client.force_login(group_member("Front desk"))
    return client


@pytest.fixture
def dana(db):
    Clinician.objects.all().delete()
    return make_clinician("Dana Lee", hours=[(time(8), time(17))], weekdays=range(5))


@pytest.fixture
def visit(db):
    return make_type(name="Initial evaluation", slug="evaluation", booking_window_days=60)


def christmas_closed() -> ClinicClosure:
    return ClinicClosure.objects.create(
        start_date=CHRISTMAS, end_date=CHRISTMAS, reason="Christmas Day"
    )


def at(day: date, hour: int):
    return local(day.year, day.month, day.day, hour)


def days_offered(visit, first: date, last: date) -> set[date]:
    slots = find_slots(appointment_type=visit, start_date=first, end_date=last)
    return {slot.local_start.date() for slot in slots}


# Online booking


def test_a_closed_day_offers_no_times_online_and_the_days_around_it_do(dana, visit):
    christmas_closed()

    offered = days_offered(visit, date(2026, 12, 24), date(2026, 12, 28))

    assert offered == {date(2026, 12, 24), date(2026, 12, 28)}


def test_a_time_on_a_closed_day_is_refused_when_posted_online(client, dana, visit):
    value = f"{dana.pk}|{at(CHRISTMAS, 9).astimezone(UTC):%Y%m%dT%H%M}Z"
    assert resolve_slot(appointment_type=visit, value=value) is not None
    christmas_closed()

    assert resolve_slot(appointment_type=visit, value=value) is None
    response = client.post(
        "/book/evaluation/details/",
        {"slot": value, "name": "Pat", "email": "pat@example.com", "phone": "6085550123"},
    )
    assert response.status_code == 200
    assert "That time was just taken" in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_online_times_page_skips_the_closed_day(client, dana, visit):
    christmas_closed()

    page = client.get("/book/evaluation/", {"start": "2026-12-24"}).content.decode()

    assert "December 24" in page or "Dec 24" in page
    assert "December 25" not in page and "Dec 25" not in page


def test_a_range_closes_every_day_in_it_and_overlapping_finds_it_for_the_calendar(dana, visit):
    closure = ClinicClosure.objects.create(
        start_date=date(2026, 12, 28), end_date=date(2026, 12, 31), reason="Moving"
    )

    assert days_offered(visit, date(2026, 12, 28), date(2027, 1, 1)) == {date(2027, 1, 1)}
    assert list(
        ClinicClosure.objects.overlapping(at(date(2026, 12, 31), 16), NOW + timedelta(days=30))
    ) == [closure]
    # Midnight after the last day is already open.
    assert not ClinicClosure.objects.overlapping(at(date(2027, 1, 1), 0), at(date(2027, 1, 1), 9))
    assert not ClinicClosure.objects.overlapping(
        at(date(2026, 12, 27), 9), at(date(2026, 12, 28), 0)
    )
    assert str(closure) == "Mon Dec 28 to Thu Dec 31: Moving"


# Staff booking


def test_staff_booking_on_a_closed_day_asks_for_the_named_confirmation(dana, visit):
    christmas_closed()
    slot = Slot(
        start=at(CHRISTMAS, 9), end=at(CHRISTMAS, 10), clinician_id=dana.pk, clinician_name="Dana"
    )
    patient = Patient(name="Caller", email="caller@example.com", phone="+16085550142")

    with pytest.raises(NeedsConfirmation) as refused:
        book_appointment(slot=slot, appointment_type=visit, patient=patient, staff=StaffChange())

    assert refused.value.problems == ["The clinic is closed Fri Dec 25 (Christmas Day)"]
    booked = book_appointment(
        slot=slot,
        appointment_type=visit,
        patient=patient,
        staff=StaffChange(confirmed=frozenset(refused.value.problems)),
    )
    assert booked.status == AppointmentStatus.BOOKED


def test_the_admin_add_form_shows_the_closure_as_a_box_to_tick(desk, dana, visit):
    christmas_closed()

    first = desk.post("/admin/intake/appointment/add/", booking_data(dana, visit, at(CHRISTMAS, 9)))

    body = first.content.decode()
    assert first.status_code == 200
    assert "The clinic is closed Fri Dec 25 (Christmas Day)" in body
    assert not Appointment.objects.exists()
    confirmed = desk.post(
        "/admin/intake/appointment/add/",
        booking_data(
            dana,
            visit,
            at(CHRISTMAS, 9),
            confirmed="The clinic is closed Fri Dec 25 (Christmas Day)",
        ),
    )
    assert confirmed.status_code == 302
    assert Appointment.objects.get().local_start == at(CHRISTMAS, 9)


# Closing over booked visits


@pytest.fixture
def three_booked(dana, visit):
    """Three visits on Christmas Eve, two with Dana and one with Sam."""
    sam = make_clinician("Sam Ortiz", hours=[(time(8), time(17))], weekdays=range(5), position=1)
    eve = date(2026, 12, 24)
    return [
        make_appointment(clinician=dana, appointment_type=visit, start=at(eve, 9)),
        make_appointment(clinician=dana, appointment_type=visit, start=at(eve, 14)),
        make_appointment(clinician=sam, appointment_type=visit, start=at(eve, 11)),
    ]


def closure_data(**extra) -> dict:
    return {"start_date": "2026-12-24", "end_date": "", "reason": "Christmas Eve", **extra}


def test_a_closure_over_booked_visits_lists_every_clinicians_visits_and_saves_nothing_yet(
    desk, three_booked
):
    response = desk.post(ADD, closure_data())

    body = response.content.decode()
    assert response.status_code == 200
    assert "This closure leaves 3 booked appointments on those days" in body
    for appointment in three_booked:
        assert appointment.patient_name in body
        assert f'name="appointment_{appointment.pk}"' in body
    assert "Sam Ortiz" in body
    assert not ClinicClosure.objects.exists()


def test_cancelling_them_all_emails_each_patient_the_reason_and_free_times_and_frees_them(
    desk, three_booked
):
    response = desk.post(ADD, closure_data(for_all="cancel"))

    assert response.status_code == 302
    closure = ClinicClosure.objects.get()
    assert (closure.start_date, closure.end_date) == (date(2026, 12, 24), date(2026, 12, 24))
    assert {a.status for a in Appointment.objects.all()} == {AppointmentStatus.CANCELLED}
    emails = deliver_queued_emails()
    assert sorted(e.to[0] for e in emails) == sorted(a.patient_email for a in three_booked)
    for email in emails:
        assert "The clinic is closed Thu Dec 24: Christmas Eve." in email.body
        offered = re.findall(r"^- (.+)$", email.body, re.MULTILINE)
        assert offered and not any("December 24" in line for line in offered)
    # Each freed time goes to the waitlist as any cancellation's does.
    assert FreedTime.objects.count() == 3
    listing = desk.get(response["Location"]).content.decode()
    assert "3 appointment(s) cancelled and the patients emailed; 0 kept as exceptions." in listing


def test_kept_visits_stay_booked_and_their_patients_hear_nothing(desk, three_booked):
    first, second, third = three_booked
    response = desk.post(
        ADD,
        closure_data(
            **{
                f"appointment_{first.pk}": "keep",
                f"appointment_{second.pk}": "cancel",
                f"appointment_{third.pk}": "keep",
            }
        ),
    )

    assert response.status_code == 302
    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: AppointmentStatus.BOOKED,
        second.pk: AppointmentStatus.CANCELLED,
        third.pk: AppointmentStatus.BOOKED,
    }
    assert [e.to for e in deliver_queued_emails()] == [[second.patient_email]]


def test_the_form_keeps_input_and_names_the_wrong_field(desk):
    response = desk.post(ADD, closure_data(end_date="2026-12-20", reason="Snow"))

    body = response.content.decode()
    assert "The last day must be on or after the first." in body
    assert 'value="Snow"' in body
    too_long = desk.post(ADD, closure_data(end_date="2027-12-24"))
    assert "A closure can last at most 62 days" in too_long.content.decode()
    assert not ClinicClosure.objects.exists()


# Holidays


def test_federal_holidays_for_2027_with_weekend_holidays_observed_on_the_weekday():
    holidays = {h.day: h.reason for h in federal_holidays(2027)}

    assert holidays == {
        date(2027, 1, 1): "New Year's Day",
        date(2027, 1, 18): "Martin Luther King Jr. Day",
        date(2027, 2, 15): "Washington's Birthday",
        date(2027, 5, 31): "Memorial Day",
        date(2027, 6, 18): "Juneteenth (observed)",  # the 19th is a Saturday
        date(2027, 7, 5): "Independence Day (observed)",  # the 4th is a Sunday
        date(2027, 9, 6): "Labor Day",
        date(2027, 10, 11): "Columbus Day",
        date(2027, 11, 11): "Veterans Day",
        date(2027, 11, 25): "Thanksgiving Day",
        date(2027, 12, 24): "Christmas Day (observed)",  # the 25th is a Saturday
        # 1 January 2028 is a Saturday: observed on the Friday before, in 2027.
        date(2027, 12, 31): "New Year's Day (observed)",
    }
    assert date(2028, 1, 1) not in {h.day for h in federal_holidays(2028)}


def test_suggested_holidays_are_listed_and_one_click_adds_one(desk, db):
    page = desk.get(CLOSURES).content.decode()

    assert "Suggested: US federal holidays in the coming year" in page
    assert "Fri Dec 25, 2026: Christmas Day" in page
    assert "Thu Nov 25, 2027: Thanksgiving Day" in page
    assert not ClinicClosure.objects.exists()  # suggested, never imposed

    response = desk.post(f"{CLOSURES}suggested/", {"day": "2026-12-25"})

    assert response.status_code == 302
    closure = ClinicClosure.objects.get()
    assert (closure.start_date, closure.reason) == (CHRISTMAS, "Christmas Day")
    after = desk.get(CLOSURES).content.decode()
    assert (
        "Fri Dec 25, 2026: Christmas Day"
        not in after.split("suggestions-heading")[1].split("</section>")[0]
    )


def test_a_suggestion_over_booked_visits_opens_the_filled_in_form_to_choose(desk, dana, visit):
    make_appointment(clinician=dana, appointment_type=visit, start=at(date(2027, 1, 1), 9))

    response = desk.post(f"{CLOSURES}suggested/", {"day": "2027-01-01"})

    assert response.status_code == 302
    assert response["Location"].startswith(ADD)
    assert not ClinicClosure.objects.exists()
    form = desk.get(response["Location"]).content.decode()
    assert 'value="New Year&#x27;s Day"' in form
    assert 'value="2027-01-01"' in form


def test_a_posted_day_that_is_not_a_suggestion_adds_nothing(desk, db):
    for day in ("2026-12-23", "nonsense", "2026-02-30", ""):
        assert desk.post(f"{CLOSURES}suggested/", {"day": day}).status_code == 302
    assert not ClinicClosure.objects.exists()


# The site's hours


def test_the_site_hours_show_upcoming_closures_with_their_reason(client, db):
    christmas_closed()
    ClinicClosure.objects.create(
        start_date=date(2026, 12, 1), end_date=date(2026, 12, 2), reason="Already over"
    )
    ClinicClosure.objects.create(
        start_date=date(2026, 12, 31), end_date=date(2027, 1, 1), reason="New Year"
    )

    page = client.get("/contact/").content.decode()

    assert "Closed Fri Dec 25: Christmas Day" in page
    assert "Closed Thu Dec 31 to Fri Jan 1: New Year" in page
    assert "Already over" not in page
    # Search engines are told too (the home page's data): closed all day, first to last.
    home = client.get("/").content.decode()
    blocks = re.findall(r'application/ld\+json">(.+?)</script>', home)
    special = json.dumps([json.loads(block) for block in blocks])
    assert '"validFrom": "2026-12-31", "validThrough": "2027-01-01"' in special
    assert '"opens": "00:00", "closes": "00:00"' in special
    assert "2026-12-01" not in special


# One source of hours


@pytest.fixture
def clinic_open_monday_to_wednesday_mornings(db):
    from intake.clinic_details import the_record
    from intake.models import OpeningHours

    record = the_record()
    for weekday in (0, 1, 2):
        OpeningHours.objects.create(clinic=record, weekday=weekday, opens=time(9), closes=time(12))
    return record


def test_times_outside_the_clinics_opening_hours_are_never_offered_online(
    clinic_open_monday_to_wednesday_mornings, dana, visit
):
    slots = find_slots(
        appointment_type=visit, start_date=date(2026, 12, 21), end_date=date(2026, 12, 27)
    )

    offered = {(s.local_start.strftime("%a"), s.local_start.hour) for s in slots}
    assert offered == {(day, hour) for day in ("Mon", "Tue", "Wed") for hour in (9, 10, 11)}


def test_staff_are_asked_to_confirm_a_time_the_clinic_is_shut(
    clinic_open_monday_to_wednesday_mornings, dana, visit
):
    thursday = at(date(2026, 12, 24), 9)

    problems = schedule_problems(clinician=dana, appointment_type=visit, start=thursday)

    assert problems == ["Thursday, December 24 at 9:00 AM is outside the clinic's opening hours"]


def test_the_clinician_page_warns_when_their_hours_fall_outside_the_clinics(
    desk, clinic_open_monday_to_wednesday_mornings, dana
):
    page = desk.get(f"/admin/intake/clinician/{dana.pk}/change/").content.decode()

    assert "Dana Lee&#x27;s hours reach outside the clinic&#x27;s opening hours" in page
    assert "Thursday 08:00-17:00" in page


def test_no_warning_when_the_clinicians_hours_fit(desk, clinic_open_monday_to_wednesday_mornings):
    Clinician.objects.all().delete()
    inside = make_clinician("Ines Cho", hours=[(time(9), time(12))], weekdays=[0, 1, 2])

    page = desk.get(f"/admin/intake/clinician/{inside.pk}/change/").content.decode()

    assert "reach outside the clinic" not in page


def test_without_opening_hours_entered_the_clinicians_hours_stand_alone(dana, visit):
    assert days_offered(visit, date(2026, 12, 21), date(2026, 12, 27)) == {
        date(2026, 12, 21) + timedelta(days=n) for n in range(5)
    }


def test_the_closures_page_costs_the_same_queries_for_1_or_12_closures(
    desk, django_assert_max_num_queries
):
    christmas_closed()
    with django_assert_max_num_queries(20) as few:
        assert desk.get(CLOSURES).status_code == 200
    for n in range(11):
        day = date(2027, 2, 1) + timedelta(days=n)
        ClinicClosure.objects.create(start_date=day, end_date=day, reason=f"Training {n}")

    with django_assert_max_num_queries(len(few)):
        page = desk.get(CLOSURES).content.decode()

    assert "Training 10" in page
