"""Home exercise programmes: every write and decision, with no HTTP.

A clinician assigns a programme (from a protocol's exercises and doses, or from scratch),
revises it (each save a new version, the link unchanged), approves a step up, ends it;
the patient logs a session a day and picks reminders. The admin's screens and the
patient's pages call these functions and nothing else writes.

"Once a day" is the database's unique key on (programme, day), and "one reminder a day"
a conditional UPDATE of `reminded_on`, so two taps, two tabs or two reminder runs at once
still write once. Only exercises published in the library can be added: a draft has not
been clinically reviewed, so it never reaches a patient.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from education.models import Exercise, Protocol
from intake import adherence, emails
from intake.models import (
    Appointment,
    Lead,
    Programme,
    ProgrammeExercise,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeVersion,
    ReadAction,
    ReadLogEntry,
)
from intake.models.programmes import Per, dose_text
from intake.times import clinic_zone

# Adherence falls as programmes get longer: more than this many exercises shows a warning.
WARN_OVER_EXERCISES = 4
# Flags on Today.
NO_SESSION_DAYS = 3
HIGH_PAIN = 7
PAIN_RISE = 2
HIGH_EFFORT = 9
# A log with pain this high shows the patient the advice to stop and call.
STOP_PAIN = 8
# Progression: this many logged sessions in a row, each with pain and effort at most these.
PROGRESSION_SESSIONS = 3
PROGRESSION_MAX_PAIN = 3
PROGRESSION_MAX_EFFORT = 6


class DraftExercise(ValueError):
    """An exercise that is not published in the library cannot be given to a patient."""


@dataclass(frozen=True)
class Dose:
    """One exercise with its dose and note, as a clinician sets it."""

    exercise: Exercise
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    per_side: str = ""
    times: int = 1
    per: str = Per.DAY
    note: str = ""

    def dose_text(self) -> str:
        return dose_text(
            sets=self.sets,
            reps=self.reps,
            hold_seconds=self.hold_seconds,
            per_side=self.per_side,
            times=self.times,
            per=self.per,
        )

    def to_json(self) -> dict:
        return {
            "exercise": self.exercise.pk,
            "name": self.exercise.name,
            "dose": self.dose_text(),
            "note": self.note,
            "sets": self.sets,
            "reps": self.reps,
            "hold_seconds": self.hold_seconds,
            "per_side": self.per_side,
            "times": self.times,
            "per": self.per,
        }

    @classmethod
    def of(cls, row: ProgrammeExercise) -> "Dose":
        return cls(
            exercise=row.exercise,
            sets=row.sets,
            reps=row.reps,
            hold_seconds=row.hold_seconds,
            per_side=row.per_side,
            times=row.times,
            per=row.per,
            note=row.note,
        )


def doses_from_protocol(protocol: Protocol) -> list[Dose]:
    """A protocol's published exercises with their doses, as a starting point: the lower
    end of each range (a clinician steps up from there), "to fatigue" as a note, and the
    protocol's days a week (every day when it does not say)."""
    doses = []
    for step in protocol.steps.select_related("exercise").filter(exercise__status="published"):
        frequency = step.frequency_min
        doses.append(
            Dose(
                exercise=step.exercise,
                sets=step.sets_min,
                reps=step.reps_min,
                hold_seconds=step.hold_seconds,
                per_side=step.per_side,
                times=frequency if frequency and frequency < 7 else 1,
                per=Per.WEEK if frequency and frequency < 7 else Per.DAY,
                note="Repeat until your muscles feel tired." if step.to_fatigue else "",
            )
        )
    # "To fatigue" alone has no number: one set, which the clinician changes if need be.
    return [d if (d.sets or d.reps or d.hold_seconds) else replace(d, sets=1) for d in doses]


def _check_published(doses: Sequence[Dose]) -> None:
    ids = {dose.exercise.pk for dose in doses}
    published = set(Exercise.objects.published().filter(pk__in=ids).values_list("pk", flat=True))
    if ids - published:
        names = sorted(d.exercise.name for d in doses if d.exercise.pk not in published)
        raise DraftExercise(f"Not published in the library yet: {', '.join(names)}.")


def _snapshot(note: str, doses: Sequence[Dose]) -> dict:
    return {"note": note, "exercises": [dose.to_json() for dose in doses]}


def _days_per_week(doses: Sequence[Dose]) -> int:
    return adherence.days_per_week((dose.times, dose.per) for dose in doses)


def _write_rows(programme: Programme, doses: Sequence[Dose]) -> None:
    programme.exercises.all().delete()
    ProgrammeExercise.objects.bulk_create(
        ProgrammeExercise(
            programme=programme,
            exercise=dose.exercise,
            order=position,
            sets=dose.sets,
            reps=dose.reps,
            hold_seconds=dose.hold_seconds,
            per_side=dose.per_side,
            times=dose.times,
            per=dose.per,
            note=dose.note,
        )
        for position, dose in enumerate(doses, start=1)
    )


def describe_changes(before: dict, after: dict) -> str:
    """What a version changed, one clause per change: "Step-down: 3 sets of 10, once a day
    → 3 sets of 12, once a day; added Wall sit; removed Hip abduction"."""
    old = {row["exercise"]: row for row in before.get("exercises", [])}
    new = {row["exercise"]: row for row in after.get("exercises", [])}
    parts = []
    for key, row in new.items():
        if key not in old:
            parts.append(f"added {row['name']} ({row['dose']})")
            continue
        if old[key]["dose"] != row["dose"]:
            parts.append(f"{row['name']}: {old[key]['dose']} → {row['dose']}")
        if old[key]["note"] != row["note"]:
            parts.append(f"{row['name']}: note changed")
    parts += [f"removed {row['name']}" for key, row in old.items() if key not in new]
    if [k for k in old if k in new] != [k for k in new if k in old]:
        parts.append("order changed")
    if before.get("note", "") != after.get("note", ""):
        parts.append("programme note changed")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def assign_programme(
    *,
    patient_name: str,
    patient_email: str,
    doses: Sequence[Dose],
    note: str,
    by: User,
    now: datetime,
    appointment: Appointment | None = None,
    lead: Lead | None = None,
) -> Programme:
    """Create a programme with its first version and queue the email with its link."""
    if not doses:
        raise ValueError("A programme needs at least one exercise.")
    _check_published(doses)
    if lead is None and appointment is not None:
        lead = appointment.lead
    with transaction.atomic():
        programme = Programme(
            lead=lead,
            appointment=appointment,
            patient_name=patient_name,
            patient_email=patient_email,
            note=note,
            started_on=now.astimezone(clinic_zone()).date(),
            created_by=by,
        )
        programme.issue_token()
        programme.save()
        _write_rows(programme, doses)
        ProgrammeVersion.objects.create(
            programme=programme,
            number=1,
            created_by=by,
            created_at=now,
            changes=f"First version: {len(doses)} exercise{'s' if len(doses) != 1 else ''}",
            days_per_week=_days_per_week(doses),
            snapshot=_snapshot(note, doses),
        )
        emails.queue_programme_email(programme, "programme_sent")
    return programme


def revise_programme(
    *,
    programme: Programme,
    doses: Sequence[Dose],
    note: str,
    by: User,
    now: datetime,
    email_patient: bool = True,
) -> ProgrammeVersion | None:
    """Save a new version (the link stays the same); None when nothing changed or the
    programme has ended. The patient is told by email that it changed (not what)."""
    if not doses:
        raise ValueError("A programme needs at least one exercise.")
    _check_published(doses)
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if locked.status != ProgrammeStatus.ACTIVE:
            return None
        latest = locked.versions.order_by("-number").first()
        before = latest.snapshot if latest else {}
        after = _snapshot(note, doses)
        changes = describe_changes(before, after)
        if not changes:
            return None
        locked.note = note
        locked.save(update_fields=["note", "updated_at"])
        _write_rows(locked, doses)
        version = ProgrammeVersion.objects.create(
            programme=locked,
            number=(latest.number if latest else 0) + 1,
            created_by=by,
            created_at=now,
            changes=changes,
            days_per_week=_days_per_week(doses),
            snapshot=after,
        )
        if email_patient:
            emails.queue_programme_email(locked, "programme_updated")
    programme.note = note
    return version


def end_programme(*, programme: Programme, by: User, now: datetime) -> bool:
    """End it: the link then says so and gives the phone number; no more reminders.
    False when it had already ended."""
    with transaction.atomic():
        ended = Programme.objects.filter(pk=programme.pk, status=ProgrammeStatus.ACTIVE).update(
            status=ProgrammeStatus.ENDED,
            ended_on=now.astimezone(clinic_zone()).date(),
            reminder_time=None,
            updated_at=now,
        )
        if ended:
            programme.refresh_from_db()
            emails.queue_programme_email(programme, "programme_ended")
    return bool(ended)


@dataclass(frozen=True)
class SessionDetails:
    """How it went: every part optional."""

    pain: int | None = None
    effort: int | None = None
    note: str = ""
    feedback: dict[str, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return self.pain is None and self.effort is None and not self.note and not self.feedback


@dataclass(frozen=True)
class Logged:
    session: ProgrammeSession
    created: bool  # False: today was already logged
    details_saved: bool


def log_session(
    *, programme: Programme, now: datetime, details: SessionDetails = SessionDetails()
) -> Logged:
    """Record today's session (the clinic's date), once a day. Pressed again the same
    day, it logs nothing new; details sent then fill in or replace how it went."""
    day = adherence.session_day(now, clinic_zone())
    version = programme.current_version_number() or 1
    values = {
        "pain": details.pain,
        "effort": details.effort,
        "note": details.note,
        "feedback": details.feedback,
    }
    try:
        with transaction.atomic():
            session = ProgrammeSession.objects.create(
                programme=programme, day=day, logged_at=now, version=version, **values
            )
        return Logged(session=session, created=True, details_saved=not details.is_empty())
    except IntegrityError:
        session = ProgrammeSession.objects.get(programme=programme, day=day)
    if details.is_empty():
        return Logged(session=session, created=False, details_saved=False)
    ProgrammeSession.objects.filter(pk=session.pk).update(updated_at=now, **values)
    session.refresh_from_db()
    return Logged(session=session, created=False, details_saved=True)


def set_reminder(*, programme: Programme, at: time | None) -> None:
    """The patient's choice: an email on planned days at `at` (clinic time), or none."""
    Programme.objects.filter(pk=programme.pk, status=ProgrammeStatus.ACTIVE).update(
        reminder_time=at
    )
    programme.reminder_time = at


def mark_flags_seen(*, programme: Programme, now: datetime) -> None:
    """The clinician has seen what the flags said: they clear until something new."""
    Programme.objects.filter(pk=programme.pk).update(flags_seen_at=now)
    programme.flags_seen_at = now


def record_programme_read(*, programme: Programme, user: User) -> ReadLogEntry | None:
    """Log a clinician seeing a programme's logs (pain, effort, notes), against its lead
    (kept and purged with it), or its appointment when it has no lead."""
    if programme.lead_id is None and programme.appointment_id is None:
        return None
    return ReadLogEntry.objects.create(
        lead_id=programme.lead_id,
        appointment_id=programme.appointment_id,
        user=user,
        action=ReadAction.VIEWED_PROGRAMME,
    )


# Reminders.


def reminder_due(programme: Programme, *, now: datetime, logged_today: bool) -> bool:
    """Whether today's reminder should go now: an active programme with reminders on,
    today a planned day, past the chosen time, not yet sent today, not yet done today."""
    if not programme.is_active or programme.reminder_time is None or logged_today:
        return False
    local = now.astimezone(clinic_zone())
    today = local.date()
    if programme.reminded_on == today or local.time() < programme.reminder_time:
        return False
    periods = programme.plan_periods()
    rate = next((p.days_per_week for p in reversed(periods) if p.start <= today), 0)
    return today.weekday() in adherence.planned_weekdays(rate)


def send_due_programme_reminders(*, now: datetime) -> int:
    """Queue today's reminders that are due; returns how many. Each is claimed with a
    conditional UPDATE in the same transaction as its email, so overlapping runs never
    send two for the same day."""
    today = adherence.session_day(now, clinic_zone())
    candidates = Programme.objects.reminder_candidates().prefetch_related(
        Prefetch(
            "versions",
            queryset=ProgrammeVersion.objects.only(
                "programme", "number", "created_at", "days_per_week"
            ),
        ),
        Prefetch(
            "sessions",
            queryset=ProgrammeSession.objects.filter(day=today),
            to_attr="today_sessions",
        ),
    )
    sent = 0
    for programme in candidates:
        if not reminder_due(programme, now=now, logged_today=bool(programme.today_sessions)):
            continue
        with transaction.atomic():
            claimed = (
                Programme.objects.active()
                .filter(pk=programme.pk, reminder_time__isnull=False)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            )
            if claimed:
                emails.queue_programme_email(programme, "programme_reminder")
                sent += 1
    return sent


# What the clinician sees.


@dataclass(frozen=True)
class Flag:
    severity: int  # higher is worse
    text: str
    health: bool  # says something about pain, effort or a note: clinicians only


def flags_for(
    *,
    sessions: Sequence[ProgrammeSession],
    started_on: date,
    today: date,
    seen_at: datetime | None,
) -> list[Flag]:
    """Why a programme needs a look, worst first. Sessions logged before the clinician
    last marked the flags seen raise none; nor does a gap they had already seen."""
    tz = clinic_zone()
    seen_day = seen_at.astimezone(tz).date() if seen_at else None
    days = [s.day for s in sessions]
    quiet_since = max([started_on, *days, *([seen_day] if seen_day else [])])
    flags = []
    gap = (today - quiet_since).days
    if gap >= NO_SESSION_DAYS:
        flags.append(Flag(2, f"No session logged for {gap} days", health=False))
    new = [s for s in sessions if seen_at is None or s.updated_at > seen_at]
    first_week = [s.pain for s in sessions if s.pain is not None and (s.day - started_on).days < 7]
    baseline = sum(first_week) / len(first_week) if first_week else None
    worst = max((s.pain for s in new if s.pain is not None), default=None)
    if worst is not None and worst >= HIGH_PAIN:
        flags.append(Flag(4, f"Pain {worst} out of 10", health=True))
    elif worst is not None and baseline is not None and worst >= baseline + PAIN_RISE:
        flags.append(
            Flag(3, f"Pain {worst}: up from a first-week average of {baseline:.1f}", health=True)
        )
    effort = max((s.effort for s in new if s.effort is not None), default=None)
    if effort is not None and effort >= HIGH_EFFORT:
        flags.append(Flag(2, f"Effort {effort} out of 10", health=True))
    notes = [s for s in new if s.note]
    if notes:
        flags.append(
            Flag(1, f"{len(notes)} note{'s' if len(notes) > 1 else ''} from the patient", True)
        )
    return sorted(flags, key=lambda f: -f.severity)


@dataclass
class Flagged:
    programme: Programme
    flags: list[Flag]
    week: adherence.Adherence

    @property
    def worst(self) -> int:
        return max((flag.severity for flag in self.flags), default=0)


def home_programme_flags(*, today: date, include_health: bool) -> list[Flagged]:
    """Today's "Home programmes" list: active programmes with a flag, worst first, in
    three queries however many there are. Without `include_health` (the front desk)
    only the no-session flag shows: pain, effort and notes are health data."""
    programmes = (
        Programme.objects.active()
        .only(
            "pk",
            "patient_name",
            "started_on",
            "ended_on",
            "flags_seen_at",
            "lead_id",
            "appointment_id",
            "status",
        )
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ProgrammeVersion.objects.only(
                    "programme", "number", "created_at", "days_per_week"
                ),
            ),
            Prefetch("sessions", queryset=ProgrammeSession.objects.order_by("day")),
        )
    )
    flagged = []
    for programme in programmes:
        sessions = list(programme.sessions.all())
        flags = flags_for(
            sessions=sessions,
            started_on=programme.started_on,
            today=today,
            seen_at=programme.flags_seen_at,
        )
        if not include_health:
            flags = [flag for flag in flags if not flag.health]
        if flags:
            week = adherence.last_days(
                periods=programme.plan_periods(),
                logged=[s.day for s in sessions],
                today=today,
                days=7,
            )
            flagged.append(Flagged(programme=programme, flags=flags, week=week))
    return sorted(flagged, key=lambda f: (-f.worst, -len(f.flags), f.programme.patient_name))


def suggests_progression(sessions: Iterable[ProgrammeSession], *, since_version: int) -> bool:
    """Three logged sessions in a row, the latest ones, all at the current version and each
    with pain 3 or less and effort 6 or less: time to consider stepping up. Never applied
    by itself; a clinician approves it."""
    latest = sorted(sessions, key=lambda s: s.day, reverse=True)[:PROGRESSION_SESSIONS]
    return len(latest) == PROGRESSION_SESSIONS and all(
        s.version >= since_version
        and s.pain is not None
        and s.effort is not None
        and s.pain <= PROGRESSION_MAX_PAIN
        and s.effort <= PROGRESSION_MAX_EFFORT
        for s in latest
    )


def next_dose(dose: Dose) -> Dose:
    """A step up to offer: 2 more reps, else 5 more seconds' hold, else one more set."""
    if dose.reps:
        return replace(dose, reps=dose.reps + 2)
    if dose.hold_seconds:
        return replace(dose, hold_seconds=dose.hold_seconds + 5)
    return replace(dose, sets=(dose.sets or 0) + 1)


def approve_progression(
    *,
    programme: Programme,
    row: ProgrammeExercise,
    to: Dose,
    by: User,
    now: datetime,
) -> ProgrammeVersion | None:
    """Step one exercise up to the dose the clinician picked: a new version, emailed."""
    rows = list(programme.exercises.select_related("exercise").order_by("order", "pk"))
    doses = [to if current.pk == row.pk else Dose.of(current) for current in rows]
    return revise_programme(programme=programme, doses=doses, note=programme.note, by=by, now=now)


def today_local(now: datetime) -> date:
    return adherence.session_day(now, clinic_zone())


def fourteen_days(logged: Iterable[date], *, today: date) -> list[tuple[date, bool]]:
    """The patient's strip: each of the last 14 days, oldest first, and whether it was logged."""
    done = set(logged)
    return [(day, day in done) for day in (today - timedelta(days=n) for n in range(13, -1, -1))]


@dataclass
class Step:
    """A progression on offer for one exercise: its row and the dose to step up to."""

    row: ProgrammeExercise
    to: Dose


@dataclass
class Summary:
    """What a clinician's page shows of one programme. Without health access (the front
    desk) only the programme's existence and adherence are filled in."""

    programme: Programme
    week: adherence.Adherence
    month: adherence.Adherence
    rtm_days: int
    rtm_band: str
    rtm_from: date
    rows: list[ProgrammeExercise] = field(default_factory=list)
    versions: list[ProgrammeVersion] = field(default_factory=list)
    sessions: list[ProgrammeSession] = field(default_factory=list)
    # Each session, newest first, with its skipped and too-hard exercises in words.
    session_rows: list[tuple[ProgrammeSession, str]] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    chart: object = None
    health: bool = False


def summaries(
    programmes: Iterable[Programme], *, today: date, include_health: bool
) -> list[Summary]:
    """Each programme's summary from prefetched rows (`with_clinician_content`)."""
    from intake.charts import ratings_chart

    result = []
    for number, programme in enumerate(programmes, start=1):
        sessions = sorted(programme.sessions.all(), key=lambda s: s.day)
        logged = [s.day for s in sessions]
        periods = programme.plan_periods()
        ended = programme.ended_on
        rtm, rtm_from = adherence.rtm_days(
            logged=logged, started_on=programme.started_on, today=today
        )
        summary = Summary(
            programme=programme,
            week=adherence.last_days(
                periods=periods, logged=logged, today=today, days=7, ended_on=ended
            ),
            month=adherence.last_days(
                periods=periods, logged=logged, today=today, days=30, ended_on=ended
            ),
            rtm_days=rtm,
            rtm_band=adherence.rtm_band(rtm),
            rtm_from=rtm_from,
        )
        if include_health:
            summary.health = True
            summary.rows = list(programme.exercises.all())
            summary.versions = sorted(programme.versions.all(), key=lambda v: -v.number)
            summary.sessions = sessions[::-1]
            names = {
                str(row["exercise"]): row["name"]
                for version in summary.versions
                for row in version.snapshot.get("exercises", [])
            }
            summary.session_rows = [(s, s.feedback_text(names)) for s in summary.sessions]
            if programme.is_active:
                summary.flags = flags_for(
                    sessions=sessions,
                    started_on=programme.started_on,
                    today=today,
                    seen_at=programme.flags_seen_at,
                )
                current = programme.current_version_number()
                if suggests_progression(sessions, since_version=current):
                    summary.steps = [Step(row, next_dose(Dose.of(row))) for row in summary.rows]
            first = max(programme.started_on, today - timedelta(days=29))
            summary.chart = ratings_chart(
                days=[(s.day, s.pain, s.effort) for s in sessions],
                first=first,
                last=today if programme.is_active else (ended or today),
                chart_id=f"ratings-{number}",
            )
        result.append(summary)
    return result


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def reminder_days_text(programme: Programme, *, today: date) -> str:
    """The days reminders go out, as the patient reads them: "every day", "Monday,
    Wednesday and Friday" (reads the prefetched versions)."""
    periods = programme.plan_periods()
    rate = next((p.days_per_week for p in reversed(periods) if p.start <= today), 0)
    if not rate and periods:
        rate = periods[-1].days_per_week
    days = sorted(adherence.planned_weekdays(rate))
    if len(days) == 7:
        return "every day"
    names = [WEEKDAY_NAMES[day] for day in days]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
