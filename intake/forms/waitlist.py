"""Forms for the waitlist: what a patient waits for, and who they are."""

from datetime import date, timedelta
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from intake.booking import Patient
from intake.forms.fields import BookableDateField, PhoneNumberField, choice_field
from intake.models import AppointmentType, Clinician, PartOfDay, Weekday
from intake.waitlist import WaitlistChoice

ANY_CLINICIAN = "any"


class WaitlistChoiceForm(forms.Form):
    """Which clinician, days, parts of the day and dates suit. Empty days or parts of the
    day mean any."""

    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        "clinician": ("intake.WaitlistEntry.clinician",),
        "from_date": ("intake.WaitlistEntry.from_date",),
        "until_date": ("intake.WaitlistEntry.until_date",),
    }

    clinician = forms.ChoiceField(label="Clinician")
    weekdays = forms.TypedMultipleChoiceField(
        label="Which days suit you?",
        help_text="Leave all unticked if any day suits.",
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    parts_of_day = forms.MultipleChoiceField(
        label="Which times of day suit you?",
        help_text="Leave all unticked if any time suits.",
        choices=PartOfDay.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    from_date = BookableDateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until_date = BookableDateField(
        label="Until",
        help_text="We take you off the waitlist after this date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self, *args, appointment_type: AppointmentType | None, today: date, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.appointment_type = appointment_type
        self.today = today
        self.clinicians = {str(c.pk): c for c in Clinician.objects.bookable()}
        choice_field(self, "clinician").choices = [(ANY_CLINICIAN, "Any clinician")] + [
            (pk, str(c)) for pk, c in self.clinicians.items()
        ]

    def clean_from_date(self) -> date:
        day = self.cleaned_data["from_date"]
        if day < self.today:
            raise ValidationError("Choose today or a later date.", code="in_the_past")
        return day

    def clean_until_date(self) -> date:
        day = self.cleaned_data["until_date"]
        if self.appointment_type is None:
            return day  # StaffWaitlistForm checks it once the type is known
        window = self.appointment_type.booking_window_days
        last_day = self.today + timedelta(days=window)
        if day > last_day:
            raise ValidationError(
                f"We book up to {window} days ahead: "
                f"choose {last_day:%B} {last_day.day}, {last_day.year} or earlier.",
                code="beyond_window",
            )
        start = self.cleaned_data.get("from_date")
        if start is not None and day < start:
            raise ValidationError("Choose a date on or after the From date.", code="before_from")
        return day

    def choice(self) -> WaitlistChoice:
        data = self.cleaned_data
        assert self.appointment_type is not None  # set by now, for every form here
        return WaitlistChoice(
            appointment_type=self.appointment_type,
            clinician=self.clinicians.get(data["clinician"]),
            weekdays=data["weekdays"],
            parts_of_day=data["parts_of_day"],
            from_date=data["from_date"],
            until_date=data["until_date"],
        )


class WaitlistJoinForm(WaitlistChoiceForm):
    """Joining: the choice, and how to reach the patient."""

    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        **WaitlistChoiceForm.saved_to,
        "name": ("intake.WaitlistEntry.name",),
        "email": ("intake.WaitlistEntry.email",),
        "phone": ("intake.WaitlistEntry.phone",),
    }

    name = forms.CharField(
        label="Your name", max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="We email you here when a time opens, with a private link to your place.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneNumberField(label="Phone", help_text="In case we need to reach you.")

    def patient(self) -> Patient:
        data = self.cleaned_data
        return Patient(name=data["name"], email=data["email"], phone=data["phone"])


class StaffWaitlistForm(WaitlistJoinForm):
    """The front desk puts a caller on the waitlist (from their lead): the visit type too."""

    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        **WaitlistJoinForm.saved_to,
        "visit_type": ("intake.WaitlistEntry.appointment_type",),
    }

    visit_type = forms.ModelChoiceField(
        label="Visit type", queryset=AppointmentType.objects.active(), empty_label=None
    )
    field_order = ["visit_type"]

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, appointment_type=None, today=today, **kwargs)

    def clean(self) -> dict:
        data = super().clean() or {}
        self.appointment_type = data.get("visit_type")
        if self.appointment_type is not None and "until_date" in data:
            try:
                data["until_date"] = self.clean_until_date()
            except ValidationError as error:
                self.add_error("until_date", error)
        return data
