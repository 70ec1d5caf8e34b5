"""Forms for online booking: choosing a time, the patient's details, cancelling."""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError

from intake import selfcheck
from intake.booking import Patient, Slot, parse_slot_value, resolve_slot
from intake.forms.fields import BookableDateField, PhoneNumberField
from intake.models import AppointmentType, Clinician

ANY_CLINICIAN = "any"


class TimeFilterForm(forms.Form):
    """Which clinician and which week of times to show; bad values fall back to defaults."""

    clinician = forms.ChoiceField(
        label="Clinician", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    start = BookableDateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, clinicians: list[Clinician], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinicians = {str(c.pk): c for c in clinicians}
        self.fields["clinician"].choices = [(ANY_CLINICIAN, "Any clinician (first free)")] + [
            (pk, str(c)) for pk, c in self.clinicians.items()
        ]

    def chosen_clinician(self) -> Clinician | None:
        if not self.is_valid():
            return None
        return self.clinicians.get(self.cleaned_data["clinician"])

    def chosen_start(self) -> date | None:
        return self.cleaned_data.get("start") if self.is_valid() else None


class BookingForm(forms.Form):
    """The patient's details for one chosen time, with the self-check hand-off if any.

    The time travels in a hidden `slot` field and is checked again here, so a
    time taken while the patient typed is reported on the form, with others to
    choose from, not as an error page.
    """

    slot = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(
        label="Your name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email",
        help_text="We send your confirmation and your private link to change the booking here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneNumberField(label="Phone", help_text="In case we need to reach you.")
    message = forms.CharField(
        label="Anything we should know before your visit? (optional)",
        help_text="Only clinic staff read this. We never put it in an email.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    selfcheck_token = forms.CharField(required=False, widget=forms.HiddenInput)
    attach_answers = forms.BooleanField(
        label="Send my self-check answers to the clinic with this booking",
        help_text="Only our clinicians and front desk see them. Leave this unticked to keep "
        "them private.",
        required=False,
    )

    error_messages = {
        "slot_taken": "That time was just taken. Please choose another time.",
        "invalid_slot": "Please choose a time.",
    }

    def __init__(
        self,
        *args,
        appointment_type: AppointmentType,
        handoff: selfcheck.SelfCheckHandoff | None = None,
        **kwargs,
    ) -> None:
        """`handoff` is the request's self-check, decoded once by the view."""
        super().__init__(*args, **kwargs)
        self.appointment_type = appointment_type
        if appointment_type.is_phone:
            self.fields["phone"].help_text = "We call you on this number."
        self.handoff = handoff
        if self.handoff is None:
            del self.fields["attach_answers"]

    def clean_slot(self) -> Slot:
        if parse_slot_value(self.cleaned_data["slot"]) is None:
            raise ValidationError(self.error_messages["invalid_slot"], code="invalid_slot")
        slot = resolve_slot(appointment_type=self.appointment_type, value=self.cleaned_data["slot"])
        if slot is None:
            raise ValidationError(self.error_messages["slot_taken"], code="slot_taken")
        return slot

    def clean_selfcheck_token(self) -> str:
        # An expired or altered token is dropped quietly: the booking still goes ahead.
        return self.cleaned_data["selfcheck_token"] if self.handoff else ""

    def requested_start(self) -> datetime | None:
        """The start time the form asked for, even when it is no longer free."""
        parsed = parse_slot_value(self.data.get("slot", "") if self.is_bound else "")
        return parsed[1] if parsed else None

    def patient(self) -> Patient:
        data = self.cleaned_data
        return Patient(
            name=data["name"], email=data["email"], phone=data["phone"], message=data["message"]
        )

    def handoff_to_send(self) -> selfcheck.SelfCheckHandoff | None:
        """The self-check, only when the patient ticked the box to send it."""
        return self.handoff if self.cleaned_data.get("attach_answers") else None

    def carried_fields(self) -> list[tuple[str, str]]:
        """The cleaned values as hidden (name, value) pairs for the confirm step."""
        data = self.cleaned_data
        fields = [
            ("slot", data["slot"].value),
            ("name", data["name"]),
            ("email", data["email"]),
            ("phone", data["phone"]),
            ("message", data["message"]),
        ]
        if self.handoff:
            fields.append(("selfcheck_token", data["selfcheck_token"]))
            if data.get("attach_answers"):
                fields.append(("attach_answers", "on"))
        return fields


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling? (optional)",
        help_text="It helps us plan. Please don't include health details.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
