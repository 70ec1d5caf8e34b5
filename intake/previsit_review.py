"""Staff reading a before-visit form: the summary a clinician prints, the read log entry
every reading leaves, and marking a red flag reviewed.

The summary shows each stored answer with the question the patient read: the labels and
choices come from the patient's own section forms (intake.forms.previsit) and the
safety questions from the self-check they were asked from, so there is one wording to
keep. A section, question or choice it does not know (a form changed since, or a stored
shape like a lead's [{"question", "answer"}]) still shows, in words made from its
stored name; nothing the patient typed is reworded. Nothing here knows HTTP.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.forms import DateField, Form
from django.utils.dateformat import format as format_date
from django.utils.html import strip_tags

from intake.forms.previsit import ContactForm, HistoryForm, ReasonsForm
from intake.models import (
    Appointment,
    ConsentSignature,
    MeasureResponse,
    PreVisit,
    ReadAction,
    ReadLogEntry,
    TriageOutcome,
)
from intake.phone import display_phone
from intake.previsit import safety_spec
from intake.selfcheck import answer_summary
from intake.triage import QuestionnaireSpec

# The patient form's sections in the order it asks them: the stored name, the staff's
# title, and the form whose fields word the questions (None when none does).
SECTIONS = (
    ("contact", "Contact details", ContactForm),
    ("reasons", "What brings them in", ReasonsForm),
    ("history", "Health history", HistoryForm),
    ("safety", "Safety questions", None),
)
# Shown from their own rows (measure responses, consent signatures), not from `answers`.
SHOWN_ELSEWHERE = frozenset({"measures", "consent"})
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str

    @property
    def prompt(self) -> str:
        """The question with a colon, unless it ends in its own punctuation."""
        return self.question if self.question.endswith(("?", ":", ".")) else f"{self.question}:"


@dataclass(frozen=True)
class Section:
    title: str
    answers: list[Answer]


@dataclass(frozen=True)
class Wording:
    """How the patient's form asked one field: its question and its choices' labels."""

    question: str
    choices: Mapping[str, str]
    is_date: bool = False


def form_wording(form: type[Form] | None) -> dict[str, Wording]:
    """Each field of the patient's section form as the patient read it; empty when there
    is no such form (the answers then read in words made from their stored names)."""
    if form is None:
        return {}
    return {
        name: Wording(
            question=strip_tags(str(field.label or "")).strip() or words(name),
            choices={str(value): str(label) for value, label in getattr(field, "choices", ())},
            is_date=isinstance(field, DateField),
        )
        for name, field in form.base_fields.items()
    }


def words(name: str) -> str:
    """A stored name as words: "date_of_birth" -> "Date of birth"."""
    text = str(name).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def plain(value: object, *, choices: Mapping[str, str] | None = None) -> str:
    """A stored value in plain words: a choice by its label, yes/no for a tick, a list
    joined. Text the patient typed is shown as typed."""
    if value is None or value == "" or value == [] or value == {}:
        return NOT_ANSWERED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(plain(item, choices=choices) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{words(key)}: {plain(item)}" for key, item in value.items())
    return (choices or {}).get(str(value), str(value))


def date_in_words(stored: str) -> str:
    """A date as staff read it, "July 14, 1991", from the ISO form it is stored in."""
    try:
        return format_date(date.fromisoformat(stored), "F j, Y")
    except ValueError:
        return plain(stored)


def _answer(name: str, value: object, wording: Mapping[str, Wording]) -> Answer:
    known = wording.get(name)
    if isinstance(value, str) and name.endswith("phone") and value.startswith("+"):
        return Answer(known.question if known else words(name), display_phone(value))
    if known is None:
        return Answer(words(name), plain(value))
    if known.is_date and isinstance(value, str):
        return Answer(known.question, date_in_words(value))
    return Answer(known.question, plain(value, choices=known.choices))


def _safety_answers(section: Mapping, spec: QuestionnaireSpec | None) -> list[Answer]:
    given = {key: tuple(values) for key, values in (section.get("answers") or {}).items()}
    if spec is None:
        return [Answer(words(key), plain(list(values))) for key, values in given.items()]
    return [Answer(row["question"], row["answer"]) for row in answer_summary(spec, given)]


def answer_sections(
    answers: Mapping,
    *,
    safety_spec: QuestionnaireSpec | None = None,
    wording: Callable[[type | None], dict[str, Wording]] = form_wording,
) -> list[Section]:
    """Each saved section's answers, in the order the form asks them."""
    known = {name: (title, form) for name, title, form in SECTIONS}
    order = [name for name, _, _ in SECTIONS]

    def position(name: str) -> tuple[int, str]:
        return (order.index(name) if name in order else len(order), name)

    sections = []
    for name in sorted(answers, key=position):
        if name in SHOWN_ELSEWHERE:
            continue
        title, form = known.get(name, (words(name), None))
        section = answers[name]
        if name == "safety" and isinstance(section, dict):
            rows = _safety_answers(section, safety_spec)
        elif isinstance(section, dict):
            fields = wording(form) if form else {}
            rows = [_answer(str(key), value, fields) for key, value in section.items()]
        elif _is_question_list(section):
            rows = [Answer(str(row["question"]), plain(row.get("answer"))) for row in section]
        else:
            rows = [Answer(words(name), plain(section))]
        sections.append(Section(title, rows))
    return sections


def _is_question_list(section: object) -> bool:
    return isinstance(section, list) and all(
        isinstance(row, dict) and "question" in row for row in section
    )


# A form saved before the safety questions came per body area was asked the knee's.
ASKED_BEFORE_BODY_AREAS = ("runners-knee",)


def safety_wording(previsit: PreVisit) -> QuestionnaireSpec | None:
    """The safety questions as this patient was asked them (whether or not still asked)."""
    saved = previsit.answers.get("safety")
    if not isinstance(saved, dict):
        return None
    asked = saved.get("asked")
    slugs = asked if isinstance(asked, list) else ASKED_BEFORE_BODY_AREAS
    return safety_spec(slugs=[str(slug) for slug in slugs])


def red_flag_words(outcome: str) -> str:
    """The triage outcome as staff read it on the self-check too."""
    if not outcome:
        return "No red-flag answers."
    if outcome in TriageOutcome.values:
        return TriageOutcome(outcome).label
    return words(outcome)


def for_summary(appointment_id: int) -> PreVisit | None:
    """The appointment's form with everything the summary shows, in three queries."""
    return (
        PreVisit.objects.select_related(
            "appointment__clinician",
            "appointment__appointment_type",
            "reviewed_by",
            "episode",
        )
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=MeasureResponse.objects.select_related("measure").order_by(
                    "measure__position", "measure__name"
                ),
            ),
            Prefetch(
                "signatures",
                queryset=ConsentSignature.objects.select_related("consent_text"),
            ),
        )
        .filter(appointment_id=appointment_id)
        .first()
    )


def record_answers_read(*, appointment: Appointment, user: User) -> ReadLogEntry:
    """Log one staff reading of an appointment's before-visit answers (the summary, or the
    scores on the appointment's page), against its lead (kept and purged with it); the
    appointment is named too, and alone when it has no lead."""
    return ReadLogEntry.objects.create(
        lead_id=appointment.lead_id,
        appointment=appointment,
        user=user,
        action=ReadAction.VIEWED_PREVISIT,
    )


def mark_reviewed(*, previsit: PreVisit, user: User, now: datetime) -> bool:
    """Record who reviewed a flagged form and when; False when it was not flagged or
    someone already did (a conditional update, so two clicks keep the first)."""
    changed = PreVisit.objects.filter(
        pk=previsit.pk, needs_review=True, reviewed_at__isnull=True
    ).update(reviewed_by=user, reviewed_at=now, updated_at=now)
    return bool(changed)
