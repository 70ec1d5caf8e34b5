"""Forms for online booking: choosing a time, the patient's details, cancelling."""

import re
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils import timezone

from education.pictures import check_picture
from intake import selfcheck, times
from intake.attendance import CORRECTIONS
from intake.booking import (
    BOOKABLE_YEARS,
    NeedsConfirmation,
    Patient,
    Slot,
    SlotTaken,
    StaffChange,
    any_clinician_value,
    find_slots,
    nearest_slots,
    parse_slot_value,
    resolve_slot,
    staff_times,
)
from intake.clinic_details import first_working_weekday
from intake.forms.fields import (
    BookableDateField,
    NativeDateInput,
    NativeSplitDateTime,
    PhoneNumberField,
    choice_field,
)
from intake.models import (
    Appointment,
    AppointmentType,
    AttendanceChange,
    Clinician,
    Lead,
    TimeOff,
)
from intake.phone import display_phone

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
    return day - timedelta(days=(day.weekday() - first_working_weekday()) % 7)


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

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(with_chosen_time(data), *args, **kwargs)
        # The problems are the booking function's sentences; any posted one is a choice,
        # and the function itself decides whether they cover what the time breaks.
        posted = self.data.getlist("confirmed") if hasattr(self.data, "getlist") else []
        choice_field(self, "confirmed").choices = [(problem, problem) for problem in posted]
        self.problems: list[str] = []
        # Free times near a clashing one: (slot value, what the button says).
        self.suggestions: list[tuple[str, str]] = []

    def staff_change(self) -> StaffChange:
        return StaffChange(
            email_patient=self.cleaned_data["email_patient"],
            confirmed=frozenset(self.cleaned_data["confirmed"]),
        )

    def refuse(
        self, error: SlotTaken | NeedsConfirmation, nearby: list[Slot] | None = None
    ) -> None:
        """Show why the booking function refused: a clash on the time field, with the
        `nearby` free times as buttons, or the rules broken, each with a box to confirm."""
        if isinstance(error, SlotTaken):
            self.suggestions = [
                (slot.value, f"{times.day_and_clock(slot.start)} with {slot.clinician_name}")
                for slot in nearby or []
            ]
            advice = "Please choose another time." + (
                " Free times nearby are listed below the form: one click takes one."
                if nearby
                else ""
            )
            self.add_error("start", ValidationError(f"{error} {advice}", "slot_taken"))
            return
        self.problems = error.problems
        choice_field(self, "confirmed").choices = [(problem, problem) for problem in error.problems]
        self.add_error(
            "confirmed",
            ValidationError(
                "Please confirm: " + "; ".join(error.problems) + ".", code="needs_confirmation"
            ),
        )


def with_chosen_time(data):
    """The posted form with a suggested time's button (`use_time`, a slot value naming
    the clinician) in place of the typed date, time and clinician; else unchanged."""
    parsed = parse_slot_value(str(data.get("use_time", ""))) if data is not None else None
    if parsed is None or parsed[0] is None:
        return data
    clinician_id, start = parsed
    local_start = times.local(start)
    data = data.copy()
    data["clinician"] = str(clinician_id)
    data["start_0"] = f"{local_start:%Y-%m-%d}"
    data["start_1"] = f"{local_start:%H:%M}"
    return data


START_HELP = "Pick the date, then the time (or type the numbers into each box)."
_ID = re.compile(r"[0-9]{1,18}")
_LOCAL_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")


def _row(model, value: str | None):
    """The row a URL's id names, or None for a missing, malformed or unknown id."""
    value = value or ""
    return model.objects.filter(pk=int(value)).first() if _ID.fullmatch(value) else None


def booking_prefill(params: QueryDict) -> dict[str, Any]:
    """The booking form's starting values from its address (the scheduler's and the
    calendar's links): `clinician`, `appointment_type` (ids), `start` (YYYY-MM-DDTHH:MM,
    clinic time), `lead` (the lead booked from: its name, email and phone) and
    `appointment` (an earlier visit's patient details). Each is optional; a bad one is
    left out, never an error."""
    initial: dict[str, Any] = {}
    if clinician := _row(Clinician, params.get("clinician")):
        initial["clinician"] = clinician
    if visit_type := _row(AppointmentType, params.get("appointment_type")):
        initial["appointment_type"] = visit_type
    start = params.get("start", "")
    if _LOCAL_START.fullmatch(start):
        try:
            naive = datetime.strptime(start, "%Y-%m-%dT%H:%M")
        except ValueError:  # a 13th month, a 25th hour
            naive = None
        if naive is not None and naive.year in BOOKABLE_YEARS:
            initial["start"] = naive.replace(tzinfo=times.clinic_zone())
    if lead := _row(Lead, params.get("lead")):
        initial.update(lead=lead, patient_name=lead.name, patient_email=lead.email)
        initial["patient_phone"] = display_phone(lead.phone) if lead.phone else ""
    elif earlier := _row(Appointment, params.get("appointment")):
        initial.update(patient_name=earlier.patient_name, patient_email=earlier.patient_email)
        initial["patient_phone"] = earlier.patient_phone_display
        initial["lead"] = earlier.lead
    return initial


class StaffBookingForm(StaffChangeFields, forms.ModelForm):
    """A booking the front desk makes: a patient who phoned or walked in, or a lead they
    booked from (the hidden `lead`, which then follows the visit)."""

    start = forms.SplitDateTimeField(
        label=f"Starts ({times.zone_name()})", widget=NativeSplitDateTime, help_text=START_HELP
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
            "lead",
        )
        widgets = {"lead": forms.HiddenInput}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields([*self.Meta.fields, "email_patient", "confirmed"])

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # ModelForm's, after this mixin
        # The model's own overlap check (Appointment.clean) refused the time before the
        # booking function could: offer the free times nearby as its clash does.
        if self.has_error("start", "slot_taken") and not self.suggestions:
            appointment = self.instance
            del self.errors["start"]
            nearby = nearest_slots(
                appointment_type=appointment.appointment_type, around=appointment.start
            )
            name = appointment.clinician.name
            self.refuse(SlotTaken(f"{name} already has an appointment at that time."), nearby)

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
        label=f"New start ({times.zone_name()})", widget=NativeSplitDateTime, help_text=START_HELP
    )

    def __init__(self, *args, appointment: Appointment, **kwargs) -> None:
        # The current clinician and time to start from: a move is usually a small change.
        kwargs.setdefault(
            "initial", {"clinician": appointment.clinician_id, "start": appointment.local_start}
        )
        super().__init__(*args, **kwargs)
        self.appointment = appointment
        self.order_fields(["clinician", "start", "email_patient", "confirmed"])

    def slot(self) -> Slot:
        clinician = self.cleaned_data["clinician"]
        start = self.cleaned_data["start"]
        end = start + self.appointment.appointment_type.duration
        return Slot(start=start, end=end, clinician_id=clinician.pk, clinician_name=str(clinician))


class SchedulerForm(forms.Form):
    """The staff scheduler's choices: which visit, with whom, from which day, whether
    to show times outside the usual rules, whom it is for, and a patient search. Read
    from the address; a bad value is dropped (see `read`), never an error page."""

    # Feeds no model field: which times to show and whom to book for.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    appointment_type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.active(),
        label="Visit type",
        empty_label=None,
        required=False,  # the first one, as the list shows it
    )
    clinician = forms.ModelChoiceField(
        queryset=Clinician.objects.bookable(),
        label="Clinician",
        required=False,
        empty_label="Any clinician",
    )
    day = BookableDateField(
        label="From", required=False, widget=NativeDateInput, help_text="Shows a week of days."
    )
    outside_rules = forms.BooleanField(
        label="Also show times outside the notice and hours",
        help_text="Booking one of them asks you to confirm the rule it breaks.",
        required=False,
    )
    lead = forms.ModelChoiceField(
        queryset=Lead.objects.all(), required=False, widget=forms.HiddenInput
    )
    appointment = forms.ModelChoiceField(
        queryset=Appointment.objects.all(), required=False, widget=forms.HiddenInput
    )
    q = forms.CharField(
        label="Find a patient",
        required=False,
        max_length=100,
        help_text="Part of a name or email, or a phone number in any format.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    @classmethod
    def read(cls, params: QueryDict, *, today: date) -> "SchedulerForm":
        """The form from the address, without the values that do not check out; the
        week starts today unless the address says otherwise."""
        data = {name: params.get(name) for name in cls.base_fields if name in params}
        form = cls({"day": today.isoformat(), **data})
        if not form.is_valid():
            kept = {name: value for name, value in form.data.items() if name not in form.errors}
            form = cls({"day": today.isoformat(), **kept})
            form.is_valid()
        return form

    def choice(self, name: str) -> Any:
        return self.cleaned_data.get(name)


SEARCH_LIMIT = 10


def scheduler_page(form: SchedulerForm, *, now: datetime) -> dict[str, Any]:
    """What the staff scheduler shows: a week of free times grouped by day and clinician,
    each linking to the booking form with the time, clinician, visit type and person
    filled in; whom it is for; and the patient search's leads and earlier visits (at most
    SEARCH_LIMIT of each). About ten queries whatever the week or the search holds."""
    visit_type = form.choice("appointment_type") or AppointmentType.objects.active().first()
    first_day = form.choice("day") or times.local(now).date()
    last_day = first_day + timedelta(days=DAYS_PER_PAGE - 1)
    lead, earlier = form.choice("lead"), form.choice("appointment")
    person = {"lead": lead.pk} if lead else {"appointment": earlier.pk} if earlier else {}
    offers = (
        staff_times(
            appointment_type=visit_type,
            first_day=first_day,
            last_day=last_day,
            clinician=form.choice("clinician"),
            outside_rules=bool(form.choice("outside_rules")),
            now=now,
        )
        if visit_type
        else []
    )
    days: dict[date, dict[str, list]] = {
        first_day + timedelta(days=n): {} for n in range(DAYS_PER_PAGE)
    }
    offer_type = visit_type.pk if visit_type else None
    for offer in offers:
        local_start = offer.slot.local_start
        query = {
            "clinician": offer.slot.clinician_id,
            "appointment_type": offer_type,
            "start": f"{local_start:%Y-%m-%dT%H:%M}",
            **person,
        }
        days.setdefault(local_start.date(), {}).setdefault(offer.slot.clinician_name, []).append(
            {"start": local_start, "usual": offer.usual, "query": urlencode(query, safe=":")}
        )
    first_open = min((day for day, free in days.items() if free), default=first_day)
    term = form.choice("q") or ""
    leads = list(Lead.objects.matching(term).order_by("-updated_at")[:SEARCH_LIMIT])
    visits = list(
        Appointment.objects.matching(term)
        .exclude(lead__in=[found.pk for found in leads])
        .select_related("appointment_type", "clinician")
        .order_by("-start")[:SEARCH_LIMIT]
    )
    keep = {
        name: value
        for name, value in form.cleaned_data.items()
        if name in {"clinician", "day", "outside_rules"} and value
    }
    keep = {
        **{name: getattr(value, "pk", value) for name, value in keep.items()},
        "appointment_type": visit_type.pk if visit_type else "",
    }
    return {
        "visit_type": visit_type,
        "days": [
            # The first day with free times starts open; the others are one tap away.
            {"date": day, "clinicians": list(by_clinician.items()), "open": day == first_open}
            for day, by_clinician in sorted(days.items())
        ],
        "offered": len(offers),
        "lead": lead,
        "earlier": earlier,
        "term": term,
        "found_leads": [(found, urlencode({**keep, "lead": found.pk})) for found in leads],
        "found_visits": [
            (
                visit,
                urlencode(
                    {**keep, "lead": visit.lead_id}
                    if visit.lead_id
                    else {**keep, "appointment": visit.pk}
                ),
            )
            for visit in visits
        ],
        "search_limit": SEARCH_LIMIT,
        "previous_day": first_day - timedelta(days=DAYS_PER_PAGE),
        "next_day": last_day + timedelta(days=1),
        "keep_query": urlencode({**{k: v for k, v in keep.items() if k != "day"}, **person}),
    }


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

    def outcome(self, cancelled: list[Appointment]) -> str:
        """What staff read after saving: how many were cancelled (and emailed), how many
        kept."""
        kept = len(self.appointments) - len(cancelled)
        return (
            f"{len(cancelled)} appointment(s) cancelled and the patients emailed; "
            f"{kept} kept as exceptions."
        )

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
        field_classes = {"start": forms.SplitDateTimeField, "end": forms.SplitDateTimeField}
        widgets = {"start": NativeSplitDateTime, "end": NativeSplitDateTime}
        help_texts = {
            "start": f"From ({times.zone_name()}): the date, then the time, e.g. 12:00 AM.",
            "end": "Until: the date, then the time, e.g. 11:59 PM for the whole day.",
        }

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
