"""The slot finder: which start times a patient is offered."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.booking import find_slots
from intake.models import AppointmentStatus, Clinician, TimeOff
from tests.intake.booking_factories import (
    CHICAGO,
    local,
    local_starts,
    make_appointment,
    make_clinician,
    make_type,
)

MONDAY = date(2026, 6, 8)  # a plain summer Monday, far from any DST change
NOW = local(2026, 6, 1, 12)


@pytest.fixture(autouse=True)
def no_seeded_clinicians(db) -> None:
    """The data migration seeds a placeholder clinician; these tests bring their own."""
    Clinician.objects.all().delete()


def slots_on(day: date, appointment_type, **kwargs) -> list[str]:
    kwargs.setdefault("now", NOW)
    return local_starts(
        find_slots(appointment_type=appointment_type, start_date=day, end_date=day, **kwargs)
    )


def test_slots_follow_weekly_hours_with_a_lunch_break():
    make_clinician(hours=[(time(9), time(12)), (time(13), time(15))], weekdays=[0])
    visit = make_type(duration_minutes=60, slot_interval_minutes=60)

    assert slots_on(MONDAY, visit) == [
        "2026-06-08 09:00",
        "2026-06-08 10:00",
        "2026-06-08 11:00",
        "2026-06-08 13:00",
        "2026-06-08 14:00",
    ]
    assert slots_on(MONDAY + timedelta(days=1), visit) == []


def test_appointment_must_end_by_the_end_of_the_hours():
    make_clinician(hours=[(time(9), time(11))], weekdays=[0])
    visit = make_type(duration_minutes=45, slot_interval_minutes=30)

    assert slots_on(MONDAY, visit) == ["2026-06-08 09:00", "2026-06-08 09:30", "2026-06-08 10:00"]


def test_time_off_removes_every_slot_it_touches():
    clinician = make_clinician(hours=[(time(9), time(13))], weekdays=[0])
    TimeOff.objects.create(
        clinician=clinician, start=local(2026, 6, 8, 10), end=local(2026, 6, 8, 11, 30)
    )
    visit = make_type(duration_minutes=60, slot_interval_minutes=60)

    assert slots_on(MONDAY, visit) == ["2026-06-08 09:00", "2026-06-08 12:00"]


def test_buffers_of_the_existing_and_the_new_appointment_are_both_kept_free():
    clinician = make_clinician(hours=[(time(9), time(14))], weekdays=[0])
    # Existing 10:00-11:00 visit with 15 minutes of notes after: blocked 10:00-11:15.
    existing = make_type(duration_minutes=60, buffer_after_minutes=15)
    make_appointment(clinician=clinician, appointment_type=existing, start=local(2026, 6, 8, 10))
    # The new visit needs 10 minutes of set-up before it.
    new = make_type(duration_minutes=60, buffer_before_minutes=10, slot_interval_minutes=15)

    offered = slots_on(MONDAY, new)

    assert offered[0] == "2026-06-08 09:00"  # ends exactly when the other starts
    assert "2026-06-08 09:15" not in offered  # would overlap the 10:00 visit
    assert "2026-06-08 11:15" not in offered  # its set-up would eat the other's notes time
    assert offered[1] == "2026-06-08 11:30"
    assert offered[-1] == "2026-06-08 13:00"


def test_cancelled_appointments_free_their_time_but_completed_ones_do_not():
    clinician = make_clinician(hours=[(time(9), time(11))], weekdays=[0])
    visit = make_type(duration_minutes=60, slot_interval_minutes=60)
    make_appointment(
        clinician=clinician,
        appointment_type=visit,
        start=local(2026, 6, 8, 9),
        status=AppointmentStatus.CANCELLED,
    )
    make_appointment(
        clinician=clinician,
        appointment_type=visit,
        start=local(2026, 6, 8, 10),
        status=AppointmentStatus.COMPLETED,
    )

    assert slots_on(MONDAY, visit) == ["2026-06-08 09:00"]


def test_minimum_notice_hides_times_too_soon():
    make_clinician(hours=[(time(9), time(12))], weekdays=[0])
    visit = make_type(duration_minutes=30, slot_interval_minutes=30, minimum_notice_hours=2)

    assert slots_on(MONDAY, visit, now=local(2026, 6, 8, 9, 10)) == ["2026-06-08 11:30"]
    # Asked the evening before, the whole morning is far enough ahead.
    assert len(slots_on(MONDAY, visit, now=local(2026, 6, 7, 18))) == 6


def test_booking_window_stops_at_the_last_bookable_day():
    make_clinician(hours=[(time(9), time(10))])
    visit = make_type(booking_window_days=7)

    slots = find_slots(
        appointment_type=visit,
        start_date=MONDAY,
        end_date=MONDAY + timedelta(days=30),
        now=local(2026, 6, 8, 8),
    )

    assert local_starts(slots)[0] == "2026-06-08 09:00"
    assert local_starts(slots)[-1] == "2026-06-15 09:00"
    assert len(slots) == 8


def test_any_clinician_lists_each_free_clinician_first_in_clinic_order():
    first = make_clinician("Ana", hours=[(time(9), time(11))], weekdays=[0], position=1)
    second = make_clinician("Ben", hours=[(time(9), time(11))], weekdays=[0], position=2)
    visit = make_type(duration_minutes=60, slot_interval_minutes=60)
    make_appointment(clinician=first, appointment_type=visit, start=local(2026, 6, 8, 9))

    slots = find_slots(appointment_type=visit, start_date=MONDAY, end_date=MONDAY, now=NOW)

    assert [(s, slot.clinician_id) for s, slot in zip(local_starts(slots), slots, strict=True)] == [
        ("2026-06-08 09:00", second.pk),
        ("2026-06-08 10:00", first.pk),
        ("2026-06-08 10:00", second.pk),
    ]
    only_first = find_slots(
        appointment_type=visit, start_date=MONDAY, end_date=MONDAY, clinician=first, now=NOW
    )
    assert local_starts(only_first) == ["2026-06-08 10:00"]


def test_an_appointment_being_moved_does_not_block_its_own_time():
    clinician = make_clinician(hours=[(time(9), time(11))], weekdays=[0])
    visit = make_type(duration_minutes=60, slot_interval_minutes=30)
    moving = make_appointment(
        clinician=clinician, appointment_type=visit, start=local(2026, 6, 8, 9)
    )

    assert slots_on(MONDAY, visit) == ["2026-06-08 10:00"]
    assert slots_on(MONDAY, visit, exclude=moving) == [
        "2026-06-08 09:00",
        "2026-06-08 09:30",
        "2026-06-08 10:00",
    ]


def test_unbookable_clinicians_are_never_offered():
    clinician = make_clinician(hours=[(time(9), time(10))], weekdays=[0])
    Clinician.objects.filter(pk=clinician.pk).update(bookable=False)

    assert slots_on(MONDAY, make_type()) == []


# (DST change day, UTC hour of 9:00 local before it, after it)
DST_CHANGES = [
    (date(2026, 3, 8), 15, 14),  # spring forward: CST (-6) to CDT (-5)
    (date(2026, 11, 1), 14, 15),  # fall back: CDT (-5) to CST (-6)
    (date(2027, 3, 14), 15, 14),
    (date(2027, 11, 7), 14, 15),
]


@pytest.mark.parametrize(("change_day", "utc_hour_before", "utc_hour_after"), DST_CHANGES)
def test_local_hours_stay_put_across_daylight_saving_changes(
    change_day, utc_hour_before, utc_hour_after
):
    make_clinician(hours=[(time(9), time(12))])
    visit = make_type(duration_minutes=60, slot_interval_minutes=60)
    day_before = change_day - timedelta(days=1)
    day_after = change_day + timedelta(days=1)

    slots = find_slots(
        appointment_type=visit,
        start_date=day_before,
        end_date=day_after,
        now=datetime.combine(change_day - timedelta(days=5), time(12), CHICAGO),
    )

    assert local_starts(slots) == [
        f"{day:%Y-%m-%d} {hour:02d}:00"
        for day in (day_before, change_day, day_after)
        for hour in (9, 10, 11)
    ]
    first_before, first_on, first_after = slots[0], slots[3], slots[6]
    assert first_before.start.astimezone(UTC).hour == utc_hour_before
    assert first_on.start.astimezone(UTC).hour == utc_hour_after
    assert first_after.start.astimezone(UTC).hour == utc_hour_after
    assert all(slot.end - slot.start == timedelta(hours=1) for slot in slots)


@pytest.mark.parametrize(
    ("now", "first_offered"),
    [
        # Clocks go back overnight: 24 real hours after 9:30 CDT is 8:30 CST.
        (local(2026, 10, 31, 9, 30), "2026-11-01 09:00"),
        # Clocks go forward overnight: 24 real hours after 9:30 CST is 10:30 CDT.
        (local(2027, 3, 13, 9, 30), "2027-03-14 10:30"),
    ],
)
def test_minimum_notice_counts_real_hours_across_a_clock_change(now, first_offered):
    make_clinician(hours=[(time(9), time(12))])
    visit = make_type(duration_minutes=30, slot_interval_minutes=30, minimum_notice_hours=24)

    offered = slots_on(now.date() + timedelta(days=1), visit, now=now)

    assert offered[0] == first_offered


def test_a_visit_across_the_autumn_clock_change_lasts_its_real_length():
    """1:30 CDT plus an hour is 1:30 CST, not the wall clock's 2:30."""
    clinician = make_clinician()
    visit = make_type(duration_minutes=60)

    appointment = make_appointment(
        clinician=clinician, appointment_type=visit, start=local(2026, 11, 1, 1, 30)
    )

    appointment.refresh_from_db()
    assert appointment.end - appointment.start == timedelta(hours=1)
    assert f"{appointment.end.astimezone(CHICAGO):%H:%M %Z}" == "01:30 CST"


def test_slot_search_reads_only_appointments_near_the_range_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    """A year of history must not slow the search: same queries, and the appointment
    query is bounded by blocked_end so the index skips the past."""
    clinicians = [make_clinician(f"Clinician {n}", position=n) for n in range(3)]
    visit = make_type(duration_minutes=60, slot_interval_minutes=60)

    def search():
        return find_slots(
            appointment_type=visit,
            start_date=MONDAY,
            end_date=MONDAY + timedelta(days=27),
            now=NOW,
        )

    # Clinicians with their hours, appointments, time off, clinic closures (the opening
    # hours come from the clinic details this worker keeps).
    with django_assert_num_queries(5):
        before = search()

    for days_ago in range(1, 200):
        for clinician in clinicians:
            start = local(2026, 5, 31, 9) - timedelta(days=days_ago)
            make_appointment(clinician=clinician, appointment_type=visit, start=start)

    with CaptureQueriesContext(connection) as queries:
        after = search()

    assert len(queries) == 5
    appointment_sql = next(q["sql"] for q in queries if "intake_appointment" in q["sql"])
    assert '"blocked_end" >' in appointment_sql
    assert after == before
