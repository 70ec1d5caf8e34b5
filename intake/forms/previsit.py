"""The sections of the before-visit form, one form each.

The answers are stored as plain data on the PreVisit (`answers[section]`), the
measures as MeasureResponse rows and consent as ConsentSignature rows, so these are
plain forms whose `cleaned_data` is what gets saved. Every field keeps what was typed
when another is wrong, and every error says what to do.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import Truncator

from intake.forms.fields import PhoneNumberField
from intake.forms.selfcheck import REQUIRED_MESSAGES, StepForm
from intake.models import ConsentText, Measure, QuestionKind
from intake.models.leads import Activity, BodyArea
from intake.previsit import MeasureAnswer, Prefill
from intake.triage import QuestionSpec, is_visible, visible_answers

# A word of a name: letters (any alphabet), with a hyphen, apostrophe or dot inside or
# after ("Mary-Jo", "O'Brien", "Jr."), but at least one letter and no digits.
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")

# ASCII digits only: Django's DateField takes "١٩٨٠-..." and years far outside a life.
EARLIEST_BIRTH_YEAR = 1900


class SectionForm(forms.Form):
    """A section: no ":" after labels, and a list of problems for the error summary."""

    # Feeds no model field: the answers are kept as JSON on the PreVisit.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def problems(self) -> list[tuple[str, str, str]]:
        """(id to jump to, field label, message) for each error, in the order asked."""
        found = []
        for name, field in self.fields.items():
            for error in self.errors.get(name, []):
                bound = self[name]
                target = bound.auto_id
                if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    target += "_0"
                found.append((target, _plain(field.label), str(error)))
        return found

    def answers(self) -> dict:
        return dict(self.cleaned_data)


def _plain(label) -> str:
    """The label's words without the hint markup, for the error summary."""
    return str(label).split(' <span class="question-hint">')[0]


class BirthDateField(forms.DateField):
    """A date of birth as YYYY-MM-DD (what <input type="date"> sends), ASCII digits only,
    in the past and after 1900."""

    widget = forms.DateInput(attrs={"type": "date", "autocomplete": "bday"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            day = date.fromisoformat(value) if value.isascii() and len(value) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise ValidationError(
                "Enter your date of birth as year-month-day, like 1988-04-23.", code="invalid"
            )
        return day

    def validate(self, value) -> None:
        super().validate(value)
        if value and not (date(EARLIEST_BIRTH_YEAR, 1, 1) <= value < date.today()):
            raise ValidationError("Check the year of your date of birth.", code="out_of_range")


class ContactForm(SectionForm):
    # Feeds no model field: the answers are kept as JSON on the PreVisit.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    name = forms.CharField(
        label="Your full name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name."},
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )
    phone = PhoneNumberField(
        label="Phone", error_messages={"required": "Enter a phone number we can call."}
    )
    date_of_birth = BirthDateField(
        label="Date of birth", error_messages={"required": "Enter your date of birth."}
    )
    emergency_name = forms.CharField(
        label="Emergency contact: their name",
        max_length=120,
        error_messages={"required": "Enter the name of someone we can call in an emergency."},
    )
    emergency_phone = PhoneNumberField(
        label="Emergency contact: their phone",
        widget=forms.TextInput(attrs={"type": "tel"}),
        error_messages={"required": "Enter your emergency contact's phone number."},
    )

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        data["date_of_birth"] = data["date_of_birth"].isoformat()
        return data


class ReasonsForm(SectionForm):
    # Feeds no model field: the answers are kept as JSON on the PreVisit.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    problem = forms.CharField(
        label="What brings you in? Tell us about the problem in your own words.",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tell us in a few words what brings you in."},
    )
    body_area = forms.MultipleChoiceField(
        label="Where is the problem? Tick all that apply.",
        # The lead's "More than one area" makes no sense where several can be ticked.
        choices=[
            (value, "Somewhere else, or not sure" if value == BodyArea.OTHER else label)
            for value, label in BodyArea.choices
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text="We ask the safety questions for each place you tick.",
        error_messages={
            "required": "Choose where the problem is.",
            "invalid_choice": "Choose from the places shown.",
        },
    )
    activities = forms.MultipleChoiceField(
        label="Which activities do you want to get back to? Tick all that apply.",
        choices=Activity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the activities shown."},
    )
    goals = forms.CharField(
        label="What are your goals? For example: run a half marathon in May, lift my child "
        "without pain.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Tell us at least one goal."},
    )


CONDITIONS = [
    ("heart", "Heart disease or a heart attack"),
    ("blood_pressure", "High blood pressure"),
    ("diabetes", "Diabetes"),
    ("lung", "Asthma or another lung condition"),
    ("cancer", "Cancer, now or in the past"),
    ("osteoporosis", "Osteoporosis (thin bones)"),
    ("arthritis", "Arthritis"),
    ("stroke", "Stroke"),
    ("seizures", "Seizures or epilepsy"),
    ("blood_thinners", "A bleeding disorder, or taking blood thinners"),
    ("pacemaker", "A pacemaker or other implanted device"),
    ("clots", "Blood clots"),
]
PREGNANCY = [
    ("not_relevant", "Does not apply to me"),
    ("pregnant", "I am pregnant now"),
    ("postpartum", "I had a baby in the last 12 months"),
    ("prefer_not", "I would rather not say"),
]


class HistoryForm(SectionForm):
    # Feeds no model field: the answers are kept as JSON on the PreVisit.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    conditions = forms.MultipleChoiceField(
        label="Have you ever had any of these? Tick all that apply.",
        choices=CONDITIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the conditions shown."},
    )
    other_conditions = forms.CharField(
        label="Any other health conditions? (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    surgeries = forms.CharField(
        label="Surgeries you have had, with the year if you know it (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    medications = forms.CharField(
        label="Medicines you take, including ones from the pharmacy shelf (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pregnancy = forms.ChoiceField(
        label="Pregnancy or a recent baby",
        choices=PREGNANCY,
        widget=forms.RadioSelect,
        help_text="This changes which exercises are safe for you.",
        error_messages={
            "required": "Choose the answer that fits, or “Does not apply to me”.",
            "invalid_choice": "Choose one of the answers shown.",
        },
    )


class SafetyForm(StepForm):
    """The red-flag questions of the patient's body areas. A follow-on question (asked only
    after a given answer, e.g. "Are you pregnant...?" Yes) is not shown until it applies:
    revealed in place by static/js/reveal.js, or, without JavaScript, asked on a second page
    that carries the first page's answers. Answers the form already knows (`known`, like
    the age from the date of birth) are not asked; answers the patient gave elsewhere
    (`prefill`) are filled in, say where from, and can be changed."""

    # Feeds no model field: the answers are kept as JSON on the PreVisit.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}
    REVEALED = "revealed"  # set by reveal.js: the follow-ons were shown in place
    PAGE = "page"

    def __init__(
        self,
        data: Mapping | None = None,
        *,
        questions: Sequence[QuestionSpec],
        answers: Mapping[str, Sequence[str]] | None = None,
        known: Mapping[str, Sequence[str]] | None = None,
        prefill: Mapping[str, Prefill] | None = None,
        **kw,
    ) -> None:
        self.known = {key: list(values) for key, values in (known or {}).items()}
        self.all_questions = list(questions)
        asked = _reading_order([q for q in questions if q.key not in self.known])
        prefill = {k: p for k, p in (prefill or {}).items() if not (answers or {}).get(k)}
        initial = {**{key: p.values for key, p in prefill.items()}, **(answers or {})}
        super().__init__(data, questions=asked, answers=initial, required=False, **kw)
        for question in asked:
            if question.key in prefill:
                self.fields[question.key].label = format_html(
                    '{} <span class="question-hint prefilled">Filled in {}. '
                    "You can change it.</span>",
                    question.text,
                    prefill[question.key].source,
                )
        self.pending: list[str] = []  # follow-ons now due, still to be asked on page 2

    def given(self) -> dict[str, list[str]]:
        """Every answer: the known ones and those chosen (bound or initial)."""
        chosen = {}
        for question in self.questions:
            value = self[question.key].value()
            values = _values(value) if value not in (None, "", []) else []
            if values:
                chosen[question.key] = [str(v) for v in values]
        return {**chosen, **self.known}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        given = {key: _values(value) for key, value in cleaned.items() if value not in ("", [])}
        kept = visible_answers(questions=self.all_questions, answers={**given, **self.known})
        follow_ons_seen = self.data.get(self.PAGE) == "2" or bool(self.data.get(self.REVEALED))
        for question in self.questions:
            if question.key in self.errors or not is_visible(question, kept):
                continue
            if question.kind == QuestionKind.MULTIPLE or given.get(question.key):
                continue
            if question.show_if_key not in ("", *self.known) and not follow_ons_seen:
                self.pending.append(question.key)
                continue
            message = REQUIRED_MESSAGES.get(question.kind, "Choose an answer.")
            self.add_error(question.key, ValidationError(message, code="required"))
        return cleaned

    def is_complete(self) -> bool:
        """Valid and every question that applies answered: ready to save."""
        return self.is_valid() and not self.pending

    def answers(self) -> dict[str, list[str]]:
        return {**super().answers(), **self.known}

    @property
    def second_page(self) -> bool:
        """Show only the follow-ons that now apply, the rest carried in hidden fields."""
        return self.is_bound and (bool(self.pending) or self.data.get(self.PAGE) == "2")

    def rows(self) -> list[dict]:
        """Each question as the template lays it out: its field, and for a follow-on the
        answer that reveals it and whether it is hidden until then."""
        given = self.given()
        visible = visible_answers(questions=self.all_questions, answers=given)
        shown_keys = set(visible) | {q.key for q in self.all_questions if is_visible(q, visible)}
        on_second = self.second_page
        rows = []
        for question in self.questions:
            # A follow-on of a known answer (the age) is simply asked, or not at all.
            follow_on = question.show_if_key not in ("", *self.known)
            applies = question.key in shown_keys
            # The second page asks the follow-ons that now apply; the rest travel hidden.
            on_page = not on_second or (follow_on and applies) or question.key in self.errors
            rows.append(
                {
                    "field": self[question.key],
                    "on_page": on_page,
                    "follow_on": follow_on,
                    "show_if": question.show_if_key,
                    "show_if_values": " ".join(sorted(question.show_if_values)),
                    "hidden": not applies,
                    "carried": [] if on_page else given.get(question.key, []),
                }
            )
        return rows

    def problems(self) -> list[tuple[str, str, str]]:
        return [
            (f"{self[q.key].auto_id}_0", q.text, str(error))
            for q in self.questions
            for error in self.errors.get(q.key, [])
        ]


def _reading_order(questions: Sequence[QuestionSpec]) -> list[QuestionSpec]:
    """Each follow-on right after the question that reveals it."""
    children: dict[str, list[QuestionSpec]] = {}
    for question in questions:
        children.setdefault(question.show_if_key, []).append(question)
    keys = {question.key for question in questions}
    ordered: list[QuestionSpec] = []

    def visit(question: QuestionSpec) -> None:
        ordered.append(question)
        for child in children.get(question.key, []):
            visit(child)

    for question in questions:
        if not question.show_if_key or question.show_if_key not in keys:
            visit(question)
    return ordered


def _values(value) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


class MeasuresForm(SectionForm):
    """Every active measure: each item rated on its scale as a row of radio buttons.

    For a measure whose items the patient names (the PSFS) there are up to `max_items`
    rows of an activity and its rating; on a follow-up with the episode's activities the
    names are fixed and only rated again. Every rating may be left blank: a partial
    answer still scores (see `intake.measures.score`).
    """

    # Feeds no model field: the answers are kept as JSON on the PreVisit.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(
        self,
        data: Mapping | None = None,
        *,
        measures: Sequence[Measure],
        named: Mapping[int, Sequence[str]] | None = None,
        initial: Mapping | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.measures = list(measures)
        self.named = {pk: list(names) for pk, names in (named or {}).items() if names}
        self.groups: list[tuple[Measure, list[str]]] = []
        for measure in self.measures:
            items = list(measure.items.all())
            names: list[str] = []
            if measure.patient_names_items and items:
                scale = items[0]
                fixed = self.named.get(measure.pk)
                for index in range(len(fixed) if fixed else measure.max_items):
                    prefix = f"m{measure.pk}_{index + 1}"
                    if fixed:
                        label = f"“{fixed[index]}”: how well can you do it now?"
                    else:
                        self.fields[f"{prefix}_name"] = forms.CharField(
                            label=f"Activity {index + 1}",
                            max_length=120,
                            required=False,
                        )
                        names.append(f"{prefix}_name")
                        label = f"Activity {index + 1}: how well can you do it now?"
                    self.fields[f"{prefix}_rating"] = _rating_field(label, scale, clearable=True)
                    names.append(f"{prefix}_rating")
            else:
                for item in items:
                    self.fields[f"m{measure.pk}_{item.key}"] = _rating_field(item.text, item)
                    names.append(f"m{measure.pk}_{item.key}")
            self.groups.append((measure, names))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for measure in self.measures:
            if not measure.patient_names_items or measure.pk in self.named:
                continue
            for index in range(measure.max_items):
                prefix = f"m{measure.pk}_{index + 1}"
                name = (cleaned.get(f"{prefix}_name") or "").strip()
                rated = cleaned.get(f"{prefix}_rating") not in (None, "")
                if rated and not name:
                    self.add_error(
                        f"{prefix}_name",
                        ValidationError(
                            "Name the activity you rated, or clear its rating.", code="unnamed"
                        ),
                    )
                elif name and not rated and f"{prefix}_rating" not in self.errors:
                    # A named activity without a rating would start no baseline to compare.
                    self.add_error(
                        f"{prefix}_rating",
                        ValidationError(
                            f"Rate “{Truncator(name).chars(40)}” from 0 to 10, or clear its name.",
                            code="unrated",
                        ),
                    )
        return cleaned

    def measure_answers(self) -> dict[Measure, list[MeasureAnswer]]:
        """What to save: each measure's rated items, blanks as None. Call after is_valid()."""
        answers: dict[Measure, list[MeasureAnswer]] = {}
        for measure in self.measures:
            items = list(measure.items.all())
            rated: list[MeasureAnswer] = []
            if measure.patient_names_items and items:
                fixed = self.named.get(measure.pk)
                for index in range(len(fixed) if fixed else measure.max_items):
                    prefix = f"m{measure.pk}_{index + 1}"
                    label = fixed[index] if fixed else self.cleaned_data[f"{prefix}_name"].strip()
                    if label:
                        value = _as_int(self.cleaned_data[f"{prefix}_rating"])
                        rated.append(MeasureAnswer(items[0].key, label, value))
            else:
                for item in items:
                    value = _as_int(self.cleaned_data[f"m{measure.pk}_{item.key}"])
                    rated.append(MeasureAnswer(item.key, item.text, value))
            answers[measure] = rated
        return answers


def measures_initial(responses, named: Mapping[int, Sequence[str]]) -> dict:
    """The form filled in with what the patient saved before (resuming)."""
    initial = {}
    for response in responses:
        pk = response.measure_id
        if response.measure.patient_names_items:
            fixed = list(named.get(pk) or [])
            for index, answer in enumerate(response.answers):
                position = fixed.index(answer["label"]) if answer["label"] in fixed else index
                prefix = f"m{pk}_{position + 1}"
                if not fixed:
                    initial[f"{prefix}_name"] = answer["label"]
                if answer["value"] is not None:
                    initial[f"{prefix}_rating"] = str(answer["value"])
        else:
            for answer in response.answers:
                if answer["value"] is not None:
                    initial[f"m{pk}_{answer['item']}"] = str(answer["value"])
    return initial


def _rating_field(text: str, item, *, clearable: bool = False) -> forms.ChoiceField:
    """A row of radio buttons, the anchor words read with the question (in its legend);
    `clearable` adds "Not rated", since a radio button once picked cannot be unpicked."""
    values = range(item.scale_min, item.scale_max + 1)
    label = format_html(
        '{} <span class="question-hint">{} = {}, {} = {}</span>',
        text,
        item.scale_min,
        item.min_label,
        item.scale_max,
        item.max_label,
    )
    width = item.scale_max - item.scale_min
    attrs = {"data-scale": "0-10"} if width == 10 else {}
    choices = [(str(value), str(value)) for value in values]
    if clearable:
        choices.append(("", "Not rated"))
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect(attrs=attrs),
        error_messages={"invalid_choice": "Choose one of the numbers shown."},
    )


def _as_int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


class ConsentForm(SectionForm):
    """One tick box per current text, and the full name typed once for all of them."""

    # Model fields each field is saved to; tests/test_form_limits.py checks their limits match.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        "typed_name": ("intake.ConsentSignature.typed_name",)
    }

    typed_name = forms.CharField(
        label="Type your full name to sign",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Type your full name to sign."},
    )

    def __init__(
        self, data: Mapping | None = None, *, texts: Sequence[ConsentText], **kwargs
    ) -> None:
        super().__init__(data, **kwargs)
        self.texts = list(texts)
        agree = {}
        for text in self.texts:
            agree[f"agree_{text.kind}"] = forms.BooleanField(
                label=f"I have read the {text.title} above and I agree to it.",
                error_messages={"required": f"Tick the box to agree to the {text.title}."},
            )
        self.fields = {**agree, "typed_name": self.fields["typed_name"]}

    def clean_typed_name(self) -> str:
        name = " ".join(self.cleaned_data["typed_name"].split())
        if not name:
            raise ValidationError("Type your full name to sign.", code="required")
        words = name.split(" ")
        if len(words) < 2 or not all(NAME_WORD.fullmatch(word) for word in words):
            raise ValidationError(
                "Type your first and last name, in letters, like Pat Rivera.", code="not_a_name"
            )
        return name
