"""Staff reading a before-visit form: the summary a clinician prints, the read log entry
every reading leaves, and marking a red flag reviewed.

The summary turns the stored answers into plain words without knowing each question:
sections arrive as JSON objects of answer names and values (or, like a lead's self-check
answers, a list of {"question", "answer"}), so a section or question the patient form adds
later still shows, titled from its name. Nothing here knows HTTP.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch

from intake.models import (
    ConsentSignature,
    MeasureResponse,
    PreVisit,
    ReadAction,
    ReadLogEntry,
    TriageOutcome,
)

# The order the patient fills the form in; any other section follows, by name.
SECTION_ORDER = ("contact", "about", "reason", "goals", "history", "red_flags")
SECTION_TITLES = {
    "contact": "Contact details",
    "about": "What brings them in",
    "reason": "What brings them in",
    "history": "Health history",
    "red_flags": "Red-flag answers",
}
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str


@dataclass(frozen=True)
class Section:
    title: str
    answers: list[Answer]


def words(name: str) -> str:
    """An answer's stored name as a heading: "date_of_birth" -> "Date of birth"."""
    text = str(name).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def plain(value: object) -> str:
    """A stored value in plain words. Text the patient typed is shown as typed."""
    if value is None or value == "" or value == [] or value == {}:
        return NOT_ANSWERED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(plain(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{words(key)}: {plain(item)}" for key, item in value.items())
    return str(value)


def answer_sections(answers: dict) -> list[Section]:
    """Each saved section's answers, in the order the form asks them."""

    def order(name: str) -> tuple[int, str]:
        known = SECTION_ORDER.index(name) if name in SECTION_ORDER else len(SECTION_ORDER)
        return known, name

    sections = []
    for name in sorted(answers, key=order):
        section = answers[name]
        if isinstance(section, dict):
            rows = [Answer(words(key), plain(value)) for key, value in section.items()]
        elif _is_question_list(section):
            # The self-check's shape (a lead's answers): the question as the patient read it.
            rows = [Answer(str(row["question"]), plain(row.get("answer"))) for row in section]
        else:
            rows = [Answer(words(name), plain(section))]
        sections.append(Section(SECTION_TITLES.get(name, words(name)), rows))
    return sections


def _is_question_list(section: object) -> bool:
    return isinstance(section, list) and all(
        isinstance(row, dict) and "question" in row for row in section
    )


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


def record_answers_read(*, previsit: PreVisit, user: AbstractBaseUser) -> ReadLogEntry:
    """Log one staff reading of the answers, against the appointment's lead (kept and
    purged with it); the appointment is named too, and alone when it has no lead."""
    appointment = previsit.appointment
    return ReadLogEntry.objects.create(
        lead_id=appointment.lead_id,
        appointment=appointment,
        user=user,
        action=ReadAction.VIEWED_PREVISIT,
    )


def mark_reviewed(*, previsit: PreVisit, user: AbstractBaseUser, now: datetime) -> bool:
    """Record who reviewed a flagged form and when; False when it was not flagged or
    someone already did (a conditional update, so two clicks keep the first)."""
    changed = PreVisit.objects.filter(
        pk=previsit.pk, needs_review=True, reviewed_at__isnull=True
    ).update(reviewed_by=user, reviewed_at=now, updated_at=now)
    return bool(changed)
