"""New hours reach the waitlist: a closure or time off removed or shortened, or longer
weekly hours, offer the newly free times to matching entries through the same undo
buffer and rounds as a cancellation, a bounded number per change. Pinned clock: Monday
December 14, 2026, 10:00 in Madison."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from intake.closures import delete_closure
from intake.models import ClinicClosure, Clinician, FreedTime, TimeOff, WaitlistOffer
from intake.tasks import run_waitlist_round
from intake.waitlist import new_hours_opened, run_offer_round
from tests.intake.booking_factories import local, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails
from tests.intake.waitlist_factories import join

NOW = local(2026, 12, 14, 10)  # a Monday
FROM, UNTIL = date(2026, 12, 14), date(2027, 1, 31)


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
    return make_clinician("Dana Lee", hours=[(time(9), time(12))], weekdays=range(5))


@pytest.fixture
def visit(db):
    return make_type(name="Follow-up visit", slug="waitlisted-visit", booking_window_days=60)


def freed_days() -> set[date]:
    return {f.local_start.date() for f in FreedTime.objects.all()}


def at(day: date, hour: int):
    return local(day.year, day.month, day.day, hour)


def test_removing_a_closure_offers_its_times_to_the_waitlist_after_the_undo_buffer(
    desk, dana, visit, settings
):
    closure = ClinicClosure.objects.create(
        start_date=date(2026, 12, 24), end_date=date(2026, 12, 24), reason="Christmas Eve"
    )
    entry = join(visit, weekdays=[3], from_date=FROM, until_date=UNTIL, now=NOW)
    deliver_queued_emails()  # the joining email

    response = desk.post(f"/admin/intake/clinicclosure/{closure.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not ClinicClosure.objects.exists()
    (freed,) = FreedTime.objects.all()
    assert freed.local_start == at(date(2026, 12, 24), 9)
    assert freed.cancelled is None
    rounds = DBTaskResult.objects.filter(task_path=run_waitlist_round.module_path)
    assert [r.run_after for r in rounds] == [
        NOW + timedelta(seconds=settings.WAITLIST_UNDO_SECONDS)
    ]

    later = NOW + timedelta(seconds=settings.WAITLIST_UNDO_SECONDS)
    with time_machine.travel(later, tick=False):
        (offer,) = run_offer_round(freed_time_id=freed.pk, now=later)
    assert offer.entry == entry
    (email,) = deliver_queued_emails()
    assert email.to == [entry.email]
    assert "Thursday, December 24" in email.body


def test_shortening_a_closure_offers_only_the_days_it_no_longer_covers(desk, dana, visit):
    closure = ClinicClosure.objects.create(
        start_date=date(2026, 12, 21), end_date=date(2026, 12, 25), reason="Holidays"
    )
    join(visit, from_date=FROM, until_date=UNTIL, now=NOW)
    join(visit, from_date=FROM, until_date=UNTIL, now=NOW, email="b@example.com")

    response = desk.post(
        f"/admin/intake/clinicclosure/{closure.pk}/change/",
        {"start_date": "2026-12-24", "end_date": "2026-12-25", "reason": "Holidays"},
    )

    assert response.status_code == 302
    assert freed_days() <= {date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23)}
    assert freed_days()


def test_lifting_time_off_offers_that_clinicians_freed_hours(desk, dana, visit):
    off = TimeOff.objects.create(
        clinician=dana, start=at(date(2026, 12, 22), 0), end=at(date(2026, 12, 23), 0)
    )
    join(visit, from_date=FROM, until_date=UNTIL, now=NOW)

    response = desk.post(f"/admin/intake/timeoff/{off.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert freed_days() == {date(2026, 12, 22)}


def test_shortening_time_off_offers_only_the_hours_it_gave_back(desk, dana, visit):
    tuesday = date(2026, 12, 22)
    off = TimeOff.objects.create(clinician=dana, start=at(tuesday, 9), end=at(tuesday, 12))
    join(visit, from_date=FROM, until_date=UNTIL, now=NOW)

    response = desk.post(
        f"/admin/intake/timeoff/{off.pk}/change/",
        {
            "clinician": dana.pk,
            "start_0": "2026-12-22",
            "start_1": "09:00",
            "end_0": "2026-12-22",
            "end_1": "11:00",
            "reason": "Dentist",
        },
    )

    assert response.status_code == 302
    (freed,) = FreedTime.objects.all()
    assert freed.local_start == at(tuesday, 11)


def test_longer_weekly_hours_offer_only_the_new_times(desk, dana, visit):
    join(visit, from_date=FROM, until_date=UNTIL, now=NOW)
    rows = list(dana.availability.order_by("weekday"))
    data = {
        "name": dana.name,
        "credentials": dana.credentials,
        "bookable": "on",
        "on_team_page": "on",
        "position": "0",
        "availability-TOTAL_FORMS": str(len(rows) + 1),
        "availability-INITIAL_FORMS": str(len(rows)),
        "time_off-TOTAL_FORMS": "0",
        "time_off-INITIAL_FORMS": "0",
    }
    for n, row in enumerate(rows):
        data |= {
            f"availability-{n}-id": row.pk,
            f"availability-{n}-clinician": dana.pk,
            f"availability-{n}-weekday": row.weekday,
            f"availability-{n}-start": "09:00",
            f"availability-{n}-end": "12:00",
        }
    # Fridays get an afternoon too.
    data |= {
        f"availability-{len(rows)}-clinician": dana.pk,
        f"availability-{len(rows)}-weekday": "4",
        f"availability-{len(rows)}-start": "13:00",
        f"availability-{len(rows)}-end": "16:00",
    }

    response = desk.post(f"/admin/intake/clinician/{dana.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    starts = [f.local_start for f in FreedTime.objects.all()]
    assert starts
    assert all(s.weekday() == 4 and s.hour >= 13 for s in starts)


def test_new_hours_are_bounded_and_spread_over_the_people_waiting(dana, visit, settings):
    settings.WAITLIST_NEW_HOURS_TIMES = 4
    settings.WAITLIST_ROUND_SIZE = 1
    entries = [
        join(visit, from_date=FROM, until_date=UNTIL, now=NOW, email=f"w{n}@example.com")
        for n in range(6)
    ]

    tomorrow = at(date(2026, 12, 15), 0)
    freed = new_hours_opened(start=tomorrow, end=tomorrow + timedelta(days=30), now=NOW)

    assert len(freed) == 4
    for one in freed:
        with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
            run_offer_round(freed_time_id=one.pk, now=NOW + timedelta(minutes=10))
    # With rounds of one, each of the first four waiting hears of a different time (one
    # holding an offer is not offered another at once).
    offered_to = list(WaitlistOffer.objects.values_list("entry_id", flat=True))
    assert sorted(offered_to) == sorted(e.pk for e in entries[:4])


def test_new_hours_offer_nothing_when_nobody_waits_or_beyond_the_booking_window(dana, visit):
    assert new_hours_opened(start=NOW, end=NOW + timedelta(days=30), now=NOW) == []

    join(visit, from_date=date(2027, 3, 1), until_date=date(2027, 3, 31), now=NOW)
    # Those dates lie beyond the type's 60-day window.
    assert (
        new_hours_opened(start=at(date(2027, 3, 1), 0), end=at(date(2027, 4, 1), 0), now=NOW) == []
    )


def test_removing_a_closure_in_code_offers_its_days(dana, visit):
    closure = ClinicClosure.objects.create(
        start_date=date(2026, 12, 31), end_date=date(2026, 12, 31), reason="New Year's Eve"
    )
    join(visit, from_date=FROM, until_date=UNTIL, now=NOW)

    delete_closure(closure=closure, now=NOW)

    assert freed_days() == {date(2026, 12, 31)}


def test_a_round_whose_people_all_hold_other_offers_waits_for_their_holds(dana, visit, settings):
    """One patient, two times freed together: she hears of the first now and of the
    second only once her hold on the first is over, not both at once."""
    from intake.models import FreedTimeStatus
    from intake.waitlist import time_freed

    entry = join(visit, from_date=FROM, until_date=UNTIL, now=NOW)
    first, second = (
        time_freed(clinician=dana, appointment_type=visit, start=at(date(2026, 12, 15), hour))
        for hour in (9, 10)
    )
    DBTaskResult.objects.filter(task_path=run_waitlist_round.module_path).delete()
    later = NOW + timedelta(minutes=5)

    (offer,) = run_offer_round(freed_time_id=first.pk, now=later)
    assert run_offer_round(freed_time_id=second.pk, now=later) == []

    second.refresh_from_db()
    assert second.status != FreedTimeStatus.UNFILLED
    rounds = DBTaskResult.objects.filter(task_path=run_waitlist_round.module_path)
    assert sorted(r.run_after for r in rounds) == [offer.hold_until, offer.hold_until]
    after_hold = offer.hold_until + timedelta(seconds=1)
    (then,) = run_offer_round(freed_time_id=second.pk, now=after_hold)
    assert then.entry == entry


def test_a_freed_time_on_a_closed_day_is_offered_to_nobody(dana, visit):
    from intake.booking import CancelledBy, cancel_appointment
    from intake.waitlist import entries_matching
    from tests.intake.booking_factories import make_appointment

    kept = make_appointment(clinician=dana, appointment_type=visit, start=at(date(2026, 12, 24), 9))
    ClinicClosure.objects.create(
        start_date=date(2026, 12, 24), end_date=date(2026, 12, 24), reason="Christmas Eve"
    )
    join(visit, from_date=FROM, until_date=UNTIL, now=NOW)

    cancel_appointment(appointment=kept, reason="", cancelled_by=CancelledBy.PATIENT, now=NOW)

    assert not entries_matching(
        appointment_type=visit, clinician_id=dana.pk, start=kept.start, now=NOW
    )


def test_longer_clinic_opening_hours_offer_only_the_new_times(client, superuser, dana, visit):
    from intake.clinic_details import the_record
    from intake.models import OpeningHours

    monday = OpeningHours.objects.create(
        clinic=the_record(), weekday=0, opens=time(9), closes=time(12)
    )
    join(visit, from_date=FROM, until_date=UNTIL, now=NOW)
    client.force_login(superuser)
    page = client.get("/admin/intake/clinicdetails/", follow=True)
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data |= {
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "1",
        "hours-0-id": monday.pk,
        "hours-0-clinic": "1",
        "hours-0-weekday": "0",
        "hours-0-opens": "09:00",
        "hours-0-closes": "12:00",
        "hours-1-clinic": "1",
        "hours-1-weekday": "1",
        "hours-1-opens": "09:00",
        "hours-1-closes": "12:00",
    }

    response = client.post(page.request["PATH_INFO"], data)

    assert response.status_code == 302
    starts = [f.local_start for f in FreedTime.objects.all()]
    assert starts and all(s.weekday() == 1 for s in starts)
