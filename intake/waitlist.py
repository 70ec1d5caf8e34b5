"""The waitlist: who hears about a freed time, in what order, and who gets it.

A cancelled visit becomes a FreedTime. Its first round of offers runs
WAITLIST_UNDO_SECONDS later, through the task queue's run-after, so a cancel that is
undone meanwhile (the time is booked again) sends nothing: every round first asks the
booking rules (`slots_at`: hours, notice, window, buffers, time off) whether a patient
could still book the time. A round offers the time to WAITLIST_ROUND_SIZE matching
entries, each holding a claim for WAITLIST_HOLD_MINUTES; the next round runs when the
holds lapse, and no round runs during quiet hours (it waits for the morning).

Accepting goes through `book_appointment` (or `reschedule_appointment` for a patient
moving a later visit up). The first accept claims the freed time with one conditional
UPDATE inside the booking transaction, so of any number of parallel accepts one books
and the others are told the time is gone, and stay on the list; the database's
no-overlap constraint backs that up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import default_task_backend
from django.utils import timezone

from intake import emails
from intake.booking import (
    Patient,
    Slot,
    SlotTaken,
    TooLateToChange,
    book_appointment,
    find_slots,
    reschedule_appointment,
    slots_at,
)
from intake.leads import record_waitlist_lead
from intake.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Clinician,
    FreedTime,
    FreedTimeStatus,
    Lead,
    OfferOutcome,
    WaitlistEntry,
    WaitlistOffer,
)
from intake.models.waitlist import CLOSED_FREED_STATUSES
from intake.times import clinic_zone


class OfferTaken(Exception):
    """The offered time went to someone else (or is no longer free)."""

    def __init__(
        self, message: str = "Sorry, someone else took it; you are still on the waitlist."
    ) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class WaitlistChoice:
    """What a patient asks to wait for."""

    appointment_type: AppointmentType
    clinician: Clinician | None
    weekdays: list[int]
    parts_of_day: list[str]
    from_date: date
    until_date: date


def join_waitlist(
    *,
    choice: WaitlistChoice,
    patient: Patient,
    appointment: Appointment | None = None,
    lead: Lead | None = None,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Put the patient on the waitlist for the visit type, or update their entry for it
    (one per email and type), and email them the private link to see, change or leave it.

    `appointment` is their booked visit of that type, from its manage page: taking an
    offered time moves it rather than booking a second visit. `lead` is the caller's lead
    when staff add them from its page; otherwise the visit's lead, or their open lead
    found (or started) by `record_waitlist_lead`, so the entry goes when the lead's
    details are purged.
    """
    now = now or timezone.now()
    fields: dict[str, object] = {
        "clinician": choice.clinician,
        "weekdays": sorted(set(choice.weekdays)),
        "parts_of_day": sorted(set(choice.parts_of_day)),
        "from_date": choice.from_date,
        "until_date": choice.until_date,
        "name": patient.name,
        "phone": patient.phone,
    }
    if appointment is not None:
        fields["appointment"] = appointment
    try:
        with transaction.atomic():
            entry = _save_entry(choice=choice, patient=patient, fields=fields, now=now)
            _link_lead(entry, patient=patient, lead=lead or _visit_lead(appointment))
            emails.queue_waitlist_joined(entry)
    except IntegrityError:
        # Two joins of the same person and type at once: the second updates the first.
        with transaction.atomic():
            entry = _save_entry(choice=choice, patient=patient, fields=fields, now=now)
            _link_lead(entry, patient=patient, lead=lead or _visit_lead(appointment))
            emails.queue_waitlist_joined(entry)
    return entry


def _visit_lead(appointment: Appointment | None) -> Lead | None:
    return appointment.lead if appointment is not None else None


def _link_lead(entry: WaitlistEntry, *, patient: Patient, lead: Lead | None) -> None:
    """Tie the entry to the person's lead, once: joining again keeps the lead it has."""
    if entry.lead_id is not None:
        return
    entry.lead = record_waitlist_lead(
        name=patient.name,
        email=patient.email,
        phone=patient.phone,
        visit_type=entry.appointment_type.name,
        lead=lead,
    )
    entry.save(update_fields=["lead"])


def _save_entry(
    *, choice: WaitlistChoice, patient: Patient, fields: dict, now: datetime
) -> WaitlistEntry:
    entry = WaitlistEntry.objects.filter(
        email__iexact=patient.email, appointment_type=choice.appointment_type
    ).first()
    if entry is None:
        entry = WaitlistEntry(
            appointment_type=choice.appointment_type, email=patient.email, created_at=now
        )
        entry.issue_token()
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    return entry


def change_waitlist_entry(*, entry: WaitlistEntry, choice: WaitlistChoice) -> WaitlistEntry:
    """Change what the entry waits for, keeping its place (its time waited)."""
    entry.clinician = choice.clinician
    entry.weekdays = sorted(set(choice.weekdays))
    entry.parts_of_day = sorted(set(choice.parts_of_day))
    entry.from_date = choice.from_date
    entry.until_date = choice.until_date
    entry.save()
    return entry


def leave_waitlist(*, entry: WaitlistEntry) -> None:
    """Remove the entry; offers already sent stay (without it) in the clinic's figures."""
    entry.delete()


def purge_expired_entries(*, today: date) -> int:
    """Remove entries whose end date has passed; return how many."""
    deleted, _ = WaitlistEntry.objects.expired(today).delete()
    return deleted


def is_bookable(
    *,
    appointment_type: AppointmentType,
    clinician_id: int,
    start: datetime,
    now: datetime,
) -> bool:
    """Whether a patient could book this time now, by every booking rule."""
    clinician = Clinician.objects.bookable().filter(pk=clinician_id).first()
    return clinician is not None and bool(
        slots_at(appointment_type=appointment_type, start=start, clinician=clinician, now=now)
    )


def entries_matching(
    *,
    appointment_type: AppointmentType,
    clinician_id: int,
    start: datetime,
    now: datetime,
) -> list[WaitlistEntry]:
    """The entries a freed time suits, best first: type and clinician (or any), date
    range, days and parts of day, and only while the booking rules let a patient book it.

    Order: a clinician's priority on the entry, then patients whose booked visit is later
    than this time (moving them up frees another time), then the longest waiting.
    Patients already booked at or before this time are left out: it is no earlier for them.
    """
    if not is_bookable(
        appointment_type=appointment_type, clinician_id=clinician_id, start=start, now=now
    ):
        return []
    local_day = start.astimezone(clinic_zone()).date()
    candidates = [
        entry
        for entry in WaitlistEntry.objects.for_time(
            appointment_type=appointment_type, clinician_id=clinician_id, local_day=local_day
        )
        if entry.suits(start) and not _already_booked_by(entry, start)
    ]
    return sorted(
        candidates,
        key=lambda entry: (-entry.priority, not entry.has_later_visit(start), entry.created_at),
    )


def _already_booked_by(entry: WaitlistEntry, start: datetime) -> bool:
    visit = entry.appointment
    return visit is not None and visit.status == AppointmentStatus.BOOKED and visit.start <= start


def time_freed(
    *,
    clinician: Clinician,
    appointment_type: AppointmentType,
    start: datetime,
    cancelled: Appointment | None = None,
    now: datetime | None = None,
) -> FreedTime:
    """Record a freed time and schedule its first round of offers after the undo buffer.
    Call it in the transaction that frees the time, so a rollback schedules nothing."""
    now = now or timezone.now()
    freed = FreedTime.objects.create(
        clinician=clinician,
        appointment_type=appointment_type,
        start=start,
        cancelled=cancelled,
        freed_at=now,
    )
    _schedule_round(freed, at=now + timedelta(seconds=settings.WAITLIST_UNDO_SECONDS))
    return freed


def _schedule_round(freed: FreedTime, *, at: datetime) -> None:
    from intake.tasks import run_waitlist_round  # the task module imports this one

    # Enqueued in the caller's transaction, like the emails: a rollback schedules nothing.
    # A backend that cannot wait (the immediate one) would run rounds back to back.
    if default_task_backend.supports_defer:
        run_waitlist_round.using(run_after=at).enqueue(freed_time_id=freed.pk)


def quiet_until(now: datetime) -> datetime | None:
    """The end of the quiet hours when `now` falls in them (clinic time), else None."""
    tz = clinic_zone()
    local = now.astimezone(tz)
    start_hour, end_hour = settings.WAITLIST_QUIET_FROM_HOUR, settings.WAITLIST_QUIET_UNTIL_HOUR
    if local.hour >= start_hour:
        return datetime.combine(local.date() + timedelta(days=1), time(end_hour), tz)
    if local.hour < end_hour:
        return datetime.combine(local.date(), time(end_hour), tz)
    return None


def run_offer_round(*, freed_time_id: int, now: datetime | None = None) -> list[WaitlistOffer]:
    """Offer the freed time to the next entries in order, or wait, or stop; return the
    offers sent. Safe to run twice: the freed time's row is locked while deciding."""
    now = now or timezone.now()
    with transaction.atomic():
        freed = (
            FreedTime.objects.select_for_update()
            .select_related("appointment_type", "clinician")
            .filter(pk=freed_time_id)
            .first()
        )
        if freed is None or freed.status in CLOSED_FREED_STATUSES:
            return []
        if not is_bookable(
            appointment_type=freed.appointment_type,
            clinician_id=freed.clinician_id,
            start=freed.start,
            now=now,
        ):
            return _close(freed, FreedTimeStatus.GONE)
        morning = quiet_until(now)
        if morning is not None:
            _schedule_round(freed, at=morning)
            return []
        holding = freed.offers.filter(outcome=OfferOutcome.SENT, hold_until__gt=now)
        first_lapse = holding.order_by("hold_until").values_list("hold_until", flat=True).first()
        if first_lapse is not None:
            _schedule_round(freed, at=first_lapse)
            return []
        freed.offers.filter(outcome=OfferOutcome.SENT).update(outcome=OfferOutcome.LAPSED)
        offered = set(freed.offers.values_list("entry_id", flat=True))
        # A patient holding another offer hears of this time once that hold is over, so
        # several times freed together (new hours) reach several people, not one 6 times.
        holds_elsewhere = dict(
            WaitlistOffer.objects.filter(outcome=OfferOutcome.SENT, hold_until__gt=now)
            .exclude(freed_time=freed)
            .values_list("entry_id", "hold_until")
        )
        waiting = [
            entry
            for entry in entries_matching(
                appointment_type=freed.appointment_type,
                clinician_id=freed.clinician_id,
                start=freed.start,
                now=now,
            )
            if entry.pk not in offered
        ]
        batch = [entry for entry in waiting if entry.pk not in holds_elsewhere][
            : settings.WAITLIST_ROUND_SIZE
        ]
        if not batch:
            if waiting:
                _schedule_round(freed, at=min(holds_elsewhere[entry.pk] for entry in waiting))
                return []
            return _close(freed, FreedTimeStatus.UNFILLED)
        freed.rounds += 1
        freed.status = FreedTimeStatus.OFFERING
        freed.save(update_fields=["rounds", "status"])
        hold_until = now + timedelta(minutes=settings.WAITLIST_HOLD_MINUTES)
        offers = []
        for entry in batch:
            offer = WaitlistOffer(
                freed_time=freed, entry=entry, round=freed.rounds, sent_at=now,
                hold_until=hold_until,
            )  # fmt: skip
            offer.issue_token()
            offer.save()
            emails.queue_waitlist_offer(offer)
            offers.append(offer)
        _schedule_round(freed, at=hold_until)
    return offers


def _close(freed: FreedTime, status: str) -> list[WaitlistOffer]:
    freed.status = status
    freed.save(update_fields=["status"])
    freed.offers.filter(outcome=OfferOutcome.SENT).update(outcome=OfferOutcome.LAPSED)
    return []


def accept_offer(*, offer: WaitlistOffer, now: datetime | None = None) -> Appointment:
    """Book the offered time for the offer's patient (moving their later visit when they
    have one). Raises OfferTaken when someone else took it or it is no longer free; the
    patient stays on the waitlist then. An accept after the hold lapsed still books if
    the time is free. The winner leaves the waitlist for that type."""
    now = now or timezone.now()
    freed = offer.freed_time
    entry = offer.entry
    if entry is None:
        raise OfferTaken("This offer is no longer open: you left the waitlist.")
    slot = Slot(
        start=freed.start,
        end=freed.start + freed.appointment_type.duration,
        clinician_id=freed.clinician_id,
        clinician_name=str(freed.clinician),
    )
    try:
        with transaction.atomic():
            # The claim: one conditional UPDATE, so parallel accepts queue on this row and
            # only the first finds it unfilled.
            claimed = (
                FreedTime.objects.filter(pk=freed.pk, filled_at__isnull=True)
                .exclude(status__in=[FreedTimeStatus.GONE])
                .update(status=FreedTimeStatus.FILLED, filled_at=now)
            )
            if not claimed:
                raise OfferTaken()
            if entry.has_later_visit(freed.start):
                visit = entry.appointment
                assert visit is not None  # has_later_visit says so; this tells the type checker
                # Moving it frees its old time, which reschedule_appointment offers in turn.
                appointment = reschedule_appointment(appointment=visit, slot=slot, now=now)
            else:
                appointment = book_appointment(
                    slot=slot,
                    appointment_type=freed.appointment_type,
                    patient=Patient(name=entry.name, email=entry.email, phone=str(entry.phone)),
                    now=now,
                )
            FreedTime.objects.filter(pk=freed.pk).update(filled_by=appointment)
            WaitlistOffer.objects.filter(pk=offer.pk).update(
                outcome=OfferOutcome.ACCEPTED, answered_at=now
            )
            freed.offers.filter(outcome=OfferOutcome.SENT).update(outcome=OfferOutcome.LAPSED)
            entry.delete()
    except (SlotTaken, TooLateToChange) as error:
        WaitlistOffer.objects.filter(pk=offer.pk).update(
            outcome=OfferOutcome.TOO_LATE, answered_at=now
        )
        if isinstance(error, TooLateToChange):
            raise OfferTaken(
                "Your booked visit is too close to move online. Please call us."
            ) from error
        raise OfferTaken() from error
    except OfferTaken:
        WaitlistOffer.objects.filter(pk=offer.pk).update(
            outcome=OfferOutcome.TOO_LATE, answered_at=now
        )
        raise
    return appointment


def decline_offer(*, offer: WaitlistOffer, now: datetime | None = None) -> None:
    """ "Not this one": the patient stays on the list; when nobody in the round is still
    holding the time, the next round runs now rather than after the hold."""
    now = now or timezone.now()
    with transaction.atomic():
        answered = WaitlistOffer.objects.filter(pk=offer.pk, outcome=OfferOutcome.SENT).update(
            outcome=OfferOutcome.DECLINED, answered_at=now
        )
        freed = offer.freed_time
        still_holding = freed.offers.filter(outcome=OfferOutcome.SENT, hold_until__gt=now)
        if answered and freed.status == FreedTimeStatus.OFFERING and not still_holding.exists():
            _schedule_round(freed, at=now)


def set_waitlist_priority(*, entry: WaitlistEntry, priority: int) -> WaitlistEntry:
    """A clinician's priority for the entry: higher is offered first, from the next round."""
    WaitlistEntry.objects.filter(pk=entry.pk).update(priority=priority, updated_at=timezone.now())
    entry.priority = priority
    return entry


def new_hours_opened(
    *,
    start: datetime,
    end: datetime,
    clinician_ids: list[int] | None = None,
    is_new: Callable[[Slot], bool] | None = None,
    now: datetime | None = None,
) -> list[FreedTime]:
    """Offer times that just became bookable in [start, end) (a closure or time off removed
    or shortened, longer weekly hours) to the waitlist, as freed times going through the
    same undo buffer, rounds and quiet hours as a cancellation's. Call it in the
    transaction that opened the hours, after the change is written.

    Bounded: only times inside each type's booking window (`find_slots`), only times
    suiting someone waiting, at most WAITLIST_NEW_HOURS_TIMES per change, and a new time
    only for entries not already first in line for another one, so one newly open day
    is spread over the people waiting rather than offered to the same three six times.
    `is_new` leaves out times that were bookable before (longer hours keep the old ones).
    """
    now = now or timezone.now()
    limit = settings.WAITLIST_NEW_HOURS_TIMES
    tz = clinic_zone()
    first_day = start.astimezone(tz).date()
    last_day = (end - timedelta(microseconds=1)).astimezone(tz).date()
    waiting = list(
        WaitlistEntry.objects.filter(from_date__lte=last_day, until_date__gte=first_day)
        .select_related("appointment_type", "appointment")
        .order_by("appointment_type_id", "-priority", "created_at")
    )
    if not waiting or limit == 0:
        return []
    clinicians = {c.pk: c for c in Clinician.objects.bookable()}
    in_line: set[int] = set()
    freed: list[FreedTime] = []
    for appointment_type in dict.fromkeys(entry.appointment_type for entry in waiting):
        entries = [entry for entry in waiting if entry.appointment_type == appointment_type]
        slots = find_slots(
            appointment_type=appointment_type, start_date=first_day, end_date=last_day, now=now
        )
        for slot in slots:
            if len(freed) >= limit:
                return freed
            if not start <= slot.start < end or slot.clinician_id not in clinicians:
                continue
            if clinician_ids is not None and slot.clinician_id not in clinician_ids:
                continue
            if is_new is not None and not is_new(slot):
                continue
            day = slot.start.astimezone(tz).date()
            suited = [
                entry
                for entry in entries
                if entry.pk not in in_line
                and entry.clinician_id in (None, slot.clinician_id)
                and entry.from_date <= day <= entry.until_date
                and entry.suits(slot.start)
                and not _already_booked_by(entry, slot.start)
            ]
            if not suited:
                continue
            suited.sort(key=lambda entry: (-entry.priority, not entry.has_later_visit(slot.start)))
            in_line.update(entry.pk for entry in suited[: settings.WAITLIST_ROUND_SIZE])
            freed.append(
                time_freed(
                    clinician=clinicians[slot.clinician_id],
                    appointment_type=appointment_type,
                    start=slot.start,
                    now=now,
                )
            )
    return freed
