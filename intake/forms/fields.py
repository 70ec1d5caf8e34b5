from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from phonenumber_field import formfields
from phonenumber_field.phonenumber import PhoneNumber
from phonenumber_field.widgets import RegionalPhoneNumberWidget

from intake.booking import parse_day


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one: `form.fields` holds plain Fields."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


class PhoneNumberField(formfields.PhoneNumberField):
    """A phone number as people type it (US numbers by default), cleaned to E.164 text.

    django-phonenumber-field parses it; the clinic's message stays, and the value is the
    E.164 text that sessions, `record_lead` and the phone model fields take as it is.
    """

    default_region = "US"
    # People type spaces, brackets and words; what is kept is E.164: "+" and at most 15 digits.
    cleaned_max_length = 16
    # is_valid() below says it with the clinic's words and code.
    default_validators: list[Any] = []

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("region", self.default_region)
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget", RegionalPhoneNumberWidget(self.default_region, {"autocomplete": "tel"})
        )
        super().__init__(**kwargs)

    def validate(self, value: PhoneNumber | str) -> None:
        super().validate(value)
        if isinstance(value, PhoneNumber) and not value.is_valid():
            raise ValidationError(
                "Enter a phone number we can call, like (608) 555-0123.", code="invalid_phone"
            )

    def clean(self, value: str) -> str:
        number = super().clean(value)
        return number.as_e164 if isinstance(number, PhoneNumber) else ""


class BookableDateField(forms.DateField):
    """A YYYY-MM-DD date in ASCII digits and the bookable years (see `parse_day`).

    Django's DateField takes any Unicode digit and any year 1-9999, and a week
    added to 9999-12-31 raises OverflowError.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        day = parse_day(value) if isinstance(value, str) else None
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


# The browser's own date and time pickers instead of the admin's calendar pop-ups: they
# need no script (the admin's are drawn by JavaScript the strict CSP leaves unstyled),
# follow the light or dark theme, and open the phone's wheel. A browser without them
# shows a text box, which still takes 2026-12-08 and 09:00.
class NativeDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class NativeTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class NativeSplitDateTime(forms.SplitDateTimeWidget):
    """A date picker and a time picker side by side, read as Django's SplitDateTimeField.
    Forms draw the pair as a fieldset whose legend is the field's label; each box names
    itself within it."""

    def __init__(self, attrs: dict | None = None) -> None:
        date_attrs = {**(attrs or {}), "aria-label": "Date"}
        time_attrs = {**(attrs or {}), "aria-label": "Time"}
        forms.MultiWidget.__init__(self, [NativeDateInput(date_attrs), NativeTimeInput(time_attrs)])


# For a ModelAdmin's formfield_overrides: every date, time and date-time field of its form.
NATIVE_DATE_WIDGETS: dict = {
    models.DateField: {"widget": NativeDateInput},
    models.TimeField: {"widget": NativeTimeInput},
    models.DateTimeField: {"form_class": forms.SplitDateTimeField, "widget": NativeSplitDateTime},
}
