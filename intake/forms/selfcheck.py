"""The form for one self-check step: its fields are built from the step's questions."""

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django import forms
from django.utils.html import format_html

from intake.models import QuestionKind
from intake.triage import QuestionSpec

REQUIRED_MESSAGES = {
    QuestionKind.YES_NO: "Choose yes or no.",
    QuestionKind.SINGLE: "Choose the answer that fits best.",
    QuestionKind.PAIN_SCALE: "Choose a number from 0 to 10.",
}
INVALID_CHOICE = "Choose one of the answers shown."


def field_for(question: QuestionSpec, *, required: bool = True) -> forms.Field:
    # The hint goes inside the legend, so it is read before the answers, not after them.
    label = question.text
    if question.help_text:
        label = format_html(
            '{} <span class="question-hint">{}</span>', question.text, question.help_text
        )
    common: dict[str, Any] = {"label": label, "choices": question.options()}
    if question.kind == QuestionKind.PAIN_SCALE:
        return forms.ChoiceField(
            label=label,
            choices=[(value, _scale_label(text)) for value, text in question.options()],
            required=required,
            # data-scale lets the stylesheet lay the 11 answers out as one row of large
            # buttons; without CSS they are ordinary labelled radios.
            widget=forms.RadioSelect(attrs={"data-scale": "0-10"}),
            error_messages={
                "required": REQUIRED_MESSAGES[question.kind],
                "invalid_choice": INVALID_CHOICE,
            },
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            **common,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": INVALID_CHOICE},
        )
    return forms.ChoiceField(
        **common,
        required=required,
        widget=forms.RadioSelect,
        error_messages={
            "required": REQUIRED_MESSAGES[question.kind],
            "invalid_choice": INVALID_CHOICE,
        },
    )


def _scale_label(text: str) -> str:
    """ "0 (no pain)" shows as "0" in the row; the words stay for screen readers (the
    question's hint says them to everyone)."""
    number, _, words = text.partition(" ")
    if not words:
        return text
    return format_html('{}<span class="visually-hidden"> {}</span>', number, words)


class StepForm(forms.Form):
    """The questions of one step; every one needs an answer (several-choice ones may be empty)."""

    # Feeds no model field: the answers travel signed between steps.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(
        self,
        data: Mapping | None = None,
        *,
        questions: Sequence[QuestionSpec],
        answers: Mapping[str, Sequence[str]] | None = None,
        required: bool = True,
        prefix: str | None = None,
    ) -> None:
        answers = answers or {}
        initial = {
            q.key: list(answers[q.key]) if q.kind == QuestionKind.MULTIPLE else answers[q.key][0]
            for q in questions
            if answers.get(q.key)
        }
        super().__init__(data, initial=initial, prefix=prefix, label_suffix="")
        self.questions = list(questions)
        for question in questions:
            self.fields[question.key] = field_for(question, required=required)

    def problems(self) -> list[tuple[str, str, str]]:
        """(id of the question's first answer, question, message) for the error summary."""
        return [
            (f"{self[q.key].auto_id}_0", q.text, str(error))
            for q in self.questions
            for error in self.errors.get(q.key, [])
        ]

    def answers(self) -> dict[str, list[str]]:
        """The cleaned answers as lists of values; call after is_valid()."""
        return {key: _as_list(value) for key, value in self.cleaned_data.items() if value != ""}

    def answers_so_far(self) -> dict[str, list[str]]:
        """Whatever was answered correctly, even if other questions were not: kept on Back."""
        self.is_valid()
        return {
            key: _as_list(value)
            for key, value in self.cleaned_data.items()
            if key not in self.errors and value not in ("", [])
        }


def _as_list(value: str | list[str]) -> list[str]:
    return list(value) if isinstance(value, list) else [value]
