"""Scheduling: who can be booked, for what, when they work, and the appointments themselves.

Times are stored in UTC and shown in the clinic's zone (settings.TIME_ZONE,
America/Chicago). Weekly availability is in local wall-clock time, so "9:00 to
17:00" stays 9:00 to 17:00 across daylight-saving changes.
"""

import base64
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.crypto import salted_hmac
from phonenumber_field.modelfields import PhoneNumberField

from education.pictures import Picture, store_picture, upload_place
from intake import times
from intake.constraints import PostgresExclusionConstraint, TsTzRange
from intake.models.leads import Lead
from intake.phone import as_e164, display_phone


def hash_manage_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def derive_manage_token(secret: str) -> str:
    """The patient's manage-link token for an appointment's secret.

    An HMAC under SECRET_KEY, so the token can be derived again for every email
    about the appointment (a move, a cancellation by staff) and the link in the
    first email keeps working for the life of the appointment; yet neither a copy
    of the database alone (it holds the secret and the token's hash) nor the hash
    gives the link away.
    """
    digest = salted_hmac("intake.appointment.manage", secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Specialty(models.Model):
    """Something a clinician is known for (running, postpartum, climbing, CrossFit)."""

    name = models.CharField(
        max_length=60, unique=True, help_text="As patients read it on /team/, e.g. Running."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers are listed first."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


class ClinicianQuerySet(models.QuerySet):
    def bookable(self) -> "ClinicianQuerySet":
        return self.filter(bookable=True)

    def on_team_page(self) -> "ClinicianQuerySet":
        """The clinicians /team/ lists, with their specialties in one more query."""
        return self.filter(on_team_page=True).prefetch_related("specialties")


class Clinician(models.Model):
    """A physical therapist patients can book, with the weekly hours they take bookings."""

    name = models.CharField(max_length=120, help_text="Full name as patients should see it.")
    credentials = models.CharField(
        max_length=60, blank=True, help_text="Letters after the name, e.g. PT, DPT, OCS."
    )
    bio = models.TextField(blank=True, help_text="A few sentences for patients. Plain text.")
    photo = models.FileField(
        upload_to="clinicians/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
        help_text="Optional head-and-shoulders photo: JPEG, PNG or WebP, at least 320 pixels "
        "on each side, up to 15 MB and 40 megapixels. Phone- and desktop-sized copies are "
        "made when you save; location and camera details are removed. Without a photo, "
        "/team/ shows the clinician's initials.",
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    specialties = models.ManyToManyField(
        Specialty,
        blank=True,
        related_name="clinicians",
        help_text="What patients may look for, shown on /team/.",
    )
    on_team_page = models.BooleanField(
        default=True, help_text="Untick to leave this clinician off the /team/ page."
    )
    bookable = models.BooleanField(
        default=True, help_text="Untick to stop new online bookings with this clinician."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinician",
        help_text="The clinician's staff login, if they have one.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers are listed first and offered first."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicianQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def picture(self) -> Picture | None:
        """The resized copies of the photo, for templates/education/picture.html."""
        return Picture.from_json(self.photo_renditions, self.photo.storage)

    def initials(self) -> str:
        """What stands in for a missing photo: "Maya Okafor" -> "MO"."""
        words = [word for word in self.name.split() if word[:1].isalpha()]
        return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper()


def attach_photo(*, clinician: Clinician, upload: File | None) -> None:
    """Give the clinician the renditions of a checked upload (or none, when cleared).

    Uses the same pipeline as exercise pictures; the original upload is not kept.
    """
    if not upload:
        clinician.photo, clinician.photo_renditions = "", {}
        return
    folder, storage = upload_place(Clinician, "photo")
    picture = store_picture(upload=upload, folder=folder, storage=storage)
    clinician.photo, clinician.photo_renditions = picture.fallback(), picture.to_json()


class AppointmentMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"


# /book/<these>/ are pages of their own, so no appointment type may use them.
RESERVED_BOOKING_SLUGS = {"manage", "cancelled"}


class BeforeVisitForm(models.TextChoices):
    """Which before-visit form an appointment type sends (`intake.models.previsit`)."""

    FIRST_VISIT = "first_visit", "The whole before-visit form"
    FOLLOW_UP = "follow_up", "How are you doing? (the outcome measures again)"


class AppointmentTypeQuerySet(models.QuerySet):
    def active(self) -> "AppointmentTypeQuerySet":
        return self.filter(active=True)


class AppointmentType(models.Model):
    """Something a patient can book: how long it takes, how far ahead, and what it costs."""

    name = models.CharField(max_length=80, help_text="Shown to patients, e.g. Initial evaluation.")
    slug = models.SlugField(unique=True, help_text="The booking address: /book/<slug>/.")
    description = models.TextField(
        blank=True, help_text="One or two plain sentences: who it is for and what happens."
    )
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5)], help_text="Length of the appointment in minutes."
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Minutes kept free before it (set-up). Never booked over."
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Minutes kept free after it (notes, cleaning). Never booked over."
    )
    slot_interval_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(5)],
        help_text="Offer start times every this many minutes (15 gives 9:00, 9:15, 9:30...).",
    )
    minimum_notice_hours = models.PositiveSmallIntegerField(
        default=24, help_text="The earliest a patient can book, in hours from now."
    )
    booking_window_days = models.PositiveSmallIntegerField(
        default=42, help_text="How many days ahead patients can book."
    )
    mode = models.CharField(
        max_length=20,
        choices=AppointmentMode,
        default=AppointmentMode.IN_PERSON,
        help_text="In person at the clinic, or a phone call.",
    )
    price_text = models.CharField(
        max_length=200, blank=True, help_text="What patients read about the cost, e.g. Free."
    )
    active = models.BooleanField(default=True, help_text="Untick to hide it from online booking.")
    before_visit = models.CharField(
        max_length=20,
        choices=BeforeVisitForm,
        blank=True,
        help_text="What the patient is asked to fill in before it: the whole before-visit form "
        "(first visits), the short How are you doing? form (follow-ups), or nothing.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers are listed first."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentTypeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(slot_interval_minutes__gt=0),
                name="appointmenttype_positive_lengths",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("intake:booking_times", args=[self.slug])

    def clean(self) -> None:
        if self.slug in RESERVED_BOOKING_SLUGS:
            raise ValidationError(
                {"slug": ValidationError("This address is taken by the site.", code="reserved")}
            )

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    @property
    def is_phone(self) -> bool:
        return self.mode == AppointmentMode.PHONE


class Weekday(models.IntegerChoices):
    """Numbered as Python's date.weekday() numbers them."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeeklyAvailability(models.Model):
    """One range of hours a clinician takes bookings on a weekday, in clinic local time."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(choices=Weekday, help_text="Day of the week.")
    start = models.TimeField(help_text="First possible start, local time, e.g. 08:00.")
    end = models.TimeField(
        help_text="Appointments must finish by this local time. Add a second row for a "
        "lunch break (8:00-12:00 and 13:00-17:00)."
    )

    class Meta:
        ordering = ["clinician", "weekday", "start"]
        verbose_name_plural = "weekly availability"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="availability_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start is None or self.end is None:
            return
        if self.end <= self.start:
            raise ValidationError(
                {"end": ValidationError("End must be after start.", code="end_before_start")}
            )
        if self.clinician_id is None:
            return
        overlapping = (
            WeeklyAvailability.objects.filter(
                clinician_id=self.clinician_id,
                weekday=self.weekday,
                start__lt=self.end,
                end__gt=self.start,
            )
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping:
            raise ValidationError(
                f"This overlaps {overlapping}. Join them into one range or change the times.",
                code="overlapping_availability",
            )


class TimeOffQuerySet(models.QuerySet):
    def overlapping(self, start: datetime, end: datetime) -> "TimeOffQuerySet":
        return self.filter(start__lt=end, end__gt=start)


class TimeOff(models.Model):
    """A stretch when a clinician takes no bookings: holiday, course, sick day."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField(help_text="From (clinic local time).")
    end = models.DateTimeField(help_text="Until (clinic local time).")
    reason = models.CharField(max_length=200, blank=True, help_text="Staff only, never shown.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TimeOffQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"
        indexes = [models.Index(fields=["clinician", "end"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="timeoff_end_after_start")
        ]

    def __str__(self) -> str:
        start = times.local(self.start)
        return f"{self.clinician} off from {start:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError(
                {"end": ValidationError("End must be after start.", code="end_before_start")}
            )


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No-show"


class CancelledBy(models.TextChoices):
    PATIENT = "patient", "Patient"
    STAFF = "staff", "Staff"


# Reminders go out this long before the start, in real (UTC) time, so a visit the
# morning after a daylight-saving change is still reminded 24 hours ahead.
REMINDER_LEAD_TIME = timedelta(hours=24)
# Staff may mark a patient arrived this long before the visit's start, not earlier.
ARRIVAL_OPENS_BEFORE_START = timedelta(minutes=30)
# Booking code recognises a lost race by this name in the database's error.
NO_OVERLAP_CONSTRAINT = "appointment_no_overlap"


class AppointmentQuerySet(models.QuerySet):
    def active(self) -> "AppointmentQuerySet":
        """Appointments that hold their time: everything but cancelled ones."""
        return self.exclude(status=AppointmentStatus.CANCELLED)

    def blocking(self, start: datetime, end: datetime) -> "AppointmentQuerySet":
        """Active appointments whose blocked time (buffers included) overlaps [start, end)."""
        return self.active().filter(blocked_start__lt=end, blocked_end__gt=start)

    def booked_during(self, start: datetime, end: datetime) -> "AppointmentQuerySet":
        """Booked appointments whose visit (buffers aside) overlaps [start, end): what
        time off over those hours would leave stranded."""
        return self.filter(status=AppointmentStatus.BOOKED, start__lt=end, end__gt=start)

    def starting_between(
        self, start: datetime, end: datetime, *, cancelled: bool = False
    ) -> "AppointmentQuerySet":
        """Active appointments (and cancelled ones if asked) starting in [start, end),
        with what a schedule shows."""
        return (
            (self.all() if cancelled else self.active())
            .filter(start__gte=start, start__lt=end)
            .select_related("clinician", "appointment_type", "lead")
        )

    def tally_by_clinician_and_day(self, start: datetime, end: datetime) -> models.QuerySet:
        """Per clinician and clinic-local day of the visit, for visits starting in
        [start, end): how many were kept, completed, missed, cancelled late or early, and
        the minutes the kept ones hold. One row per pair, counted by the database, so the
        report's queries do not grow with its range. A cancellation is late when it came
        after the change deadline (`Appointment.change_deadline`), whoever recorded it:
        inside the window only staff can cancel, on the patient's call."""
        cancelled = Q(status=AppointmentStatus.CANCELLED)
        deadline = F("start") - timedelta(hours=settings.BOOKING_LATE_CANCEL_HOURS)
        return (
            self.filter(start__gte=start, start__lt=end)
            .annotate(day=TruncDate("start", tzinfo=times.clinic_zone()))
            .values("clinician_id", "day")
            .annotate(
                booked=Count("pk", filter=~cancelled),
                completed=Count("pk", filter=Q(status=AppointmentStatus.COMPLETED)),
                no_shows=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
                late_cancellations=Count("pk", filter=cancelled & Q(cancelled_at__gt=deadline)),
                early_cancellations=Count("pk", filter=cancelled & Q(cancelled_at__lte=deadline)),
                booked_time=Sum(
                    ExpressionWrapper(F("end") - F("start"), output_field=models.DurationField()),
                    filter=~cancelled,
                ),
            )
            .order_by()
        )

    def rest_of_series(self, series: "models.Model", start: datetime) -> "AppointmentQuerySet":
        """The series' booked visits starting at or after `start`, in order: what "cancel
        the rest" cancels."""
        return self.filter(
            series=series, status=AppointmentStatus.BOOKED, start__gte=start
        ).order_by("start")

    def by_manage_token(self, token: str) -> "AppointmentQuerySet":
        return self.filter(manage_token_hash=hash_manage_token(token))

    def manageable(self, token: str) -> "Appointment | None":
        """The booked appointment behind a patient's manage link, with what its pages show;
        None for an unknown, replaced or cancelled link."""
        return (
            self.by_manage_token(token)
            .filter(status=AppointmentStatus.BOOKED)
            .select_related("appointment_type", "clinician")
            .first()
        )

    def matching(self, term: str) -> "AppointmentQuerySet":
        """Appointments a staff search finds by the patient's name, email or phone (any
        US format), as `Lead.objects.matching`. Nothing for a blank term."""
        term = term.strip()
        if not term:
            return self.none()
        match = Q(patient_name__icontains=term) | Q(patient_email__icontains=term)
        if phone := as_e164(term):
            match |= Q(patient_phone=phone)
        return self.filter(match)

    def upcoming(self, now: datetime) -> "AppointmentQuerySet":
        """Booked (not cancelled or done) and not yet started."""
        return self.filter(status=AppointmentStatus.BOOKED, start__gt=now)

    def due_for_reminder(self, now: datetime) -> "AppointmentQuerySet":
        """Booked, not yet reminded, starting within REMINDER_LEAD_TIME. Those booked less
        than that ahead get none: their confirmation was the reminder."""
        # Adding hours to a time in a local zone moves the wall clock, not real time.
        now = now.astimezone(UTC)
        return self.filter(
            status=AppointmentStatus.BOOKED,
            reminder_sent_at__isnull=True,
            start__gt=now,
            start__lte=now + REMINDER_LEAD_TIME,
            created_at__lte=F("start") - REMINDER_LEAD_TIME,
        )


class Appointment(models.Model):
    """A booked time with a clinician. Its blocked range (buffers included) never overlaps
    another active appointment of the same clinician: the database enforces it."""

    clinician = models.ForeignKey(
        Clinician, on_delete=models.PROTECT, related_name="appointments", help_text="Who sees them."
    )
    appointment_type = models.ForeignKey(
        AppointmentType,
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text="What was booked; its length and buffers set the times.",
    )
    start = models.DateTimeField(help_text="Starts at (clinic local time).")
    end = models.DateTimeField(editable=False, help_text="Start plus the type's length.")
    blocked_start = models.DateTimeField(editable=False, help_text="Start minus the buffer before.")
    blocked_end = models.DateTimeField(editable=False, help_text="End plus the buffer after.")
    patient_name = models.CharField(max_length=120, help_text="The patient's name.")
    patient_email = models.EmailField(help_text="Confirmations and reminders go here.")
    patient_phone = PhoneNumberField(
        region="US",
        max_length=20,
        help_text="Kept in E.164 form, e.g. +16082184215; any US format may be typed.",
    )
    lead = models.ForeignKey(
        Lead,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        help_text="The lead this booking belongs to (its message and self-check answers).",
    )
    status = models.CharField(
        max_length=20,
        choices=AppointmentStatus,
        default=AppointmentStatus.BOOKED,
        help_text="Cancelled appointments free their time; the others keep it.",
    )
    cancellation_reason = models.TextField(blank=True, help_text="Why it was cancelled.")
    cancelled_by = models.CharField(
        max_length=20, choices=CancelledBy, blank=True, help_text="Who cancelled it."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    manage_token_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the patient's private manage link; the link itself is not stored.",
    )
    manage_secret = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Random per appointment; with the site's secret key it gives the manage link. "
        "Empty for appointments booked before links were stable.",
    )
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="Bumped on each reschedule (calendar updates)."
    )
    reminder_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the 24-hour reminder went out."
    )
    series = models.ForeignKey(
        "intake.AppointmentSeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        help_text="The repeating visits it was booked with, if any.",
    )
    booking_key = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="The one-time key of the online check page it was confirmed from: "
        "confirming that page again finds this appointment instead of booking twice.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["start"]),
            # The slot finder asks for appointments ending after the range starts.
            models.Index(fields=["clinician", "blocked_end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start"))
                & Q(blocked_start__lte=F("start"))
                & Q(blocked_end__gte=F("end")),
                name="appointment_times_in_order",
            ),
            # "Book once" is this key, as a lead's submission key: the database, not a
            # lock, decides which of two confirms of one check page books.
            models.UniqueConstraint(fields=["booking_key"], name="appointment_unique_booking_key"),
            PostgresExclusionConstraint(
                name=NO_OVERLAP_CONSTRAINT,
                expressions=[
                    (
                        TsTzRange("blocked_start", "blocked_end", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                    ("clinician", RangeOperators.EQUAL),
                ],
                condition=~Q(status=AppointmentStatus.CANCELLED),
                violation_error_code="slot_taken",
                violation_error_message="This clinician already has an appointment at that time.",
            ),
        ]
        # The weekly figures (intake/report.py): counts about visits, never who they were.
        permissions = [("view_report", "Can see the weekly figures on visits and cancellations")]

    def __str__(self) -> str:
        return f"{self.patient_name}: {self.appointment_type} at {self.local_start:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        """Derive end and blocked times from the type, and refuse overlaps (for the admin)."""
        if self.start is None or self.appointment_type_id is None:
            return
        self.set_times(self.start, self.appointment_type)
        if self.clinician_id is None or self.status == AppointmentStatus.CANCELLED:
            return
        clash = (
            Appointment.objects.blocking(self.blocked_start, self.blocked_end)
            .filter(clinician_id=self.clinician_id)
            .exclude(pk=self.pk)
            .exists()
        )
        if clash:
            raise ValidationError(
                {
                    "start": ValidationError(
                        "The clinician already has an appointment (or its buffer) at this time.",
                        code="slot_taken",
                    )
                }
            )

    def set_times(self, start: datetime, appointment_type: AppointmentType) -> None:
        # In UTC, so a visit spanning a clock change still lasts its real length.
        start = start.astimezone(UTC)
        self.start = start
        self.end = start + appointment_type.duration
        self.blocked_start = start - appointment_type.buffer_before
        self.blocked_end = self.end + appointment_type.buffer_after

    def mark_moved(self) -> None:
        """A new time needs its own reminder, and calendars a newer SEQUENCE to move the
        event they already have."""
        self.sequence += 1
        self.reminder_sent_at = None

    def issue_manage_token(self) -> str:
        """Give the appointment its private manage link for life and return the token."""
        self.manage_secret = secrets.token_urlsafe(32)
        token = derive_manage_token(self.manage_secret)
        self.manage_token_hash = hash_manage_token(token)
        return token

    @property
    def manage_token(self) -> str | None:
        """The token in the patient's manage link, the same in every email; None for an
        appointment booked before links were stable (its link was only in its first email)."""
        return derive_manage_token(self.manage_secret) if self.manage_secret else None

    @property
    def local_start(self) -> datetime:
        return times.local(self.start)

    @property
    def patient_phone_display(self) -> str:
        return display_phone(self.patient_phone)

    @property
    def local_end(self) -> datetime:
        return times.local(self.end)

    def change_deadline(self) -> datetime:
        """After this the patient must phone to cancel or move it."""
        return self.start - timedelta(hours=settings.BOOKING_LATE_CANCEL_HOURS)

    def attendance_choices(self, now: datetime) -> list[AppointmentStatus]:
        """What staff may record now: Arrived from 30 minutes before the start (never for a
        phone consult, where nobody walks in), Completed and No-show from the start. Before
        that a click could only be a slip: one made tomorrow's evaluation "Completed"."""
        if self.status not in {AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED}:
            return []
        choices = []
        if (
            self.status == AppointmentStatus.BOOKED
            and not self.appointment_type.is_phone
            and now >= self.start - ARRIVAL_OPENS_BEFORE_START
        ):
            choices.append(AppointmentStatus.ARRIVED)
        if now >= self.start:
            choices += [AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW]
        return choices

    def can_change(self, now: datetime) -> bool:
        """Whether the patient may still cancel or reschedule online."""
        return self.status == AppointmentStatus.BOOKED and now < self.change_deadline()

    def gets_reminder(self) -> bool:
        """Whether it was booked far enough ahead for the 24-hour reminder (the rule of
        `AppointmentQuerySet.due_for_reminder`); closer than that, the confirmation is it."""
        return self.created_at <= self.start - REMINDER_LEAD_TIME


class AttendanceChangeKind(models.TextChoices):
    CLICK = "click", "Marked"
    UNDO = "undo", "Undone"
    CORRECTION = "correction", "Corrected"


class AttendanceChange(models.Model):
    """One change to how a visit went (arrived, completed, no-show, an undo or a later
    correction): who made it, when, from what, to what, and why for a correction."""

    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        related_name="attendance_changes",
        help_text="The visit whose attendance changed.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who made the change (empty: the system, or a deleted user).",
    )
    from_status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, help_text="The status before."
    )
    to_status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, help_text="The status after."
    )
    kind = models.CharField(
        max_length=20,
        choices=AttendanceChangeKind.choices,
        help_text="A click on the day, its undo, or a clinician's later correction.",
    )
    reason = models.TextField(
        blank=True, help_text="Why a clinician corrected it later; empty for a click or an undo."
    )
    created_at = models.DateTimeField(help_text="When the change was made.")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_from_status_display()} → {self.get_to_status_display()} "
            f"on {times.short(self.created_at)}"
        )
