import phonenumbers
from django import forms
from django.core.exceptions import ValidationError

from intake.booking import parse_day


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field, typed as one: `form.fields` holds plain Fields."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


class PhoneNumberField(forms.CharField):
    """A phone number as people type it, cleaned to E.164 (US numbers by default)."""

    default_region = "US"
    # People type spaces, brackets and words; what is kept is E.164: "+" and at most 15 digits.
    cleaned_max_length = 16

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        value = super().clean(value)
        if not value:
            return value
        try:
            number = phonenumbers.parse(value, self.default_region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(
                "Enter a phone number we can call, like (608) 555-0123.", code="invalid_phone"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


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
