"""The self-check flow without HTTP: which steps a patient sees, and how answers travel.

Answers are never stored on the server while a patient answers (not in the
database, not in the session). Between steps they live in the patient's own
browser, in one signed cookie (see `intake/views/selfcheck.py`) that also names
the questionnaire, the furthest step reached and the version of the questions;
an altered, foreign or old one is refused. Keeping them in a cookie rather than
in each page's form lets every step answer with a redirect, so the browser's
Back, Forward and Reload show a page instead of "Confirm Form Resubmission".
The cookie holds health details, so it is HttpOnly, Secure, scoped to the
self-check's own path and never put in a URL.

When the patient finishes, the result page hands the answers on to the contact
or booking form the same way: one signed form field (`SelfCheckHandoff`).
Signing stops tampering with the outcome; the token holds health details, so it
travels only in POST bodies over HTTPS.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db.models import QuerySet

from intake.models import OutcomeTally, QuestionKind, Questionnaire, TriageOutcome
from intake.models.selfcheck import YES_NO_DEFAULT, split_codes
from intake.triage import (
    Answers,
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    RuleSpec,
    is_visible,
    triage,
    visible_answers,
)

SALT = "intake.selfcheck.steps"
MAX_AGE_SECONDS = 2 * 60 * 60

HANDOFF_SALT = "intake.selfcheck.handoff"
HANDOFF_MAX_AGE_SECONDS = 60 * 60 * 4
HANDOFF_FIELD_NAME = "selfcheck_token"


class RefusedForm(Exception):
    """A step form we must not act on; the message says why, in words a patient understands."""


def load_spec(questionnaire: Questionnaire) -> QuestionnaireSpec:
    """The questionnaire as plain data; use a row fetched `with_content()` (no more queries)."""
    questions = tuple(
        QuestionSpec(
            key=question.key,
            text=question.text,
            kind=QuestionKind(question.kind),
            step=question.step,
            step_title=question.step_title,
            help_text=question.help_text,
            choices=tuple(
                ChoiceSpec(
                    value=choice.value,
                    label=choice.label,
                    flags=frozenset(split_codes(choice.flags)),
                    red_flag=choice.red_flag,
                )
                for choice in question.choices.all()
            )
            or default_choices(question.kind),
            show_if_key=question.show_if_question.key if question.show_if_question else "",
            show_if_values=frozenset(split_codes(question.show_if_values)),
        )
        for question in questionnaire.questions.all()
    )
    rules = tuple(
        RuleSpec(
            name=rule.name,
            outcome=TriageOutcome(rule.outcome),
            explanation=rule.explanation,
            order=rule.order,
            any_flags=frozenset(split_codes(rule.any_flags)),
            any_at_least=rule.any_at_least,
            all_flags=frozenset(split_codes(rule.all_flags)),
            pain_at_least=rule.pain_at_least,
            same_day=rule.same_day,
            links=tuple(
                (page.get_absolute_url(), label)
                for page, label in [
                    (rule.guide, rule.guide_label),
                    (rule.protocol, rule.protocol_label),
                ]
                if page is not None
            ),
        )
        for rule in questionnaire.rules.all()
    )
    return QuestionnaireSpec(
        slug=questionnaire.slug,
        title=questionnaire.title,
        intro=questionnaire.intro,
        questions=questions,
        rules=rules,
        version=questions_version(questions),
    )


def record_sign_off(
    *, questionnaires: "QuerySet[Questionnaire]", by: AbstractBaseUser, now: datetime
) -> int:
    """A clinician vouches for these questionnaires' clinical wording: who and when come
    from their login and the clock, never a typed field. Returns how many were signed."""
    return questionnaires.update(signed_off_by=by, signed_off_at=now)


def default_choices(kind: str) -> tuple[ChoiceSpec, ...]:
    if kind == QuestionKind.YES_NO:
        return tuple(ChoiceSpec(value, label) for value, label in YES_NO_DEFAULT)
    return ()


def questions_version(questions: Sequence[QuestionSpec]) -> str:
    """A digest of what is asked: a form issued before the questions changed is refused."""
    shape = [
        (q.key, q.kind, q.step, q.show_if_key, sorted(q.show_if_values))
        + tuple(c.value for c in q.choices)
        for q in questions
    ]
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Progress:
    """Where a patient is: their answers, the furthest step they may open, and whether
    they have finished (then every step they were asked can be opened again)."""

    answers: dict[str, list[str]]
    reached: int
    finished: bool = False

    def may_open(self, spec: QuestionnaireSpec, step: int) -> bool:
        return (self.finished or step <= self.reached) and bool(
            step_questions(spec, step, self.answers)
        )


def fresh_progress(spec: QuestionnaireSpec) -> Progress:
    return Progress(answers={}, reached=first_step(spec) or 0)


def dump_progress(spec: QuestionnaireSpec, progress: Progress) -> str:
    payload = {
        "q": spec.slug,
        "v": spec.version,
        "r": progress.reached,
        "f": progress.finished,
        "a": {key: list(values) for key, values in progress.answers.items()},
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def load_progress(spec: QuestionnaireSpec, value: str) -> Progress:
    """The progress in a cookie value, or RefusedForm saying why we cannot use it."""
    try:
        payload = signing.loads(value, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as expired:
        raise RefusedForm("This check was open for too long, so your answers have expired.") from (
            expired
        )
    except signing.BadSignature as bad:
        raise RefusedForm("We could not read your answers.") from bad
    if not isinstance(payload, dict) or payload.get("q") != spec.slug:
        raise RefusedForm("These answers belong to another self-check.")
    if payload.get("v") != spec.version:
        raise RefusedForm("The questions changed while you were answering.")
    answers = payload.get("a")
    if not isinstance(answers, dict) or not isinstance(payload.get("r"), int):
        raise RefusedForm("We could not read your answers.")
    return Progress(
        answers={str(key): [str(v) for v in values] for key, values in answers.items()},
        reached=payload["r"],
        finished=payload.get("f") is True,
    )


def step_questions(spec: QuestionnaireSpec, step: int, answers: Answers) -> list[QuestionSpec]:
    """The questions a patient is asked on this step, given their earlier answers."""
    earlier = visible_answers(questions=spec.questions, answers=answers)
    return [q for q in spec.questions if q.step == step and is_visible(q, earlier)]


def step_title(spec: QuestionnaireSpec, step: int) -> str:
    titles = [q.step_title for q in spec.questions if q.step == step and q.step_title]
    return titles[0] if titles else "Questions"


def first_step(spec: QuestionnaireSpec) -> int | None:
    return next_step(spec, {}, after=0)


def next_step(spec: QuestionnaireSpec, answers: Answers, *, after: int) -> int | None:
    """The next step with a question to ask, or None when the check is complete."""
    return next((s for s in spec.steps if s > after and step_questions(spec, s, answers)), None)


def previous_step(spec: QuestionnaireSpec, answers: Answers, *, before: int) -> int | None:
    steps = [s for s in spec.steps if s < before and step_questions(spec, s, answers)]
    return steps[-1] if steps else None


def section_number(spec: QuestionnaireSpec, step: int) -> tuple[int, int]:
    """(this step's number, how many sections the check has) for "Section 2 of 6".

    Sections are numbered once for everyone, so the number only ever grows as a
    patient goes forward and the total never changes; steps that do not apply to
    this patient are skipped over rather than renumbered.
    """
    return spec.steps.index(step) + 1, len(spec.steps)


def with_step_answers(
    spec: QuestionnaireSpec,
    answers: Answers,
    *,
    step: int,
    new: Mapping[str, Sequence[str]],
) -> dict[str, list[str]]:
    """Answers with this step's replaced by `new`; hidden questions of the step are dropped."""
    updated = {key: list(values) for key, values in answers.items()}
    for question in spec.questions:
        if question.step == step:
            updated.pop(question.key, None)
    for key, values in new.items():
        updated[key] = list(values)
    return updated


def answer_step(
    *,
    questionnaire: Questionnaire,
    spec: QuestionnaireSpec,
    answers: Answers,
    step: int,
    new: Mapping[str, Sequence[str]],
) -> Progress:
    """The patient's progress after answering `step` with `new`: on to the next step, or
    finished (no step left, or an emergency answer), which counts the outcome once in the
    day's anonymous tally."""
    answers = with_step_answers(spec, answers, step=step, new=new)
    following = next_step(spec, answers, after=step)
    result = triage(questions=spec.questions, rules=spec.rules, answers=answers)
    if following is None or result.outcome == TriageOutcome.EMERGENCY:
        OutcomeTally.objects.bump(questionnaire=questionnaire, outcome=result.outcome)
        return Progress(answers=answers, reached=step, finished=True)
    return Progress(answers=answers, reached=following)


def answer_summary(spec: QuestionnaireSpec, answers: Answers) -> list[dict[str, str]]:
    """The answers a patient was asked, as [{"question", "answer"}] in the order asked."""
    kept = visible_answers(questions=spec.questions, answers=answers)
    return [
        {"question": q.text, "answer": q.answer_text(kept[q.key])}
        for q in spec.questions
        if q.key in kept
    ]


@dataclass(frozen=True)
class SelfCheckHandoff:
    """A finished self-check the patient may send with a contact request or a booking."""

    questionnaire: str  # the questionnaire's slug
    outcome: str  # an intake.models.TriageOutcome value
    rule: str  # the name of the rule that decided the outcome
    answers: list[dict[str, str]] = field(default_factory=list)  # [{"question", "answer"}]


def dump_handoff(handoff: SelfCheckHandoff) -> str:
    return signing.dumps(asdict(handoff), salt=HANDOFF_SALT, compress=True)


def load_handoff(token: str) -> SelfCheckHandoff | None:
    """The hand-off in a token, or None when it is missing, altered or too old."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=HANDOFF_SALT, max_age=HANDOFF_MAX_AGE_SECONDS)
        return SelfCheckHandoff(**data)
    except (signing.BadSignature, TypeError):
        return None
