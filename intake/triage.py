"""The self-check decision: which outcome a set of answers gets, and the rule that decided it.

Pure functions over plain dataclasses (no HTTP, no database), so every answer
combination can be tested quickly. Outcomes are tried in a fixed order, most
urgent first; within an outcome, rules in their `order`. The first rule that
matches decides, and every Emergency or See-a-doctor rule that matched is named
too, so staff see each reason. Under the rules lies a safety net: an answer marked
as a red flag on its own makes the result at least that urgent, so a red flag
always wins even if a rule is missing or mistyped.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from intake.models.selfcheck import QuestionKind, TriageOutcome

PRIORITY = (
    TriageOutcome.EMERGENCY,
    TriageOutcome.SEE_DOCTOR,
    TriageOutcome.PATELLOFEMORAL,
    TriageOutcome.BOOK_EVALUATION,
)
RANK: dict[str, int] = {outcome: rank for rank, outcome in enumerate(PRIORITY)}
PAIN_SCALE = tuple(str(level) for level in range(11))

# Answers: question key -> the chosen values (one for most questions, several
# for multiple choice, "0".."10" for a pain scale).
Answers = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class ChoiceSpec:
    value: str
    label: str
    flags: frozenset[str] = frozenset()
    red_flag: str = ""  # "", or the TriageOutcome value this answer alone calls for


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    kind: QuestionKind
    step: int
    choices: tuple[ChoiceSpec, ...] = ()
    help_text: str = ""
    step_title: str = ""
    show_if_key: str = ""  # ask only when this earlier question's answer...
    show_if_values: frozenset[str] = frozenset()  # ...is one of these values

    @cached_property
    def choices_by_value(self) -> dict[str, ChoiceSpec]:
        return {choice.value: choice for choice in self.choices}

    @cached_property
    def values(self) -> frozenset[str]:
        """Every answer value a patient can give."""
        if self.kind == QuestionKind.PAIN_SCALE:
            return frozenset(PAIN_SCALE)
        return frozenset(self.choices_by_value)

    def options(self) -> list[tuple[str, str]]:
        """(value, label) pairs a patient picks from."""
        if self.kind == QuestionKind.PAIN_SCALE:
            return [(level, pain_label(level)) for level in PAIN_SCALE]
        return [(choice.value, choice.label) for choice in self.choices]

    def answer_text(self, values: Sequence[str]) -> str:
        """The answer as the patient read it, e.g. "Going down stairs, Downhill"."""
        if self.kind == QuestionKind.PAIN_SCALE:
            return f"{values[0]} out of 10" if values else ""
        labels = [label for value, label in self.options() if value in values]
        return ", ".join(labels) if labels else "None of these"


@dataclass(frozen=True)
class RuleSpec:
    name: str
    outcome: TriageOutcome
    explanation: str
    order: int = 0
    any_flags: frozenset[str] = frozenset()
    any_at_least: int = 1
    all_flags: frozenset[str] = frozenset()
    pain_at_least: int | None = None
    links: tuple[tuple[str, str], ...] = ()  # (path, label)
    same_day: bool = False  # See a doctor first: today, not just this week

    def has_conditions(self) -> bool:
        return bool(self.any_flags or self.all_flags or self.pain_at_least is not None)

    def matches(self, flags: frozenset[str], pain: int | None) -> bool:
        """True when every condition the rule has holds; a rule with none never matches."""
        if not self.has_conditions():
            return False
        if self.any_flags and len(self.any_flags & flags) < max(self.any_at_least, 1):
            return False
        if not self.all_flags <= flags:
            return False
        return self.pain_at_least is None or (pain is not None and pain >= self.pain_at_least)


@dataclass(frozen=True)
class QuestionnaireSpec:
    slug: str
    title: str
    intro: str
    questions: tuple[QuestionSpec, ...]
    rules: tuple[RuleSpec, ...]
    version: str = ""

    @property
    def steps(self) -> list[int]:
        return sorted({question.step for question in self.questions})


@dataclass(frozen=True)
class TriageResult:
    outcome: TriageOutcome
    rule_name: str
    explanation: str
    links: tuple[tuple[str, str], ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)
    fired: tuple[str, ...] = ()  # every urgent rule that matched, most urgent first
    same_day: bool = False  # an Emergency, or a See-a-doctor rule that says today

    @property
    def calls_for_care(self) -> bool:
        return self.outcome in URGENT


URGENT = (TriageOutcome.EMERGENCY, TriageOutcome.SEE_DOCTOR)


FALLBACK_RULE = "No other rule matched: book an evaluation"
FALLBACK_EXPLANATION = (
    "Your answers do not point to one clear cause, and they show no warning signs. "
    "A physical therapist can find out what is going on and help you get back to running. "
    "Book an evaluation, or call us with any questions."
)
SAFETY_NET_EXPLANATION = {
    TriageOutcome.EMERGENCY: (
        "One of your answers can be a sign of a serious injury or infection. "
        "Call 911 or go to an emergency department now."
    ),
    TriageOutcome.SEE_DOCTOR: (
        "One of your answers is a warning sign that a doctor should check first. "
        "Please see your doctor before starting exercises or physical therapy."
    ),
}


def pain_label(level: str) -> str:
    return {"0": "0 (no pain)", "10": "10 (worst pain you can imagine)"}.get(level, level)


def is_visible(question: QuestionSpec, answers: Answers) -> bool:
    """Whether the patient is asked this question, given their earlier answers."""
    if not question.show_if_key:
        return True
    return not question.show_if_values.isdisjoint(answers.get(question.show_if_key, ()))


def visible_answers(*, questions: Iterable[QuestionSpec], answers: Answers) -> dict[str, tuple]:
    """Only the answers to questions the patient was asked, with only known values.

    Questions are visited in order, so a follow-up whose earlier question is now
    hidden is hidden too; an answer left over from going Back and changing an
    earlier answer never counts.
    """
    kept: dict[str, tuple] = {}
    for question in questions:
        if question.key in answers and is_visible(question, kept):
            kept[question.key] = tuple(v for v in answers[question.key] if v in question.values)
    return kept


def triage(
    *, questions: Sequence[QuestionSpec], rules: Sequence[RuleSpec], answers: Answers
) -> TriageResult:
    """The outcome for these answers and the rule that decided it."""
    answers = visible_answers(questions=questions, answers=answers)
    flags: set[str] = set()
    pain: int | None = None
    floor_rank = len(PRIORITY)  # the most urgent red-flag answer given, if any
    floor_label = ""
    for question in questions:
        values = answers.get(question.key)
        if not values:
            continue
        if question.kind == QuestionKind.PAIN_SCALE:
            pain = max(int(value) for value in values)
            continue
        for value in values:
            choice = question.choices_by_value[value]
            flags.update(choice.flags)
            if choice.red_flag and RANK[choice.red_flag] < floor_rank:
                floor_rank = RANK[choice.red_flag]
                floor_label = f"{question.text} {choice.label}"
    raised = frozenset(flags)
    urgent = [
        rule for rule in sorted(rules, key=_priority)
        if rule.outcome in URGENT and rule.matches(raised, pain)
    ]  # fmt: skip
    fired = tuple(rule.name for rule in urgent)
    same_day = any(rule.same_day or rule.outcome == TriageOutcome.EMERGENCY for rule in urgent)
    for rule in sorted(rules, key=_priority):
        if RANK[rule.outcome] > floor_rank:
            break  # a red-flag answer that no rule caught: the safety net below decides
        if rule.matches(raised, pain):
            return TriageResult(
                rule.outcome,
                rule.name,
                rule.explanation,
                rule.links,
                raised,
                fired=fired or (rule.name,),
                same_day=same_day,
            )
    if floor_rank < len(PRIORITY):
        outcome = PRIORITY[floor_rank]
        name = f"Red-flag answer (safety net): {floor_label}"
        return TriageResult(
            outcome,
            name,
            SAFETY_NET_EXPLANATION[outcome],
            flags=raised,
            fired=(*fired, name),
            same_day=same_day or outcome == TriageOutcome.EMERGENCY,
        )
    return TriageResult(
        TriageOutcome.BOOK_EVALUATION,
        FALLBACK_RULE,
        FALLBACK_EXPLANATION,
        flags=raised,
        fired=(FALLBACK_RULE,),
    )


def _priority(rule: RuleSpec) -> tuple[int, int]:
    return RANK[rule.outcome], rule.order
