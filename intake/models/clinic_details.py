"""Where and when patients find the clinic: one record staff edit in the admin."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from education.models import ContentVersion
from intake.models.booking import Weekday

# The defaults are settings.CLINIC's (a migration keeps a copy of the values).
CLINIC = settings.CLINIC


def _details_changed(using: str | None) -> None:
    """Kept public pages print the phone number, address and hours: a new content version
    makes every worker and host render them afresh. Call it inside the write's transaction."""
    ContentVersion.objects.using(using).bump()


class ClinicDetails(models.Model):
    """The clinic's address, hours, directions and contact details: one record, shown on
    the site, in every patient email, in calendar files and to search engines.

    Nothing here is invented: until staff enter a street address, patients see only
    the city ("Madison, WI").
    """

    street_address = models.CharField(
        max_length=200,
        blank=True,
        help_text="Street and number, e.g. 1234 Example St, Suite 5. Leave empty until "
        "known: patients then see only the city.",
    )
    city = models.CharField(max_length=80, default=CLINIC["city"], help_text="City.")
    region = models.CharField(
        max_length=2, default=CLINIC["region"], help_text="State, two letters."
    )
    postal_code = models.CharField(max_length=10, blank=True, help_text="ZIP code.")
    phone_display = models.CharField(
        max_length=30,
        default=CLINIC["phone_display"],
        help_text="The phone number as patients read it, e.g. (608) 218-4215.",
    )
    phone_e164 = models.CharField(
        max_length=16,
        default=CLINIC["phone_e164"],
        help_text="The same number for tap-to-call: + then country code and digits.",
    )
    email = models.EmailField(
        default="hello@peakendurancept.com", help_text="The address patients may write to."
    )
    parking_notes = models.TextField(
        blank=True, help_text="Where to park, in a sentence or two. Shown under the address."
    )
    transit_notes = models.TextField(
        blank=True, help_text="Bus routes or bike parking nearby. Shown under the address."
    )
    map_url = models.URLField(
        blank=True,
        help_text="A link to the clinic on openstreetmap.org (no embedded map: the site "
        "makes no requests to other companies).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "clinic details"
        verbose_name_plural = "clinic details"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="clinic_details_single_row")
        ]

    def __str__(self) -> str:
        return "Clinic address, hours and contact details"

    def save(self, *args, **kwargs) -> None:
        from intake.clinic_details import forget_clinic_details

        self.pk = 1  # one record: the admin edits it, never adds a second
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            _details_changed(self._state.db)
        forget_clinic_details()

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        from intake.clinic_details import forget_clinic_details

        with transaction.atomic(using=kwargs.get("using")):
            deleted = super().delete(*args, **kwargs)
            _details_changed(self._state.db)
        forget_clinic_details()
        return deleted

    delete.alters_data = True  # type: ignore[attr-defined]

    def clean(self) -> None:
        host = self.map_url.split("://", 1)[-1].split("/", 1)[0].lower()
        if self.map_url and host not in {"www.openstreetmap.org", "openstreetmap.org", "osm.org"}:
            raise ValidationError(
                {"map_url": "Use a link to openstreetmap.org."}, code="not_openstreetmap"
            )


class OpeningHours(models.Model):
    """One opening period on one weekday; two rows on a day make a lunch break."""

    clinic = models.ForeignKey(ClinicDetails, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday, help_text="Day of the week.")
    opens = models.TimeField(help_text="Opens at (clinic local time), e.g. 07:00.")
    closes = models.TimeField(help_text="Closes at, e.g. 18:00.")

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_hours_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def save(self, *args, **kwargs) -> None:
        from intake.clinic_details import forget_clinic_details

        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            _details_changed(self._state.db)
        forget_clinic_details()

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        from intake.clinic_details import forget_clinic_details

        with transaction.atomic(using=kwargs.get("using")):
            deleted = super().delete(*args, **kwargs)
            _details_changed(self._state.db)
        forget_clinic_details()
        return deleted

    delete.alters_data = True  # type: ignore[attr-defined]

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError(
                {"closes": "Closing time must be after opening time."}, code="closes_before_opens"
            )
