"""Days the whole clinic is closed (a holiday, a move, snow), with the reason patients read."""

from datetime import date, datetime, time, timedelta

from django.db import models, transaction
from django.db.models import F, Q

from education.models import ContentVersion
from intake import times


class ClinicClosureQuerySet(models.QuerySet):
    def overlapping(self, start: datetime, end: datetime) -> "ClinicClosureQuerySet":
        """Closures covering any part of [start, end): what the calendar, the slot finder
        and the staff checks ask. Closures are whole local days, so the instants become
        clinic dates first."""
        first = times.local(start).date()
        # An end exactly at midnight does not reach into that day.
        last = times.local(end - timedelta(microseconds=1)).date()
        return self.filter(start_date__lte=last, end_date__gte=first)

    def upcoming(self, today: date) -> "ClinicClosureQuerySet":
        """Closures not yet over, soonest first: what the site's hours list."""
        return self.filter(end_date__gte=today).order_by("start_date")


class ClinicClosure(models.Model):
    """A date or range of dates the clinic is closed: nobody can book online, staff book
    only with a named confirmation, and the site's hours say so with the reason."""

    start_date = models.DateField(help_text="First day closed.")
    end_date = models.DateField(
        help_text="Last day closed: the same as the first day for a single day."
    )
    reason = models.CharField(
        max_length=120,
        help_text="Patients read it on the site's hours, e.g. Christmas Day.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicClosureQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        verbose_name = "clinic closure"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="closure_end_on_or_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dates_text()}: {self.reason}"

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            _hours_changed(self._state.db)

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=kwargs.get("using")):
            deleted = super().delete(*args, **kwargs)
            _hours_changed(self._state.db)
        return deleted

    delete.alters_data = True  # type: ignore[attr-defined]

    @property
    def start(self) -> datetime:
        """Midnight starting the first day, clinic time."""
        return datetime.combine(self.start_date, time(), times.clinic_zone())

    @property
    def end(self) -> datetime:
        """Midnight after the last day, clinic time."""
        return datetime.combine(self.end_date + timedelta(days=1), time(), times.clinic_zone())

    def dates_text(self) -> str:
        """ "Fri Dec 25" or "Thu Dec 24 to Fri Dec 25": how people read it."""
        return times.day_range(self.start_date, self.end_date)


def _hours_changed(using: str | None) -> None:
    """The site's hours list closures on kept pages: a new content version renders them
    afresh, and this worker forgets its copy of the clinic's details."""
    from intake.clinic_details import forget_clinic_details

    ContentVersion.objects.using(using).bump()
    transaction.on_commit(forget_clinic_details, using=using)
    forget_clinic_details()
