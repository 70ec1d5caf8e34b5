"""Forms of home programmes: the patient's log and reminder choice, and the clinician's
programme editor (one row per exercise, a dose and a note each).

Every form keeps what was typed when another field is wrong, and says what to do.
"""

from collections.abc import Sequence
from datetime import time
from typing import Any, ClassVar, cast

from django import forms
from django.forms import BaseFormSet, formset_factory

from education.models import Exercise
from intake.models import ProgrammeExercise
from intake.programmes import Dose

RATING_CHOICES = [("", "Choose, if you like")] + [(str(n), str(n)) for n in range(11)]
NO_REMINDER = ""
REMINDER_CHOICES = [(NO_REMINDER, "No reminders")] + [
    (f"{hour:02d}:00", time(hour).strftime("%I:%M %p").lstrip("0")) for hour in range(6, 22)
]


class SessionForm(forms.Form):
    """'I did today's exercises', with how it went: every part optional. Each exercise's
    "skipped" or "too hard" goes into the session's `feedback`, by exercise."""

    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        "pain": ("intake.ProgrammeSession.pain",),
        "effort": ("intake.ProgrammeSession.effort",),
        "note": ("intake.ProgrammeSession.note",),
    }

    pain = forms.TypedChoiceField(
        label="Pain during or after (0 is none, 10 is the worst)",
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    effort = forms.TypedChoiceField(
        label="How hard it felt (0 is very easy, 10 is as hard as you could go)",
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(
        label="A short note for your physical therapist",
        help_text='For example "hurt on the stairs".',
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rows: Sequence[ProgrammeExercise] = (), **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"exercise_{row.exercise_id}"] = forms.ChoiceField(
                label=row.exercise.name,
                choices=[("", "Done"), ("skipped", "Skipped"), ("too_hard", "Too hard")],
                required=False,
                widget=forms.RadioSelect,
            )

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data["note"].split())

    def feedback(self) -> dict[str, str]:
        """By the library exercise's id, which stays the same across versions."""
        return {
            str(row.exercise_id): self.cleaned_data[f"exercise_{row.exercise_id}"]
            for row in self.rows
            if self.cleaned_data.get(f"exercise_{row.exercise_id}")
        }

    def exercise_fields(self) -> list:
        return [self[f"exercise_{row.exercise_id}"] for row in self.rows]


class ReminderForm(forms.Form):
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {"at": ("intake.Programme.reminder_time",)}
    at = forms.ChoiceField(
        label="Email me a reminder on my exercise days at",
        choices=REMINDER_CHOICES,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def reminder_time(self) -> time | None:
        value = self.cleaned_data["at"]
        return time.fromisoformat(value) if value else None


class ProgrammeNoteForm(forms.Form):
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {"note": ("intake.Programme.note",)}
    note = forms.CharField(
        label="Note for the whole programme",
        help_text="The patient reads it at the top. Plain words; no need to repeat the doses.",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    email_patient = forms.BooleanField(
        label="Email the patient that it changed (the email has only the link)",
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DoseForm(forms.ModelForm):
    """One exercise's row: the exercise is fixed (added from the library), the rest is
    the dose and a note."""

    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.published(), widget=forms.HiddenInput
    )

    class Meta:
        model = ProgrammeExercise
        fields = ("exercise", "sets", "reps", "hold_seconds", "per_side", "times", "per", "note")
        labels = {
            "hold_seconds": "Hold (seconds)",
            "per_side": "Per side",
            "times": "Times",
            "per": "Per",
            "note": "Note for the patient",
        }
        widgets = {"note": forms.TextInput}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name in ("sets", "reps", "hold_seconds", "times"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "class": "vSmall"})

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(data.get(name) for name in ("sets", "reps", "hold_seconds")):
            self.add_error(
                "sets", forms.ValidationError("Give a dose: sets, reps or a hold.", code="no_dose")
            )
        if data.get("per") == "day" and (data.get("times") or 0) > 5:
            self.add_error(
                "times", forms.ValidationError("At most 5 times a day.", code="too_often")
            )
        return data

    def _post_clean(self) -> None:
        # The rows are written by intake.programmes, not by this form: skip the model's
        # own checks on an instance that has no programme yet.
        return

    def dose(self) -> Dose:
        data = self.cleaned_data
        return Dose(
            exercise=data["exercise"],
            sets=data.get("sets"),
            reps=data.get("reps"),
            hold_seconds=data.get("hold_seconds"),
            per_side=data.get("per_side") or "",
            times=data.get("times") or 1,
            per=data.get("per") or "day",
            note=" ".join((data.get("note") or "").split()),
        )


class BaseDoseFormSet(BaseFormSet):
    """The programme's rows. A plain formset, not a model formset: the rows are written
    by intake.programmes (a new version each save), never by the forms."""

    deletion_widget = forms.CheckboxInput

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Leave out"

    def doses(self) -> list[Dose]:
        """The rows kept (not left out), in the order shown."""
        return [form.dose() for form in self.forms if not form.cleaned_data.get("DELETE")]

    def clean(self) -> None:
        if any(self.errors):
            return
        doses = self.doses()
        if not doses:
            raise forms.ValidationError("Add at least one exercise.", code="no_exercises")
        names = [dose.exercise.name for dose in doses]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise forms.ValidationError(
                f"Listed twice: {', '.join(twice)}. Leave one out.", code="duplicate"
            )


DoseFormSet = cast(
    type[BaseDoseFormSet],
    formset_factory(
        DoseForm, formset=BaseDoseFormSet, extra=0, can_delete=True, max_num=30, validate_max=True
    ),
)


def dose_initial(dose: Dose) -> dict:
    """A row's starting values from a dose (a protocol's, the current version's)."""
    return {
        "exercise": dose.exercise.pk,
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_seconds": dose.hold_seconds,
        "per_side": dose.per_side,
        "times": dose.times,
        "per": dose.per,
        "note": dose.note,
    }
