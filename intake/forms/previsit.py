"""The sections of the before-visit form, one form each.

The answers are stored as plain data on the PreVisit (`answers[section]`), the
measures as MeasureResponse rows and consent as ConsentSignature rows, so these are
plain forms whose `cleaned_data` is what gets saved. Every field keeps what was typed
when another is wrong, and every error says what to do.
"""

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
from intake.previsit import MeasureAnswer
from intake.triage import QuestionSpec, is_visible, visible_answers

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
    body_area = forms.ChoiceField(
        label="Where is the problem?",
        choices=BodyArea.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where the problem is.",
            "invalid_choice": "Choose one of the places shown.",
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
    """The self-check's red-flag questions on one page. A follow-up question (asked only
    after a given answer) is required only when that answer was given."""

    # Feeds no model field: the answers are kept as JSON on the PreVisit.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(self, data: Mapping | None = None, *, questions: Sequence[QuestionSpec], **kw):
        super().__init__(data, questions=questions, required=False, **kw)
        for question in questions:
            if question.show_if_key:
                parent = next(q for q in questions if q.key == question.show_if_key)
                shown = [
                    label for value, label in parent.options() if value in question.show_if_values
                ]
                field = self.fields[question.key]
                field.label = format_html(
                    '{} <span class="question-hint">Only if you said “{}” to “{}”</span>',
                    question.text,
                    " or ".join(shown),
                    Truncator(parent.text).words(7),
                )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        given = {key: _values(value) for key, value in cleaned.items() if value not in ("", [])}
        kept = visible_answers(questions=self.questions, answers=given)
        for question in self.questions:
            if question.key in self.errors or not is_visible(question, kept):
                continue
            if question.kind != QuestionKind.MULTIPLE and not given.get(question.key):
                message = REQUIRED_MESSAGES.get(question.kind, "Choose an answer.")
                self.add_error(question.key, ValidationError(message, code="required"))
        return cleaned

    def problems(self) -> list[tuple[str, str, str]]:
        return [
            (f"{self[q.key].auto_id}_0", q.text, str(error))
            for q in self.questions
            for error in self.errors.get(q.key, [])
        ]


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
                    self.fields[f"{prefix}_rating"] = _rating_field(label, scale)
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
                if cleaned.get(f"{prefix}_rating") not in (None, "") and not name:
                    self.add_error(
                        f"{prefix}_name",
                        ValidationError(
                            "Name the activity you rated, or clear its rating.", code="unnamed"
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


def _rating_field(text: str, item) -> forms.ChoiceField:
    """A row of radio buttons, the anchor words read with the question (in its legend)."""
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
    return forms.ChoiceField(
        label=label,
        choices=[(str(value), str(value)) for value in values],
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
        return name
