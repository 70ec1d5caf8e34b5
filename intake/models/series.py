"""A course of care booked in one go: the same visit, clinician and time on chosen weekdays
for a number of weeks. Each visit is an ordinary Appointment linked to its series, so
moving, cancelling, reminders and the schedule treat it like any other."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from phonenumber_field.modelfields import PhoneNumberField

from intake.models.booking import AppointmentType, Clinician, Weekday


class AppointmentSeries(models.Model):
    """What staff asked for when they booked repeating visits, and who asked."""

    key = models.UUIDField(
        unique=True,
        editable=False,
        help_text="The one-time key of the preview it was confirmed from: confirming that "
        "page again (Reload, a double click) finds this series instead of booking twice.",
    )
    clinician = models.ForeignKey(
        Clinician, on_delete=models.PROTECT, related_name="series", help_text="Who sees them."
    )
    appointment_type = models.ForeignKey(
        AppointmentType,
        on_delete=models.PROTECT,
        related_name="series",
        help_text="The visit booked each time.",
    )
    weekdays = models.CharField(
        max_length=20,
        help_text="The weekdays asked for, as Python numbers them (0 Monday), comma-separated.",
    )
    local_time = models.TimeField(help_text="The time asked for, clinic local time.")
    first_day = models.DateField(help_text="The first day of the first week.")
    weeks = models.PositiveSmallIntegerField(help_text="How many weeks it runs.")
    patient_name = models.CharField(max_length=120, help_text="The patient's name.")
    patient_email = models.EmailField(help_text="The one email about the series goes here.")
    patient_phone = PhoneNumberField(region="US", max_length=20, help_text="The patient's phone.")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who booked it.",
    )
    completed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When its confirm finished booking (and queued the one email listing "
        "every visit, if asked): confirming the same preview again books nothing more.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "repeating visits"
        verbose_name_plural = "repeating visits"

    def __str__(self) -> str:
        return (
            f"{self.patient_name}: {self.appointment_type} on {self.weekdays_display()} "
            f"at {self.local_time:%H:%M}, {self.weeks} weeks"
        )

    def get_absolute_url(self) -> str:
        return reverse("admin:intake_appointmentseries_change", args=[self.pk])

    def weekday_numbers(self) -> list[int]:
        return [int(part) for part in self.weekdays.split(",") if part]

    def weekdays_display(self) -> str:
        """ "Monday and Thursday" """
        names = [Weekday(number).label for number in self.weekday_numbers()]
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
