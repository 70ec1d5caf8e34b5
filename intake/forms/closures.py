"""The admin's closure form: the days, the reason patients read, and (over booked visits)
staff's choice for each, as for time off."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from intake.forms.booking import StrandedChoices
from intake.forms.fields import BookableDateField, NativeDateInput
from intake.models import Appointment, ClinicClosure

# A typo like 2072 for 2027 would close the clinic for decades.
LONGEST_CLOSURE_DAYS = 62


class ClinicClosureForm(forms.ModelForm):
    class Meta:
        model = ClinicClosure
        fields = ("start_date", "end_date", "reason")
        labels = {"start_date": "Closed from", "end_date": "Closed until (last day)"}
        help_texts = {"end_date": "Leave empty to close one day."}
        widgets = {"start_date": NativeDateInput(), "end_date": NativeDateInput()}
        # The bookable years only: a closure ending 9999-12-31 has no midnight after it.
        field_classes = {"start_date": BookableDateField, "end_date": BookableDateField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = False
        self.stranded: StrandedChoices | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first = data.get("start_date")
        if first is None:
            return data
        last = data.get("end_date") or first
        data["end_date"] = self.instance.end_date = last
        if last < first:
            self.add_error(
                "end_date",
                ValidationError("The last day must be on or after the first.", code="end_before"),
            )
            return data
        if (last - first).days >= LONGEST_CLOSURE_DAYS:
            self.add_error(
                "end_date",
                ValidationError(
                    f"A closure can last at most {LONGEST_CLOSURE_DAYS} days. Check the year.",
                    code="too_long",
                ),
            )
            return data
        probe = ClinicClosure(start_date=first, end_date=last)
        affected = list(
            Appointment.objects.booked_during(probe.start, probe.end)
            .select_related("appointment_type", "clinician")
            .order_by("start", "clinician__position")
        )
        if affected:
            self.stranded = StrandedChoices(
                self.data, affected, change="This closure leaves", where="on those days"
            )
            if not self.stranded.complete():
                raise self.stranded.error()
        return data
