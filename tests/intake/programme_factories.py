"""Home programmes built the way the clinician's screen builds them (through
intake.programmes), for tests of the patient's page, Today and reminders."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from education.models import Exercise, Protocol, Status
from intake.models import Programme, ProgrammeSession
from intake.programmes import Dose, assign_programme, doses_from_protocol

PROTOCOL_SLUG = "runners-patellofemoral-pain"


def clinician_user(username: str = "dr_lee"):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True}
    )
    if created:
        user.set_password("pw-clin-123")
        user.save()
        user.groups.add(Group.objects.get(name="Clinician"))
    return user


def protocol_doses() -> list[Dose]:
    return doses_from_protocol(Protocol.objects.get(slug=PROTOCOL_SLUG))


def make_exercise(name: str, *, status: str = Status.PUBLISHED) -> Exercise:
    slug = name.lower().replace(" ", "-") + "-test"  # clear of the starter library's slugs
    return Exercise.objects.create(
        name=name, slug=slug, summary=f"{name}.", purpose="Strength.", status=status
    )


def make_programme(
    *,
    by=None,
    now: datetime | None = None,
    doses: list[Dose] | None = None,
    name: str = "Pat Runner",
    email: str = "pat@example.com",
    **kwargs,
) -> Programme:
    return assign_programme(
        patient_name=name,
        patient_email=email,
        doses=doses if doses is not None else protocol_doses(),
        note=kwargs.pop("note", "Go easy the first week."),
        by=by or clinician_user(),
        now=now or timezone.now(),
        **kwargs,
    )


def log_on(programme: Programme, day, **fields) -> ProgrammeSession:
    """A session saved for a given clinic date, as a tap that day would leave it."""
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=19))
    return ProgrammeSession.objects.create(
        programme=programme,
        day=day,
        logged_at=moment,
        version=fields.pop("version", programme.current_version_number() or 1),
        **fields,
    )
