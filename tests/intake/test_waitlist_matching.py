"""Which waitlist entries a freed time suits, one rule at a time, and in what order."""

from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction

from intake.models import PartOfDay, TimeOff, WaitlistEntry
from intake.waitlist import entries_matching, leave_waitlist, purge_expired_entries
from tests.intake.booking_factories import make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails
from tests.intake.waitlist_factories import NOW, freed_at, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana():
    return make_clinician("Dana Lee", hours=[(time(8), time(19))])


@pytest.fixture
def visit():
    return make_type(duration_minutes=60)


def matching(visit, clinician, start, now=NOW) -> list[WaitlistEntry]:
    return entries_matching(appointment_type=visit, clinician_id=clinician.pk, start=start, now=now)


def test_an_entry_for_the_same_visit_type_is_offered_the_time(dana, visit):
    entry = join(visit)

    assert matching(visit, dana, freed_at(9)) == [entry]


def test_an_entry_for_another_visit_type_is_not(dana, visit):
    join(make_type(duration_minutes=30))

    assert matching(visit, dana, freed_at(9)) == []


def test_an_entry_for_another_clinician_is_not_but_any_clinician_is(dana, visit):
    other = make_clinician("Sam Ortiz", hours=[(time(8), time(19))])
    anyone = join(visit)
    join(visit, clinician=other)
    with_dana = join(visit, clinician=dana)

    assert matching(visit, dana, freed_at(9)) == [anyone, with_dana]


def test_only_the_days_of_the_week_the_patient_chose(dana, visit):
    mondays = join(visit, weekdays=[0])
    join(visit, weekdays=[1, 2])

    assert matching(visit, dana, freed_at(9)) == [mondays]


def test_only_the_parts_of_the_day_the_patient_chose(dana, visit):
    mornings = join(visit, parts_of_day=[PartOfDay.MORNING])
    middays = join(visit, parts_of_day=[PartOfDay.MIDDAY])
    evenings = join(visit, parts_of_day=[PartOfDay.EVENING])

    assert matching(visit, dana, freed_at(11)) == [mornings]
    assert matching(visit, dana, freed_at(12)) == [middays]
    assert matching(visit, dana, freed_at(16)) == [evenings]


def test_only_inside_the_dates_the_patient_chose(dana, visit):
    join(visit, until_date=date(2030, 1, 6))
    join(visit, from_date=date(2030, 1, 8))
    inside = join(visit, from_date=date(2030, 1, 7), until_date=date(2030, 1, 7))

    assert matching(visit, dana, freed_at(9)) == [inside]


def test_nobody_is_offered_a_time_inside_the_minimum_notice(dana):
    visit = make_type(duration_minutes=60, minimum_notice_hours=48)
    join(visit)

    assert matching(visit, dana, freed_at(9), now=freed_at(9) - timedelta(hours=47)) == []
    assert len(matching(visit, dana, freed_at(9), now=freed_at(9) - timedelta(hours=49))) == 1


def test_nobody_is_offered_a_time_beyond_the_booking_window(dana):
    visit = make_type(duration_minutes=60, booking_window_days=3)
    join(visit)

    assert matching(visit, dana, freed_at(9)) == []


def test_nobody_is_offered_a_time_the_clinician_took_off(dana, visit):
    join(visit)
    TimeOff.objects.create(clinician=dana, start=freed_at(8), end=freed_at(13))

    assert matching(visit, dana, freed_at(9)) == []


def test_nobody_is_offered_a_time_booked_again(dana, visit):
    join(visit)
    make_appointment(clinician=dana, appointment_type=visit, start=freed_at(9))

    assert matching(visit, dana, freed_at(9)) == []


def test_a_patient_already_booked_at_or_before_the_time_is_not_offered_it(dana, visit):
    earlier = make_appointment(clinician=dana, appointment_type=visit, start=freed_at(8))
    join(visit, appointment=earlier)

    assert matching(visit, dana, freed_at(10)) == []


def test_order_is_priority_then_a_later_booked_visit_then_time_waited(dana, visit):
    first_to_join = join(visit, now=NOW - timedelta(days=5))
    later_visit = make_appointment(
        clinician=dana, appointment_type=visit, start=freed_at(9) + timedelta(days=7)
    )
    moving_up = join(visit, appointment=later_visit, now=NOW - timedelta(days=1))
    prioritised = join(visit, now=NOW)
    WaitlistEntry.objects.filter(pk=prioritised.pk).update(priority=2)

    assert matching(visit, dana, freed_at(9)) == [prioritised, moving_up, first_to_join]


def test_joining_again_with_the_same_email_and_type_updates_the_one_entry(dana, visit):
    first = join(visit, email="ana@example.com", parts_of_day=[PartOfDay.MORNING])
    again = join(visit, email="ANA@example.com", parts_of_day=[PartOfDay.EVENING])

    assert again.pk == first.pk
    assert WaitlistEntry.objects.get().parts_of_day == [PartOfDay.EVENING]


def test_the_database_holds_one_entry_per_person_and_type(visit):
    entry = join(visit, email="ana@example.com")
    duplicate = WaitlistEntry(
        appointment_type=visit,
        email="Ana@Example.com",
        name="Ana",
        phone="+16085550111",
        from_date=entry.from_date,
        until_date=entry.until_date,
    )
    duplicate.issue_token()

    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_joining_emails_the_private_link_and_nothing_else(visit):
    entry = join(visit, email="ana@example.com")

    [sent] = deliver_queued_emails()

    assert sent.to == ["ana@example.com"]
    assert f"/waitlist/{entry.token}/" in sent.body
    assert visit.name in sent.body
    assert WaitlistEntry.objects.by_token(entry.token).get() == entry


def test_leaving_removes_the_entry(visit):
    leave_waitlist(entry=join(visit))

    assert not WaitlistEntry.objects.exists()


def test_entries_past_their_end_date_are_removed(visit):
    join(visit, until_date=date(2030, 1, 6))
    kept = join(visit, until_date=date(2030, 1, 7))

    assert purge_expired_entries(today=date(2030, 1, 7)) == 1
    assert list(WaitlistEntry.objects.all()) == [kept]


def test_the_daily_purge_removes_waitlist_entries_past_their_end_date(visit, capsys):
    from django.core.management import call_command

    join(visit, until_date=date(2020, 1, 1), from_date=date(2020, 1, 1))
    kept = join(visit, until_date=date(2999, 1, 1))

    call_command("purge_leads")

    assert list(WaitlistEntry.objects.all()) == [kept]
    assert "Removed 1 waitlist entry(ies) past their end date." in capsys.readouterr().out
