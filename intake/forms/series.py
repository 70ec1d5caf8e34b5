"""Forms for repeating visits: what to book, which time for each date, cancelling the rest.

They collect and check input; planning and writing are intake.series's."""

from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from intake import times
from intake.booking import Patient
from intake.forms.booking import StaffCancelForm
from intake.forms.fields import BookableDateField, PhoneNumberField
from intake.models import AppointmentSeries, Weekday
from intake.series import MAX_WEEKS, ChosenVisit, PlannedVisit, SeriesRequest

SKIP = "skip"
ASKED = "asked"


class SeriesForm(forms.ModelForm):
    """Step one: the visit, clinician and patient, and the weekdays, time and weeks."""

    first_day = BookableDateField(
        label="Starting on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first week starts on this day.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Every",
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one day of the week."},
    )
    local_time = forms.TimeField(
        label=f"At ({times.zone_name()})",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="The same clock time on every date, summer or winter.",
    )
    weeks = forms.IntegerField(
        label="For how many weeks",
        min_value=1,
        max_value=MAX_WEEKS,
        initial=6,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "max_value": f"Book at most {MAX_WEEKS} weeks at once.",
            "min_value": "Book at least one week.",
        },
    )
    patient_phone = PhoneNumberField(label="Patient's phone", help_text="As they say it.")

    class Meta:
        model = AppointmentSeries
        fields = (
            "appointment_type",
            "clinician",
            "patient_name",
            "patient_email",
            "patient_phone",
            "first_day",
            "weekdays",
            "local_time",
            "weeks",
        )
        labels = {
            "appointment_type": "Visit type",
            "patient_name": "Patient's name",
            "patient_email": "Patient's email",
        }
        help_texts = {"patient_email": "One email lists every visit, with a calendar file."}

    def clean_weekdays(self) -> str:
        return ",".join(str(day) for day in sorted(set(self.cleaned_data["weekdays"])))

    def series_request(self) -> SeriesRequest:
        data = self.cleaned_data
        return SeriesRequest(
            clinician=data["clinician"],
            appointment_type=data["appointment_type"],
            patient=Patient(
                name=data["patient_name"],
                email=data["patient_email"],
                phone=str(data["patient_phone"]),
            ),
            first_day=data["first_day"],
            weekdays=tuple(int(day) for day in data["weekdays"].split(",")),
            at=data["local_time"],
            weeks=data["weeks"],
        )


class SeriesChoicesForm(forms.Form):
    """Step two, the preview: for each date, book the asked time, a free time that day
    instead, or skip it. Booking the asked time over a rule staff may override (outside
    hours, time off, short notice) confirms that rule by name, as the single booking does."""

    # Feeds no model field: which of the planned times to book.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    email_patient = forms.BooleanField(
        label="Email the patient the list of visits",
        help_text="One email with every visit and one calendar file.",
        required=False,
        initial=True,
    )

    def __init__(self, *args, plan: list[PlannedVisit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.rows = []
        for index, visit in enumerate(plan):
            name = f"visit_{index}"
            asked = times.clock(visit.asked)
            choices = []
            if not visit.clash:
                label = f"{asked} with {visit.slot.clinician_name}"
                if visit.problems:
                    label += " anyway (" + "; ".join(visit.problems) + ")"
                choices.append((ASKED, label))
            choices += [
                (slot.value, f"{times.clock(slot.start)} with {slot.clinician_name} instead")
                for slot in visit.alternatives
            ]
            choices.append((SKIP, "Skip this date"))
            # A free date books as asked; otherwise the nearest free time, else skip it.
            initial = (
                ASKED if visit.free else next((slot.value for slot in visit.alternatives), SKIP)
            )
            self.fields[name] = forms.ChoiceField(
                label=f"{visit.asked:%A, %B} {visit.asked.day}",
                choices=choices,
                initial=initial,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose a time for this date, or skip it.",
                    # The plan is made again on confirm: a time gone since the preview is
                    # no longer a choice.
                    "invalid_choice": "That time is no longer free: choose again for this date.",
                },
            )
            self.rows.append((visit, self[name]))
        self.order_fields([f"visit_{index}" for index in range(len(plan))] + ["email_patient"])

    def clean(self) -> dict:
        data = super().clean() or {}
        if self.plan and all(data.get(f"visit_{index}") == SKIP for index in range(len(self.plan))):
            raise ValidationError("Every date is skipped: choose at least one.", code="all_skipped")
        return data

    def chosen_visits(self) -> list[ChosenVisit]:
        chosen = []
        for index, visit in enumerate(self.plan):
            value = self.cleaned_data[f"visit_{index}"]
            if value == ASKED:
                chosen.append(
                    ChosenVisit(
                        asked=visit.asked, slot=visit.slot, confirmed=frozenset(visit.problems)
                    )
                )
            elif value != SKIP:
                slot = next(slot for slot in visit.alternatives if slot.value == value)
                chosen.append(ChosenVisit(asked=visit.asked, slot=slot))
        return chosen


class SeriesCancelForm(StaffCancelForm):
    """Cancelling the rest of a series: one reason for every visit, one email."""

    # Model fields each field is saved to; tests/test_form_limits.py checks their limits match.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        "reason": ("intake.Appointment.cancellation_reason",)
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email_patient"] = forms.BooleanField(
            label="Email the patient one list of the cancelled visits",
            required=False,
            initial=True,
        )
