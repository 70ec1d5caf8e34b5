"""The report's date range: two dates, read from the address so a range can be bookmarked."""

from datetime import timedelta
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from intake.forms.fields import BookableDateField
from intake.report import MAX_WEEKS


class ReportRangeForm(forms.Form):
    """From and to (both days included); the report widens them to whole weeks."""

    # Saves nothing: it only chooses what the report counts.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    first_day = BookableDateField(
        label="From",
        help_text="The report starts on the first day of this date's week.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    last_day = BookableDateField(
        label="To",
        help_text="The report ends on the last day of this date's week.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        first_day, last_day = data.get("first_day"), data.get("last_day")
        if first_day and last_day:
            if last_day < first_day:
                self.add_error(
                    "last_day",
                    ValidationError("Choose a date on or after the From date.", code="before_from"),
                )
            elif last_day - first_day >= timedelta(weeks=MAX_WEEKS):
                self.add_error(
                    "first_day",
                    ValidationError(
                        f"Choose at most {MAX_WEEKS} weeks (three years) at a time.",
                        code="too_long",
                    ),
                )
        return data
