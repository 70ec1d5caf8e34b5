"""Repeating visits: the front desk books a course of care in one action, across a clash,
time off and a daylight-saving change, and the patient gets one email with every visit."""

import re
import uuid
from datetime import UTC, time

import icalendar
import pytest
from django.contrib.auth.models import Group

from intake import series as series_module
from intake.booking import Patient, SlotTaken, StaffChange, book_appointment
from intake.models import (
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    Clinician,
    TimeOff,
)
from intake.series import ChosenVisit, SeriesRequest, book_series, plan_series
from tests.intake.booking_factories import (
    CHICAGO,
    local,
    make_appointment,
    make_clinician,
    make_type,
)
from tests.intake.queued_emails import deliver_queued_emails

ADD = "/admin/intake/appointmentseries/add/"
# A Tuesday-and-Thursday course over US daylight-saving start (Sunday 2027-03-14).
NOW = local(2027, 2, 20, 12)


@pytest.fixture
def dana(db):
    Clinician.objects.all().delete()  # the seeded team would offer its own free times
    return make_clinician("Dana Lee", hours=[(time(9), time(17))], weekdays=range(5))


@pytest.fixture
def visit(db):
    return make_type(name="Follow-up", slug="series-follow-up", minimum_notice_hours=24)


@pytest.fixture
def course(dana, visit):
    """Four weeks of Tuesdays and Thursdays at 9:00 from Monday 2027-03-01: March 9 is
    taken by another patient, and Dana is off on March 18."""
    make_appointment(clinician=dana, appointment_type=visit, start=local(2027, 3, 9, 9))
    TimeOff.objects.create(
        clinician=dana, start=local(2027, 3, 18, 0), end=local(2027, 3, 19, 0), reason="Course"
    )
    return SeriesRequest(
        clinician=dana,
        appointment_type=visit,
        patient=Patient(name="Robin Vale", email="robin@example.com", phone="+16085550177"),
        first_day=local(2027, 3, 1).date(),
        weekdays=(1, 3),
        at=time(9),
        weeks=4,
    )


@pytest.fixture
def desk(client, group_member, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(group_member("Front desk"))
    return client


def local_clock(appointment: Appointment) -> str:
    return f"{appointment.start.astimezone(CHICAGO):%m-%d %H:%M}"


def test_preview_marks_the_clash_and_the_time_off_and_offers_a_free_time_that_day(course):
    plan = plan_series(request=course, now=NOW)

    assert [f"{visit.asked:%m-%d %H:%M}" for visit in plan] == [
        "03-02 09:00",
        "03-04 09:00",
        "03-09 09:00",
        "03-11 09:00",
        "03-16 09:00",
        "03-18 09:00",
        "03-23 09:00",
        "03-25 09:00",
    ]
    by_day = {f"{visit.asked:%m-%d}": visit for visit in plan}
    assert [day for day, visit in by_day.items() if not visit.free] == ["03-09", "03-18"]
    assert by_day["03-09"].clash == "Dana Lee already has an appointment then"
    assert [f"{slot.local_start:%H:%M}" for slot in by_day["03-09"].alternatives][0] == "10:00"
    assert by_day["03-18"].problems == ("Dana Lee has time off then (Course)",)
    assert by_day["03-18"].alternatives == ()


def test_nine_oclock_stays_nine_oclock_local_across_the_daylight_saving_change(course):
    plan = plan_series(request=course, now=NOW)
    chosen = [ChosenVisit(asked=visit.asked, slot=visit.slot) for visit in plan if visit.free]

    result = book_series(key=uuid.uuid4(), request=course, visits=chosen, now=NOW)

    assert [local_clock(a) for a in result.booked] == [
        "03-02 09:00",
        "03-04 09:00",
        "03-11 09:00",
        "03-16 09:00",
        "03-23 09:00",
        "03-25 09:00",
    ]
    # The same wall-clock time is an hour earlier in UTC once Central Daylight Time starts.
    utc_hours = {a.start.astimezone(UTC).hour for a in result.booked}
    assert utc_hours == {15, 14}
    assert result.refused == []
    assert all(a.series == result.series for a in result.booked)


def test_staff_may_book_over_time_off_only_by_confirming_it_by_name(course):
    plan = plan_series(request=course, now=NOW)
    off = next(visit for visit in plan if visit.problems)

    unconfirmed = book_series(
        key=uuid.uuid4(), request=course, visits=[ChosenVisit(off.asked, off.slot)], now=NOW
    )
    confirmed = book_series(
        key=uuid.uuid4(),
        request=course,
        visits=[ChosenVisit(off.asked, off.slot, frozenset(off.problems))],
        now=NOW,
    )

    assert unconfirmed.booked == []
    assert "time off" in unconfirmed.refused[0][1]
    assert [local_clock(a) for a in confirmed.booked] == ["03-18 09:00"]


def test_a_time_taken_after_the_preview_costs_that_visit_only(course, dana, visit):
    plan = plan_series(request=course, now=NOW)
    chosen = [ChosenVisit(asked=v.asked, slot=v.slot) for v in plan if v.free]
    make_appointment(clinician=dana, appointment_type=visit, start=local(2027, 3, 23, 9))

    result = book_series(key=uuid.uuid4(), request=course, visits=chosen, now=NOW)

    assert len(result.booked) == 5
    assert [f"{when.astimezone(CHICAGO):%m-%d}" for when, _ in result.refused] == ["03-23"]


def test_the_patient_gets_one_email_listing_every_visit_with_one_calendar_of_them_all(course):
    plan = plan_series(request=course, now=NOW)
    chosen = [
        ChosenVisit(asked=v.asked, slot=v.alternatives[0] if v.clash else v.slot) for v in plan
    ]
    chosen = [c for c in chosen if c.slot.start.astimezone(CHICAGO).day != 18]

    result = book_series(key=uuid.uuid4(), request=course, visits=chosen, now=NOW)

    (email,) = deliver_queued_emails()
    assert email.to == ["robin@example.com"]
    assert email.subject == "Booked: 7 visits, Follow-up on Tuesday and Thursday"
    assert "Tuesday, March 9, 2027 at 10:00 AM Central Time (CST)" in email.body
    assert "Tuesday, March 16, 2027 at 9:00 AM Central Time (CDT)" in email.body
    for appointment in result.booked:
        assert f"/book/manage/{appointment.manage_token}/" in email.body
    (attachment,) = email.attachments
    assert attachment.filename == "appointments.ics"
    calendar = icalendar.Calendar.from_ical(attachment.content)
    events = calendar.walk("VEVENT")
    assert [event.decoded("DTSTART") for event in events] == [a.start for a in result.booked]
    # Each event is the one the visit's own later emails move or cancel.
    assert [str(event["UID"]).split("@")[0] for event in events] == [
        f"appointment-{a.pk}" for a in result.booked
    ]
    # No self-check answers, messages or notes: only times, type and clinician.
    assert "Course" not in email.body


def test_confirming_the_same_preview_twice_books_once_and_emails_once(course):
    plan = plan_series(request=course, now=NOW)
    chosen = [ChosenVisit(asked=v.asked, slot=v.slot) for v in plan if v.free]
    key = uuid.uuid4()

    first = book_series(key=key, request=course, visits=chosen, now=NOW)
    again = book_series(key=key, request=course, visits=chosen, now=NOW)

    assert again.series == first.series
    assert sorted(a.pk for a in again.booked) == sorted(a.pk for a in first.booked)
    assert Appointment.objects.filter(series__isnull=False).count() == 6
    assert len(deliver_queued_emails()) == 1


def test_cancelling_the_rest_cancels_every_later_visit_with_one_email(course, time_machine):
    time_machine.move_to(NOW, tick=False)
    plan = plan_series(request=course, now=NOW)
    chosen = [ChosenVisit(asked=v.asked, slot=v.slot) for v in plan if v.free]
    result = book_series(key=uuid.uuid4(), request=course, visits=chosen, now=NOW)
    deliver_queued_emails()
    third = result.booked[2]

    cancelled = series_module.cancel_rest_of_series(
        series=result.series, from_start=third.start, reason="Discharged early", now=NOW
    )
    again = series_module.cancel_rest_of_series(
        series=result.series, from_start=third.start, reason="Discharged early", now=NOW
    )

    assert [local_clock(a) for a in cancelled] == [
        "03-11 09:00",
        "03-16 09:00",
        "03-23 09:00",
        "03-25 09:00",
    ]
    assert again == []
    statuses = [a.status for a in Appointment.objects.filter(series=result.series)]
    assert statuses == [AppointmentStatus.BOOKED] * 2 + [AppointmentStatus.CANCELLED] * 4
    (email,) = deliver_queued_emails()
    assert email.subject == "Cancelled: 4 visits, Follow-up"
    assert "Thursday, March 11, 2027 at 9:00 AM" in email.body
    assert "Tuesday, March 2, 2027" not in email.body
    calendar = icalendar.Calendar.from_ical(email.attachments[0].content)
    assert calendar["METHOD"] == "CANCEL"
    assert [str(event["STATUS"]) for event in calendar.walk("VEVENT")] == ["CANCELLED"] * 4


def series_details(dana, visit, **extra) -> dict:
    return {
        "appointment_type": visit.pk,
        "clinician": dana.pk,
        "patient_name": "Robin Vale",
        "patient_email": "robin@example.com",
        "patient_phone": "608-555-0177",
        "first_day": "2027-03-01",
        "weekdays": ["1", "3"],
        "local_time": "09:00",
        "weeks": "4",
        **extra,
    }


def test_the_desk_books_a_series_in_three_pages_and_reload_books_nothing_twice(
    desk, course, dana, visit
):
    step_one = desk.post(ADD, series_details(dana, visit))
    assert step_one.status_code == 302
    preview_url = step_one["Location"]
    assert re.fullmatch(r"/admin/intake/appointmentseries/preview/[0-9a-f-]{36}/", preview_url)
    # Nothing personal in the address.
    assert "Robin" not in preview_url and "robin" not in preview_url

    page = desk.get(preview_url).content.decode()
    assert page.count("not free at 9:00 AM") == 2
    assert "Dana Lee already has an appointment then" in page
    assert "Dana Lee has time off then (Course)" in page
    choices = dict(re.findall(r'name="(visit_\d+)" value="([^"]+)"[^>]*checked', page))
    assert len(choices) == 8
    assert choices["visit_5"] == "skip"  # time off, no other time that day

    confirm = desk.post(preview_url, {**choices, "email_patient": "on"})
    series = AppointmentSeries.objects.get()
    assert confirm.status_code == 302
    assert confirm["Location"] == f"/admin/intake/appointmentseries/{series.pk}/change/"
    assert series.appointments.count() == 7

    reload = desk.post(preview_url, {**choices, "email_patient": "on"})
    back = desk.get(preview_url)
    assert reload["Location"] == back["Location"] == confirm["Location"]
    assert Appointment.objects.filter(series=series).count() == 7
    assert len(deliver_queued_emails()) == 1

    series_page = desk.get(confirm["Location"]).content.decode()
    assert "7 visit(s) booked." in series_page
    assert series_page.count("with Dana Lee, DPT: Booked") == 7


def test_the_step_one_form_says_what_is_wrong_on_the_field_and_keeps_the_input(desk, dana, visit):
    response = desk.post(
        ADD, series_details(dana, visit, weekdays=[], weeks="40", local_time="9 o'clock")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Tick at least one day of the week." in page
    assert "Book at most 26 weeks at once." in page
    assert "Enter a valid time." in page
    assert 'value="Robin Vale"' in page


def test_a_time_taken_while_the_preview_was_open_is_reported_on_that_date(
    desk, course, dana, visit
):
    preview_url = desk.post(ADD, series_details(dana, visit))["Location"]
    page = desk.get(preview_url).content.decode()
    choices = dict(re.findall(r'name="(visit_\d+)" value="([^"]+)"[^>]*checked', page))
    make_appointment(clinician=dana, appointment_type=visit, start=local(2027, 3, 23, 9))

    response = desk.post(preview_url, {**choices, "email_patient": "on"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "was just taken" in page
    assert page.count("That time is no longer free: choose again for this date.") == 1
    assert not AppointmentSeries.objects.exists()


def test_cancel_the_rest_from_a_visit_is_one_page_and_one_press(desk, course, dana, visit):
    preview_url = desk.post(ADD, series_details(dana, visit))["Location"]
    page = desk.get(preview_url).content.decode()
    choices = dict(re.findall(r'name="(visit_\d+)" value="([^"]+)"[^>]*checked', page))
    desk.post(preview_url, {**choices, "email_patient": "on"})
    deliver_queued_emails()
    fourth = Appointment.objects.filter(series__isnull=False).order_by("start")[3]

    visit_page = desk.get(f"/admin/intake/appointment/{fourth.pk}/change/").content.decode()
    # The visit names its series, and ends the rest of it in one press from here.
    assert f'href="/admin/intake/appointmentseries/{fourth.series_id}/change/"' in visit_page
    link = re.search(r'href="([^"]*cancel-rest/\?from=\d+)"', visit_page).group(1)
    confirm = desk.get(link.replace("&amp;", "&")).content.decode()
    assert "These 4 visits" in confirm
    response = desk.post(link, {"reason": "", "email_patient": "on"})

    assert response.status_code == 302
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 4
    assert len(deliver_queued_emails()) == 1


def test_the_preview_costs_the_same_queries_for_two_weeks_or_twenty_six(desk, dana, visit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for weeks in ("2", "26"):
        url = desk.post(ADD, series_details(dana, visit, weeks=weeks))["Location"]
        with CaptureQueriesContext(connection) as queries:
            assert desk.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_clinician_without_booking_rights_cannot_book_a_series(client, group_member, dana):
    Group.objects.get(name="Clinician")
    client.force_login(group_member("Clinician"))

    assert client.get(ADD).status_code == 403


def test_book_appointment_links_the_series_only_when_asked(course, dana, visit):
    start = local(2027, 3, 30, 9)
    slot = plan_series(request=course, now=NOW)[0].slot.__class__(
        start=start, end=start + visit.duration, clinician_id=dana.pk, clinician_name="Dana"
    )
    single = book_appointment(
        slot=slot,
        appointment_type=visit,
        patient=course.patient,
        staff=StaffChange(email_patient=False),
        now=NOW,
    )
    assert single.series is None
    with pytest.raises(SlotTaken):
        book_appointment(
            slot=slot, appointment_type=visit, patient=course.patient, staff=StaffChange(), now=NOW
        )


def test_a_first_visit_series_email_carries_the_before_visit_form_link_once(course, dana):
    evaluation = make_type(name="Evaluation", slug="series-evaluation", before_visit="first_visit")
    request = SeriesRequest(**{**course.__dict__, "appointment_type": evaluation, "weeks": 1})
    plan = plan_series(request=request, now=NOW)

    book_series(
        key=uuid.uuid4(),
        request=request,
        visits=[ChosenVisit(asked=v.asked, slot=v.slot) for v in plan if v.free],
        now=NOW,
    )

    (email,) = deliver_queued_emails()
    assert email.body.count("/before-your-visit/") == 1
    assert "Before your first visit: fill in your forms" in email.body


def test_an_expired_preview_sends_staff_back_to_start_without_an_error(desk, dana):
    response = desk.get(f"/admin/intake/appointmentseries/preview/{uuid.uuid4()}/", follow=True)

    assert response.redirect_chain[-1][0] == ADD
    assert "That preview has expired: start again." in response.content.decode()


def test_the_list_of_series_costs_the_same_queries_for_two_or_eight(desk, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for total in (2, 8):
        while AppointmentSeries.objects.count() < total:
            book_series(key=uuid.uuid4(), request=course, visits=[], now=NOW)
        with CaptureQueriesContext(connection) as queries:
            page = desk.get("/admin/intake/appointmentseries/")
        assert page.content.decode().count("Every Tuesday and Thursday at 9:00 AM") == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
