"""Forms for online booking: choosing a time, the patient's details, cancelling."""

from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils import timezone

from education.pictures import check_picture
from intake import selfcheck, times
from intake.attendance import CORRECTIONS
from intake.booking import (
    NeedsConfirmation,
    Patient,
    Slot,
    SlotTaken,
    StaffChange,
    any_clinician_value,
    find_slots,
    parse_slot_value,
    resolve_slot,
)
from intake.clinic_details import clinic_details
from intake.forms.fields import BookableDateField, PhoneNumberField, choice_field
from intake.models import Appointment, AppointmentType, AttendanceChange, Clinician, TimeOff

ANY_CLINICIAN = "any"
DAYS_PER_PAGE = 7


class TimeFilterForm(forms.Form):
    """Which clinician and which week of times to show; bad values fall back to defaults."""

    # Feeds no model field: which times to show.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    clinician = forms.ChoiceField(
        label="Clinician", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    start = BookableDateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, clinicians: list[Clinician], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinicians = {str(c.pk): c for c in clinicians}
        choice_field(self, "clinician").choices = [
            (ANY_CLINICIAN, "Any clinician (first free)")
        ] + [(pk, str(c)) for pk, c in self.clinicians.items()]

    def chosen_clinician(self) -> Clinician | None:
        if not self.is_valid():
            return None
        return self.clinicians.get(self.cleaned_data["clinician"])

    def chosen_start(self) -> date | None:
        return self.cleaned_data.get("start") if self.is_valid() else None


def week_start(day: date) -> date:
    """The first day of `day`'s week: the clinic's first working day (Monday when the
    clinic lists no hours). Every visit type pages by the same weeks; the first bookable
    day after a type's notice only decides where its times begin, not where weeks do."""
    hours = clinic_details().hours
    first_weekday = min((weekday for weekday, *_ in hours), default=0)
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def time_picker(
    *,
    params: QueryDict,
    appointment_type: AppointmentType,
    exclude: Appointment | None = None,
    default_clinician: str = ANY_CLINICIAN,
) -> dict:
    """One week of days with their free times, and the filter and paging around it.

    `exclude` is the visit being moved: its own time counts as free for its neighbours,
    but is never offered as a new time (moving to where it already is does nothing)."""
    now = timezone.now()
    tz = times.clinic_zone()
    first_day = (now + timedelta(hours=appointment_type.minimum_notice_hours)).astimezone(tz).date()
    last_day = now.astimezone(tz).date() + timedelta(days=appointment_type.booking_window_days)
    clinicians = list(Clinician.objects.bookable())
    data = {"clinician": params.get("clinician") or default_clinician, "start": params.get("start")}
    form = TimeFilterForm(data, clinicians=clinicians)
    if not form.is_valid():
        form = TimeFilterForm({"clinician": default_clinician}, clinicians=clinicians)
    clinician = form.chosen_clinician()
    first_week = week_start(first_day)
    chosen = form.chosen_start()
    start = week_start(min(max(chosen or first_day, first_day), last_day))
    end = start + timedelta(days=DAYS_PER_PAGE - 1)
    # Unasked, the first page is the first week with times left: on a Sunday evening the
    # coming week, not the one ending tonight. Both weeks are one search (the same queries).
    search_end = end if chosen else end + timedelta(days=DAYS_PER_PAGE)
    slots = find_slots(
        appointment_type=appointment_type,
        start_date=start,
        end_date=search_end,
        clinician=clinician,
        now=now,
        exclude=exclude,
    )
    if exclude is not None:
        slots = [slot for slot in slots if slot.start != exclude.start]
    if not chosen and slots and slots[0].local_start.date() > end:
        start, end = start + timedelta(days=DAYS_PER_PAGE), end + timedelta(days=DAYS_PER_PAGE)
    slots = [slot for slot in slots if start <= slot.local_start.date() <= end]
    return {
        "filter_form": form,
        "clinician_value": form.cleaned_data["clinician"],
        "chosen_clinician": clinician,
        "days": group_by_day(slots, any_clinician=clinician is None),
        "range_start": start,
        "range_end": end,
        "previous_start": start - timedelta(days=DAYS_PER_PAGE) if start > first_week else None,
        "next_start": end + timedelta(days=1) if end < last_day else None,
    }


def group_by_day(slots: list, *, any_clinician: bool) -> list[dict]:
    """[{"date", "times": [{"value", "start"}]}]; with any clinician, each time once.

    The page shows each day as its own `<details>` (the first one open), so a phone
    shows one day's buttons at a time without JavaScript."""
    days: list[dict] = []
    last_start = None
    for slot in slots:
        local_start = slot.local_start
        if any_clinician and slot.start == last_start:
            continue
        last_start = slot.start
        if not days or days[-1]["date"] != local_start.date():
            days.append({"date": local_start.date(), "times": []})
        value = any_clinician_value(slot.start) if any_clinician else slot.value
        days[-1]["times"].append({"value": value, "start": local_start})
    return days


class BookingForm(forms.Form):
    """The patient's details for one chosen time, with the self-check hand-off if any.

    The time travels in a hidden `slot` field and is checked again here, so a
    time taken while the patient typed is reported on the form, with others to
    choose from, not as an error page.
    """

    # Model fields each field is saved to; tests/test_form_limits.py checks their limits match.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        "name": ("intake.Appointment.patient_name", "intake.Lead.name"),
        "email": ("intake.Appointment.patient_email", "intake.Lead.email"),
        "phone": ("intake.Appointment.patient_phone", "intake.Lead.phone"),
        "message": ("intake.Lead.message", "intake.LeadNote.text"),
    }

    slot = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(
        label="Your name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={
            "max_length": "This email address is too long for us to store: use one of at most "
            "%(limit_value)d characters (this one has %(show_value)d)."
        },
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
    attach_answers = forms.BooleanField(
        label="Send my self-check answers to the clinic with this booking",
        help_text="Only our clinicians and front desk see them. Untick this to keep them private.",
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


class CancelForm(forms.Form):
    # Model fields each field is saved to; tests/test_form_limits.py checks their limits match.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        "reason": ("intake.Appointment.cancellation_reason",)
    }

    reason = forms.CharField(
        label="Why are you cancelling? (optional)",
        help_text="It helps us plan. Please don't include health details.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Staff forms (the admin's add, move and cancel pages). They collect and check the
# input; the writes are intake.booking's, the same functions the patient's pages call.


class StaffChangeFields(forms.Form):
    """What every staff change asks besides the time: email the patient, and the
    confirmations of rules the time breaks (offered only once the booking function
    has named them)."""

    # Feeds no model field: choices about the change.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    email_patient = forms.BooleanField(
        label="Email the patient about this change",
        help_text="Untick for someone standing at the desk.",
        required=False,
        initial=True,
    )
    confirmed = forms.MultipleChoiceField(
        label="Book it anyway",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The problems are the booking function's sentences; any posted one is a choice,
        # and the function itself decides whether they cover what the time breaks.
        posted = self.data.getlist("confirmed") if hasattr(self.data, "getlist") else []
        choice_field(self, "confirmed").choices = [(problem, problem) for problem in posted]
        self.problems: list[str] = []

    def staff_change(self) -> StaffChange:
        return StaffChange(
            email_patient=self.cleaned_data["email_patient"],
            confirmed=frozenset(self.cleaned_data["confirmed"]),
        )

    def refuse(self, error: SlotTaken | NeedsConfirmation) -> None:
        """Show why the booking function refused: a clash on the time field, or the
        rules broken, each with a box to confirm it."""
        if isinstance(error, SlotTaken):
            self.add_error(
                "start", ValidationError(f"{error} Please choose another time.", "slot_taken")
            )
            return
        self.problems = error.problems
        choice_field(self, "confirmed").choices = [(problem, problem) for problem in error.problems]
        self.add_error(
            "confirmed",
            ValidationError(
                "Please confirm: " + "; ".join(error.problems) + ".", code="needs_confirmation"
            ),
        )


class StaffBookingForm(StaffChangeFields, forms.ModelForm):
    """A booking the front desk makes: a patient who phoned or walked in."""

    start = forms.SplitDateTimeField(
        label=f"Starts ({times.zone_name()})",
        widget=AdminSplitDateTime,
        help_text="Date as YYYY-MM-DD and time as HH:MM, e.g. 2026-12-08 and 09:00.",
    )
    patient_phone = PhoneNumberField(label="Patient's phone", help_text="As they say it.")

    class Meta:
        model = Appointment
        fields = (
            "clinician",
            "appointment_type",
            "start",
            "patient_name",
            "patient_email",
            "patient_phone",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields([*self.Meta.fields, "email_patient", "confirmed"])

    def slot(self) -> Slot:
        data = self.cleaned_data
        end = data["start"] + data["appointment_type"].duration
        clinician = data["clinician"]
        return Slot(
            start=data["start"], end=end, clinician_id=clinician.pk, clinician_name=str(clinician)
        )

    def patient(self) -> Patient:
        data = self.cleaned_data
        return Patient(
            name=data["patient_name"], email=data["patient_email"], phone=data["patient_phone"]
        )


class StaffMoveForm(StaffChangeFields):
    """A new time (and maybe another clinician) for an appointment."""

    # Model fields each field is saved to; tests/test_form_limits.py checks their limits match.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        "clinician": ("intake.Appointment.clinician",),
        "start": ("intake.Appointment.start",),
    }

    clinician = forms.ModelChoiceField(queryset=Clinician.objects.all(), label="Clinician")
    start = forms.SplitDateTimeField(
        label=f"New start ({times.zone_name()})",
        widget=AdminSplitDateTime,
        help_text="Date as YYYY-MM-DD and time as HH:MM, e.g. 2026-12-08 and 09:00.",
    )

    def __init__(self, *args, appointment: Appointment, **kwargs) -> None:
        kwargs.setdefault("initial", {"clinician": appointment.clinician_id})
        super().__init__(*args, **kwargs)
        self.appointment = appointment
        self.order_fields(["clinician", "start", "email_patient", "confirmed"])

    def slot(self) -> Slot:
        clinician = self.cleaned_data["clinician"]
        start = self.cleaned_data["start"]
        end = start + self.appointment.appointment_type.duration
        return Slot(start=start, end=end, clinician_id=clinician.pk, clinician_name=str(clinician))


class StaffCancelForm(forms.Form):
    # Model fields each field is saved to; tests/test_form_limits.py checks their limits match.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {
        "reason": ("intake.Appointment.cancellation_reason",)
    }

    reason = forms.CharField(
        label="Reason (staff only)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Never shown to the patient.",
    )
    email_patient = StaffChangeFields.base_fields["email_patient"]


class StrandedChoices:
    """Staff's choice for each booked appointment a schedule change (time off, shorter
    hours) would strand: cancel it and email the patient, or keep it as an exception.

    Read from the posted `for_all` ("cancel" or "keep" for every one) or
    `appointment_<id>` values; an appointment with no choice means the change is not
    saved yet, so a booking made while staff decided is never stranded silently.
    """

    CHOICES = (("cancel", "Cancel and email the patient"), ("keep", "Keep it (exception)"))

    def __init__(
        self,
        data,
        appointments: list[Appointment],
        *,
        change: str = "This time off leaves",
        where: str = "inside it",
    ) -> None:
        self.appointments = appointments
        self.change, self.where = change, where
        valid = {value for value, _ in self.CHOICES}
        for_all = data.get("for_all", "")
        self.choices = {}
        for appointment in appointments:
            choice = for_all if for_all in valid else data.get(f"appointment_{appointment.pk}")
            if choice in valid:
                self.choices[appointment.pk] = choice
        self.rows = [(a, self.choices.get(a.pk)) for a in appointments]

    def complete(self) -> bool:
        return len(self.choices) == len(self.appointments)

    def to_cancel(self) -> list[Appointment]:
        return [a for a in self.appointments if self.choices.get(a.pk) == "cancel"]

    def error(self) -> ValidationError:
        count = len(self.appointments)
        return ValidationError(
            f"{self.change} {count} booked appointment{'s' if count != 1 else ''} {self.where}. "
            "Choose above, for each or for all, whether to cancel it and email the patient "
            "or keep it, then save again.",
            code="strands_appointments",
        )


class TimeOffForm(forms.ModelForm):
    """Time off that overlaps booked appointments saves only once staff chose, for each,
    to cancel it (emailing the patient) or keep it."""

    class Meta:
        model = TimeOff
        fields = ("clinician", "start", "end", "reason")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stranded: StrandedChoices | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        clinician, start, end = data.get("clinician"), data.get("start"), data.get("end")
        if clinician is None or start is None or end is None or end <= start:
            return data
        affected = list(
            Appointment.objects.booked_during(start, end)
            .filter(clinician=clinician)
            .select_related("appointment_type")
            .order_by("start")
        )
        if affected:
            self.stranded = StrandedChoices(self.data, affected)
            if not self.stranded.complete():
                raise self.stranded.error()
        return data


class ClinicianForm(forms.ModelForm):
    """The admin's clinician form: a new photo must be a real, sensibly sized picture."""

    class Meta:
        model = Clinician
        fields = (
            "name",
            "credentials",
            "bio",
            "photo",
            "specialties",
            "on_team_page",
            "bookable",
            "position",
            "user",
        )
        widgets = {"specialties": forms.CheckboxSelectMultiple}

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if isinstance(photo, UploadedFile):  # not the file already stored
            check_picture(photo)
        return photo


class AttendanceCorrectionForm(forms.ModelForm):
    """A clinician's later correction of how a visit went, with the reason it is kept for."""

    class Meta:
        model = AttendanceChange
        fields = ("to_status", "reason")
        labels = {"to_status": "How the visit really went", "reason": "Why it is corrected"}
        help_texts = {
            "to_status": "The lead follows: completed makes them a patient, a no-show asks "
            "for a call today.",
            "reason": "Kept with the visit, with your name and the time.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "to_status").choices = [(s.value, s.label) for s in CORRECTIONS]
        self.fields["reason"].required = True
