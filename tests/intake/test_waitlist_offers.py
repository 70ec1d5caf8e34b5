"""A freed time offered to the waitlist: the undo buffer, rounds of 3 with a 15-minute
hold, quiet hours, and accepting it safely. Every test runs on a pinned clock."""

from datetime import time, timedelta

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from intake.booking import CancelledBy, cancel_appointment, save_time_off
from intake.models import (
    Appointment,
    AppointmentStatus,
    FreedTime,
    FreedTimeStatus,
    OfferOutcome,
    TimeOff,
    WaitlistEntry,
    WaitlistOffer,
)
from intake.tasks import run_waitlist_round
from intake.waitlist import OfferTaken, accept_offer, decline_offer, run_offer_round
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails
from tests.intake.waitlist_factories import NOW, freed_at, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana():
    return make_clinician("Dana Lee", hours=[(time(8), time(19))])


@pytest.fixture
def visit():
    return make_type(name="Follow-up visit", duration_minutes=60)


@pytest.fixture
def cancelled(dana, visit):
    """Dana's 9:00 on the freed day, cancelled by its patient at NOW."""
    appointment = make_appointment(
        clinician=dana, appointment_type=visit, start=freed_at(9), lead=None
    )
    cancel_appointment(
        appointment=appointment, reason="", cancelled_by=CancelledBy.PATIENT, now=NOW
    )
    deliver_queued_emails()  # the cancellation's own emails
    return FreedTime.objects.get()


def scheduled_rounds() -> list:
    """When the queued offer rounds will run."""
    return sorted(
        result.run_after
        for result in DBTaskResult.objects.filter(task_path=run_waitlist_round.module_path)
    )


def round_at(freed: FreedTime, moment) -> list[WaitlistOffer]:
    with time_machine.travel(moment, tick=False):
        return run_offer_round(freed_time_id=freed.pk, now=moment)


def test_a_cancel_schedules_the_first_round_after_the_undo_buffer(cancelled, settings):
    assert cancelled.start == freed_at(9)
    assert cancelled.status == FreedTimeStatus.WAITING
    assert scheduled_rounds() == [NOW + timedelta(seconds=settings.WAITLIST_UNDO_SECONDS)]


def test_a_cancel_undone_inside_the_buffer_sends_nothing(cancelled, visit):
    join(visit)
    deliver_queued_emails()
    Appointment.objects.filter(pk=cancelled.cancelled_id).update(status=AppointmentStatus.BOOKED)

    assert round_at(cancelled, NOW + timedelta(minutes=5)) == []

    cancelled.refresh_from_db()
    assert cancelled.status == FreedTimeStatus.GONE
    assert deliver_queued_emails() == []


def test_offers_go_three_at_a_time_and_the_next_three_when_the_hold_lapses(cancelled, visit):
    entries = [join(visit, now=NOW - timedelta(days=10 - n)) for n in range(5)]
    deliver_queued_emails()
    start = NOW + timedelta(minutes=5)

    first = round_at(cancelled, start)
    assert [offer.entry for offer in first] == entries[:3]
    assert sorted(email.to[0] for email in deliver_queued_emails()) == sorted(
        entry.email for entry in entries[:3]
    )
    # Still held: a round run early sends nothing and waits for the hold to lapse.
    assert round_at(cancelled, start + timedelta(minutes=14)) == []
    assert start + timedelta(minutes=15) in scheduled_rounds()

    second = round_at(cancelled, start + timedelta(minutes=15))
    assert [offer.entry for offer in second] == entries[3:]
    assert {offer.outcome for offer in WaitlistOffer.objects.filter(round=1)} == {"lapsed"}

    assert round_at(cancelled, start + timedelta(minutes=30)) == []
    cancelled.refresh_from_db()
    assert cancelled.status == FreedTimeStatus.UNFILLED
    assert cancelled.rounds == 2


def test_no_offer_is_sent_in_quiet_hours_the_round_waits_for_eight(dana, visit):
    late = local(2029, 12, 31, 20, 58)
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=freed_at(9))
    cancel_appointment(appointment=appointment, reason="", cancelled_by=CancelledBy.STAFF, now=late)
    freed = FreedTime.objects.get()
    join(visit)
    deliver_queued_emails()

    assert round_at(freed, late + timedelta(minutes=5)) == []
    assert deliver_queued_emails() == []
    assert local(2030, 1, 1, 8) in scheduled_rounds()

    assert len(round_at(freed, local(2030, 1, 1, 8))) == 1


def test_the_offer_email_names_the_time_clinician_and_type_and_links_the_offer(cancelled, visit):
    join(visit, email="ana@example.com")
    deliver_queued_emails()
    [offer] = round_at(cancelled, NOW + timedelta(minutes=5))

    [email] = deliver_queued_emails()

    assert email.to == ["ana@example.com"]
    assert "Monday, January 7, 2030 at 9:00 AM" in email.body
    assert "Dana Lee" in email.body
    assert "Follow-up visit" in email.body
    assert f"/waitlist/offer/{offer.token}/" in email.body
    assert "10:20 AM" in email.body  # held 15 minutes from 10:05


def test_the_first_accept_books_and_the_next_is_told_someone_else_took_it(cancelled, visit):
    winner, loser = join(visit), join(visit)
    first, second = round_at(cancelled, NOW + timedelta(minutes=5))

    appointment = accept_offer(offer=first, now=NOW + timedelta(minutes=7))
    with pytest.raises(OfferTaken, match="someone else took it; you are still on the waitlist"):
        accept_offer(offer=second, now=NOW + timedelta(minutes=8))

    assert appointment.start == freed_at(9)
    assert appointment.patient_email == winner.email
    cancelled.refresh_from_db()
    assert cancelled.filled_by == appointment
    assert list(WaitlistEntry.objects.all()) == [loser]  # the winner leaves the list
    second.refresh_from_db()
    assert second.outcome == OfferOutcome.TOO_LATE


def test_an_accept_after_the_hold_lapsed_still_books_if_the_time_is_free(cancelled, visit):
    join(visit)
    [offer] = round_at(cancelled, NOW + timedelta(minutes=5))
    round_at(cancelled, NOW + timedelta(minutes=25))  # lapses it; nobody else to offer

    appointment = accept_offer(offer=offer, now=NOW + timedelta(hours=2))

    assert appointment.status == AppointmentStatus.BOOKED
    assert Appointment.objects.filter(start=freed_at(9), status="booked").count() == 1


def test_an_accept_of_a_time_booked_meanwhile_refuses_and_keeps_the_entry(cancelled, dana, visit):
    entry = join(visit)
    [offer] = round_at(cancelled, NOW + timedelta(minutes=5))
    make_appointment(clinician=dana, appointment_type=visit, start=freed_at(9))

    with pytest.raises(OfferTaken):
        accept_offer(offer=offer, now=NOW + timedelta(minutes=6))

    assert list(WaitlistEntry.objects.all()) == [entry]
    cancelled.refresh_from_db()
    assert cancelled.filled_at is None


def test_moving_a_later_visit_up_frees_its_time_and_offers_it_in_turn(cancelled, dana, visit):
    later = make_appointment(
        clinician=dana, appointment_type=visit, start=freed_at(9) + timedelta(days=7)
    )
    join(visit, appointment=later)
    [offer] = round_at(cancelled, NOW + timedelta(minutes=5))

    moved = accept_offer(offer=offer, now=NOW + timedelta(minutes=6))

    assert moved.pk == later.pk
    assert moved.start == freed_at(9)
    freed_in_turn = FreedTime.objects.exclude(pk=cancelled.pk).get()
    assert freed_in_turn.start == freed_at(9) + timedelta(days=7)
    assert NOW + timedelta(minutes=11) in scheduled_rounds()


def test_when_everyone_in_a_round_says_not_this_one_the_next_round_runs_now(cancelled, visit):
    join(visit)
    [offer] = round_at(cancelled, NOW + timedelta(minutes=5))
    declined_at = NOW + timedelta(minutes=6)

    decline_offer(offer=offer, now=declined_at)

    offer.refresh_from_db()
    assert offer.outcome == OfferOutcome.DECLINED
    assert declined_at in scheduled_rounds()
    assert WaitlistEntry.objects.count() == 1


def test_time_off_that_cancels_a_visit_frees_its_time_for_the_waitlist(dana, visit):
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=freed_at(9))
    time_off = TimeOff(clinician=dana, start=freed_at(8), end=freed_at(10))

    save_time_off(time_off=time_off, cancel=[appointment], now=NOW)

    freed = FreedTime.objects.get()
    assert freed.cancelled == appointment
    # Inside the time off, so no patient could book it: nobody is offered it.
    join(visit)
    assert round_at(freed, NOW + timedelta(minutes=5)) == []
    freed.refresh_from_db()
    assert freed.status == FreedTimeStatus.GONE


def test_a_visit_moved_to_another_time_frees_the_old_one_for_the_waitlist(dana, visit):
    from intake.booking import Slot, reschedule_appointment

    appointment = make_appointment(clinician=dana, appointment_type=visit, start=freed_at(9))
    new_start = freed_at(14)

    reschedule_appointment(
        appointment=appointment,
        slot=Slot(
            start=new_start,
            end=new_start + visit.duration,
            clinician_id=dana.pk,
            clinician_name=str(dana),
        ),
        now=NOW,
    )

    freed = FreedTime.objects.get()
    assert (freed.start, freed.clinician) == (freed_at(9), dana)
    entry = join(visit)
    [offer] = round_at(freed, NOW + timedelta(minutes=5))
    assert offer.entry == entry
