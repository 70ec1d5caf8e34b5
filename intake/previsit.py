"""Before your visit: opening a patient's form, saving it section by section, reminding.

No HTTP here. The booking calls `open_previsit` inside its transaction, so a visit and
its form exist together or not at all. Each section is one write with a row lock, so
two tabs saving at once cannot lose each other's answers. A section counts as saved
once its key is in `PreVisit.answers` (the measures and consent keep their answers in
their own rows and leave a marker there).

The safety section asks the general screening and the red-flag questions of each body
area the patient named (the knee's are its self-check's), decided with the same
`intake.triage.triage`, so a warning sign gets the same advice here as in the self-check.
A red flag reaches a person the same day: the visit goes to the top of Today's urgent
list and the front desk is emailed to call.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac

from intake import emails, times
from intake.measures import ItemScale, score
from intake.models import (
    Appointment,
    AppointmentStatus,
    BeforeVisitForm,
    ConsentSignature,
    ConsentText,
    Measure,
    MeasureResponse,
    PreVisit,
    PreVisitKind,
    PreVisitStatus,
    QuestionKind,
    Questionnaire,
    SafetyArea,
    TriageOutcome,
)
from intake.selfcheck import load_spec, questions_version
from intake.triage import QuestionnaireSpec, QuestionSpec, TriageResult, triage

RED_FLAG_OUTCOMES = (TriageOutcome.EMERGENCY, TriageOutcome.SEE_DOCTOR)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str

    def saved_message(self) -> str:
        """What the patient reads once it is saved; a title that is a question ("How are
        you doing?") takes no full stop after it."""
        return f"Saved: {self.title}" + ("" if self.title.endswith(("?", "!", ".")) else ".")


CONTACT = Section("contact", "Your contact details")
REASONS = Section("reasons", "What brings you in")
HISTORY = Section("history", "Your health history")
SAFETY = Section("safety", "Safety questions")
MEASURES = Section("measures", "How your problem affects you")
CHECK_IN = Section("measures", "How are you doing?")
CONSENT = Section("consent", "Consent and privacy")

FIRST_VISIT_SECTIONS = (CONTACT, REASONS, HISTORY, SAFETY, MEASURES, CONSENT)
FOLLOW_UP_SECTIONS = (CHECK_IN,)


def sections_for(previsit: PreVisit) -> tuple[Section, ...]:
    """The sections this form asks, in order."""
    if previsit.kind == PreVisitKind.FOLLOW_UP:
        return FOLLOW_UP_SECTIONS
    return FIRST_VISIT_SECTIONS


def section_named(previsit: PreVisit, slug: str) -> Section | None:
    return next((s for s in sections_for(previsit) if s.slug == slug), None)


def is_saved(previsit: PreVisit, section: Section) -> bool:
    """Saved, and for the safety questions saved for every body area now named: a patient
    who adds their shoulder after answering for the knee is asked the shoulder's too."""
    saved = previsit.answers.get(section.slug)
    if saved is None:
        return False
    if section == SAFETY and isinstance(saved, dict) and "areas" in saved:
        return set(safety_areas(previsit)) <= set(saved["areas"])
    return True


def next_section(previsit: PreVisit, *, after: Section | None = None) -> Section | None:
    """The first unsaved section after `after` (or from the start), wrapping round once;
    None when every section is saved."""
    order = sections_for(previsit)
    start = order.index(after) + 1 if after in order else 0
    for section in order[start:] + order[:start]:
        if not is_saved(previsit, section):
            return section
    return None


# Opening the form when a visit is booked.


def open_previsit(*, appointment: Appointment) -> PreVisit | None:
    """The before-visit form for a just-booked appointment, when its type asks for one.

    A follow-up asks every FOLLOW_UP_MEASURES_EVERY-th follow-up of the patient (since
    their first visit) and repeats the activities of their latest first-visit form
    (same email, any case). Call it inside the booking's transaction, after the
    appointment is saved.
    """
    kind = appointment.appointment_type.before_visit
    if kind == BeforeVisitForm.FIRST_VISIT:
        previsit = PreVisit(appointment=appointment, kind=PreVisitKind.FIRST_VISIT)
    elif kind == BeforeVisitForm.FOLLOW_UP:
        episode = (
            PreVisit.objects.of_patient(appointment.patient_email)
            .filter(kind=PreVisitKind.FIRST_VISIT, appointment__start__lt=appointment.start)
            .order_by("-appointment__start")
            .select_related("appointment")
            .first()
        )
        if _follow_up_number(appointment, episode) % settings.FOLLOW_UP_MEASURES_EVERY:
            return None
        previsit = PreVisit(appointment=appointment, kind=PreVisitKind.FOLLOW_UP, episode=episode)
    else:
        return None
    previsit.issue_token()
    previsit.save()
    return previsit


def follow_up_check_in(appointment: Appointment, *, now: datetime) -> PreVisit | None:
    """The appointment's "How are you doing?" form while the patient can still fill it
    in: what the 24-hour reminder links to."""
    previsit = (
        PreVisit.objects.filter(appointment=appointment, kind=PreVisitKind.FOLLOW_UP)
        .not_done()
        .first()
    )
    if previsit is None or not previsit.link_open(now):
        return None
    return previsit


def first_visit_form(appointment: Appointment, *, now: datetime) -> PreVisit | None:
    """The appointment's first-visit form while its link is open: what the booking
    confirmation page links to."""
    previsit = PreVisit.objects.filter(
        appointment=appointment, kind=PreVisitKind.FIRST_VISIT
    ).first()
    if previsit is None or not previsit.link_open(now):
        return None
    return previsit


def first_visit_form_to_finish(appointment: Appointment, *, now: datetime) -> PreVisit | None:
    """The appointment's first-visit form while the patient still has it to fill in (link
    open, not done): what the email about a moved visit links to again. A follow-up's
    "How are you doing?" link waits for the new time's 24-hour reminder, as at booking."""
    previsit = first_visit_form(appointment, now=now)
    if previsit is None or previsit.status == PreVisitStatus.DONE:
        return None
    return previsit


def _follow_up_number(appointment: Appointment, episode: PreVisit | None) -> int:
    """Which follow-up of the patient this is (1, 2, 3...), counting active ones since the
    first visit of the episode."""
    follow_ups = (
        Appointment.objects.active()
        .filter(
            appointment_type__before_visit=BeforeVisitForm.FOLLOW_UP,
            patient_email__iexact=appointment.patient_email,
            start__lte=appointment.start,
        )
        .exclude(pk=appointment.pk)
    )
    if episode is not None:
        follow_ups = follow_ups.filter(start__gt=episode.appointment.start)
    return follow_ups.count() + 1


# Saving sections.


def save_section(
    *, previsit: PreVisit, section: Section, data: Mapping[str, object], now: datetime
) -> PreVisit:
    """Save a section whose answers are plain data (contact, reasons, history)."""
    with transaction.atomic():
        locked = _lock(previsit)
        _record(locked, section.slug, dict(data), now)
    return locked


def safety_areas(previsit: PreVisit) -> list[str]:
    """The body areas the patient named in "What brings you in" (or, before that is
    saved, on their lead), in the order named. A form saved when the answer was one
    area holds a string."""
    named = previsit.answers.get(REASONS.slug, {}).get("body_area")
    lead = previsit.appointment.lead
    if not named and lead is not None:
        # A lead's self-check is the runner's knee's, as "What brings you in" assumes.
        named = lead.body_area or (SafetyArea.KNEE.value if lead.answers else "")
    if isinstance(named, str):
        named = [named]
    return [str(area) for area in named or []]


def safety_spec(
    *, areas: Iterable[str] = (), slugs: Iterable[str] | None = None
) -> QuestionnaireSpec | None:
    """The safety questions for these body areas as one questionnaire: the general
    screening, then each named area's set once (the knee's is its self-check), decided
    together by `triage`; None when there is none. Staff reading a saved form pass the
    `slugs` it was asked from, so the wording the patient read stays readable."""
    if slugs is not None:
        questionnaires = Questionnaire.objects.filter(slug__in=list(slugs))
    else:
        questionnaires = Questionnaire.objects.asked_before_visit(areas)
    found = sorted(
        questionnaires.with_content(), key=lambda q: SafetyArea.values.index(q.safety_area)
    )
    if not found:
        return None
    specs = [load_spec(questionnaire) for questionnaire in found]
    questions = tuple(question for spec in specs for question in spec.questions)
    return QuestionnaireSpec(
        slug=",".join(spec.slug for spec in specs),
        title="Safety questions",
        intro="",
        questions=questions,
        # Within an outcome, the general screening's rules first, then each area's.
        rules=tuple(
            replace(rule, order=index * 100_000 + rule.order)
            for index, spec in enumerate(specs)
            for rule in spec.rules
        ),
        version=questions_version(questions),
    )


def safety_questions(spec: QuestionnaireSpec) -> list[QuestionSpec]:
    """The questions that can call for medical care, and those they depend on, in order.

    A question counts when one of its answers is a red flag on its own, or raises a flag
    (or the pain level) an emergency or see-a-doctor rule looks at; the questions that
    decide whether it is asked come along, so triage sees it as the self-check does.
    """
    urgent_rules = [rule for rule in spec.rules if rule.outcome in RED_FLAG_OUTCOMES]
    urgent_flags = set().union(*(rule.any_flags | rule.all_flags for rule in urgent_rules))
    asks_pain = any(rule.pain_at_least is not None for rule in urgent_rules)
    by_key = {question.key: question for question in spec.questions}
    wanted: set[str] = set()
    for question in spec.questions:
        if any(choice.red_flag or choice.flags & urgent_flags for choice in question.choices) or (
            asks_pain and question.kind == QuestionKind.PAIN_SCALE
        ):
            key = question.key
            while key and key not in wanted:
                wanted.add(key)
                key = by_key[key].show_if_key if key in by_key else ""
    return [question for question in spec.questions if question.key in wanted]


def known_safety_answers(previsit: PreVisit) -> dict[str, list[str]]:
    """Safety answers the form already knows and so never asks: the age bands, from the
    date of birth the patient gave in their contact details (their age on the visit day)."""
    born = previsit.answers.get(CONTACT.slug, {}).get("date_of_birth")
    try:
        birthday = date.fromisoformat(born) if isinstance(born, str) else None
    except ValueError:
        birthday = None
    if birthday is None:
        return {}
    on = previsit.appointment.local_start.date()
    age = on.year - birthday.year - ((on.month, on.day) < (birthday.month, birthday.day))
    band = "under_16" if age < 16 else "55_or_over" if age >= 55 else "16_to_54"
    return {"age": [band], "age_8_to_16": ["yes" if 8 <= age <= 16 else "no"]}


@dataclass(frozen=True)
class Prefill:
    """An answer the patient already gave elsewhere, offered (editable) with where from."""

    values: list[str]
    source: str  # "from your self-check on May 3"


def safety_prefill(previsit: PreVisit, questions: Sequence[QuestionSpec]) -> dict[str, Prefill]:
    """Answers to these questions the patient already gave: in the self-check they sent
    with their lead (matched by the question's words and the answer's label), and in
    their health history (pregnancy, diabetes)."""
    found: dict[str, Prefill] = {}
    by_text = {" ".join(q.text.casefold().split()): q for q in questions}
    lead = previsit.appointment.lead
    if lead is not None and isinstance(lead.answers, list):
        local = times.local(lead.created_at)
        source = f"from your self-check on {local:%B} {local.day}"
        for row in lead.answers:
            if not isinstance(row, dict):
                continue
            question = by_text.get(" ".join(str(row.get("question", "")).casefold().split()))
            if question is None:
                continue
            labels = {part.strip() for part in str(row.get("answer", "")).split(",")}
            values = [value for value, label in question.options() if label in labels]
            if values:
                found[question.key] = Prefill(values, source)
    history = previsit.answers.get(HISTORY.slug, {})
    keys = {question.key for question in questions}
    pregnancy = history.get("pregnancy")
    if "pregnant_recent" in keys and pregnancy in ("pregnant", "postpartum", "not_relevant"):
        answer = "no" if pregnancy == "not_relevant" else "yes"
        found["pregnant_recent"] = Prefill([answer], "from your health history")
    if "diabetes" in keys and isinstance(history.get("conditions"), list):
        answer = "yes" if "diabetes" in history["conditions"] else "no"
        found["diabetes"] = Prefill([answer], "from your health history")
    return found


def save_safety(
    *,
    previsit: PreVisit,
    spec: QuestionnaireSpec,
    areas: Sequence[str],
    answers: Mapping[str, Sequence[str]],
    now: datetime,
) -> TriageResult:
    """Save the safety answers and decide them with the self-check's triage.

    A red-flag outcome flags the visit for a clinician and puts it at the top of Today's
    urgent list, and the front desk is emailed at once to call the patient today (in the
    same transaction, so neither happens without the other). Answering again without a
    red flag never clears the flag: a clinician has to read it. A new red flag after a
    clinician's review flags the visit again.
    """
    result = triage(questions=spec.questions, rules=spec.rules, answers=answers)
    red_flag = result.calls_for_care
    with transaction.atomic():
        locked = _lock(previsit)
        data = {
            "answers": {key: list(values) for key, values in answers.items()},
            "asked": spec.slug.split(","),
            "areas": list(areas),
            "outcome": result.outcome.value if red_flag else "",
            "explanation": result.explanation if red_flag else "",
            "rules": list(result.fired) if red_flag else [],
            "same_day": result.same_day if red_flag else False,
        }
        flag_anew = red_flag and (not locked.needs_review or locked.reviewed_at is not None)
        if flag_anew:
            locked.red_flag_outcome = result.outcome.value
            locked.needs_review = True
            locked.reviewed_by = None
            locked.reviewed_at = None
        elif red_flag and not _more_urgent_recorded(locked.red_flag_outcome, result.outcome):
            locked.red_flag_outcome = result.outcome.value
        _record(locked, SAFETY.slug, data, now)
        if flag_anew:
            emails.queue_previsit_urgent(locked)
    previsit.refresh_from_db()
    return result


def _more_urgent_recorded(recorded: str, outcome: TriageOutcome) -> bool:
    return recorded == TriageOutcome.EMERGENCY and outcome != TriageOutcome.EMERGENCY


@dataclass(frozen=True)
class MeasureAnswer:
    """One rated item: the item's key, what was rated (the question, or the activity the
    patient named) and the rating, None when left blank."""

    item: str
    label: str
    value: int | None


def save_measures(
    *,
    previsit: PreVisit,
    answers: Mapping[Measure, Sequence[MeasureAnswer]],
    now: datetime,
) -> PreVisit:
    """Store each measure's answers with its score; blanks are kept as None and do not
    count (see `intake.measures.score`). `answers` measures come `with_items()`."""
    with transaction.atomic():
        locked = _lock(previsit)
        for measure, rated in answers.items():
            items = {item.key: item for item in measure.items.all()}
            scales = [
                ItemScale(items[answer.item].scale_min, items[answer.item].scale_max)
                for answer in rated
            ]
            MeasureResponse.objects.update_or_create(
                previsit=locked,
                measure=measure,
                defaults={
                    "answers": [
                        {"item": a.item, "label": a.label, "value": a.value} for a in rated
                    ],
                    "score": score(
                        scoring=measure.scoring, values=[a.value for a in rated], scales=scales
                    ),
                },
            )
        _record(locked, MEASURES.slug, {"saved": True}, now)
    return locked


def episode_activities(previsit: PreVisit, measure: Measure) -> list[str]:
    """The activities the patient named at the start of the episode, for a measure whose
    items they name; [] when there is no episode or they named none."""
    if previsit.episode_id is None:
        return []
    response = MeasureResponse.objects.filter(
        previsit_id=previsit.episode_id, measure=measure
    ).first()
    if response is None:
        return []
    return [answer["label"] for answer in response.answers if answer.get("label")]


def consent_address_hash(client_address: str) -> str:
    """A keyed hash of the address a consent was sent from: it can show two signatures
    came from the same place without keeping the address itself."""
    return salted_hmac("intake.previsit.consent", client_address, algorithm="sha256").hexdigest()


def sign_consents(
    *,
    previsit: PreVisit,
    texts: Sequence[ConsentText],
    typed_name: str,
    client_address: str,
    now: datetime,
) -> list[ConsentSignature]:
    """Record the patient's agreement to these versions of the texts. Signing the same
    version again keeps the first signature; a newer version is signed on its own."""
    address_hash = consent_address_hash(client_address)
    with transaction.atomic():
        locked = _lock(previsit)
        signatures = [
            ConsentSignature.objects.get_or_create(
                previsit=locked,
                consent_text=text,
                defaults={
                    "typed_name": typed_name,
                    "signed_at": now,
                    "client_address_hash": address_hash,
                },
            )[0]
            for text in texts
        ]
        _record(locked, CONSENT.slug, {"versions": {t.kind: t.version for t in texts}}, now)
    return signatures


def _lock(previsit: PreVisit) -> PreVisit:
    return PreVisit.objects.select_for_update().get(pk=previsit.pk)


def _record(previsit: PreVisit, slug: str, data: dict, now: datetime) -> None:
    """Store one section and move the status on: in progress at the first save, done
    when every section is saved."""
    previsit.answers = {**previsit.answers, slug: data}
    if previsit.started_at is None:
        previsit.started_at = now
    if next_section(previsit) is None:
        if previsit.status != PreVisitStatus.DONE:
            previsit.completed_at = now
        previsit.status = PreVisitStatus.DONE
    else:
        previsit.status = PreVisitStatus.IN_PROGRESS
    previsit.save()


# The reminder before the visit.


def send_due_previsit_reminders(*, now: datetime) -> int:
    """Queue one reminder for each form due one (PreVisitQuerySet.due_for_reminder);
    return how many were queued."""
    due = PreVisit.objects.due_for_reminder(now)
    return sum(send_previsit_reminder(previsit, now=now) for previsit in due)


def send_previsit_reminder(previsit: PreVisit, *, now: datetime) -> bool:
    """Claim the form's reminder with a conditional UPDATE and queue it in the same
    transaction; False when another run claimed it first, or the form was finished or
    the visit cancelled meanwhile."""
    with transaction.atomic():
        claimed = (
            PreVisit.objects.not_done()
            .filter(
                pk=previsit.pk,
                reminder_sent_at__isnull=True,
                appointment__status=AppointmentStatus.BOOKED,
            )
            .update(reminder_sent_at=now)
        )
        if claimed:
            emails.queue_previsit_reminder(previsit)
    return bool(claimed)
