"""Before-visit forms with measure answers, written straight to the database: what the
patient pages would have saved, without walking them."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from intake.measures import ItemScale, score
from intake.models import (
    Appointment,
    Clinician,
    Lead,
    Measure,
    MeasureResponse,
    PreVisit,
    PreVisitKind,
    PreVisitStatus,
)
from tests.intake.booking_factories import make_appointment, make_clinician, make_type

_counter = itertools.count(1)


def make_previsit(
    *,
    appointment: Appointment | None = None,
    episode: PreVisit | None = None,
    start: datetime | None = None,
    clinician: Clinician | None = None,
    lead: Lead | None = None,
    **appointment_fields,
) -> PreVisit:
    """A done form for `appointment` (or a new one at `start`): a follow-up when `episode`
    (the first-visit form) is given, else a first-visit form."""
    if appointment is None:
        appointment = make_appointment(
            clinician=clinician or make_clinician(f"Clinician {next(_counter)}"),
            appointment_type=make_type(),
            start=start or timezone.now() + timedelta(days=3),
            lead=lead,
            **appointment_fields,
        )
    previsit = PreVisit(
        appointment=appointment,
        kind=PreVisitKind.FOLLOW_UP if episode else PreVisitKind.FIRST_VISIT,
        episode=episode,
        status=PreVisitStatus.DONE,
    )
    previsit.issue_token()
    previsit.save()
    return previsit


def respond(*, previsit: PreVisit, slug: str, values: dict[str, int | None]) -> MeasureResponse:
    """The patient's answers to one measure, scored as the form scores them.

    For a measure whose items the patient names (the PSFS) `values` maps each activity
    they named to its rating; otherwise it maps item keys (e.g. "now") to answers, and
    an item left out is unanswered.
    """
    measure = Measure.objects.get(slug=slug)
    items = list(measure.items.all())
    if measure.patient_names_items:
        item = items[0]
        answers = [
            {"item": item.key, "label": label, "value": value} for label, value in values.items()
        ]
        scales = [ItemScale(item.scale_min, item.scale_max)] * len(answers)
    else:
        answers = [
            {"item": item.key, "label": item.text, "value": values.get(item.key)} for item in items
        ]
        scales = [ItemScale(item.scale_min, item.scale_max) for item in items]
    return MeasureResponse.objects.create(
        previsit=previsit,
        measure=measure,
        answers=answers,
        score=score(scoring=measure.scoring, values=[a["value"] for a in answers], scales=scales),
    )


def pain(now: int | None, best: int | None = None, worst: int | None = None) -> dict:
    """Pain ratings; by default all three the same, so the score is `now`."""
    best = now if best is None else best
    worst = now if worst is None else worst
    return {"now": now, "best": best, "worst": worst}


def make_episode(
    *,
    psfs: list[dict[str, int | None]],
    pain_now: list[int | None] | None = None,
    first_start: datetime | None = None,
    every_days: int = 14,
    lead: Lead | None = None,
) -> list[PreVisit]:
    """A first visit and its follow-ups, one per entry of `psfs`, `every_days` apart
    (starting a few weeks ago), each with the PSFS and, if given, the pain rating."""
    clinician = make_clinician(f"Clinician {next(_counter)}")
    first_start = first_start or timezone.now() - timedelta(days=every_days * len(psfs))
    forms: list[PreVisit] = []
    for visit, activities in enumerate(psfs):
        previsit = make_previsit(
            start=first_start + timedelta(days=every_days * visit),
            clinician=clinician,
            lead=lead,
            episode=forms[0] if forms else None,
            patient_name="Maria Gonzalez",
            patient_email="maria@example.com",
        )
        respond(previsit=previsit, slug="psfs", values=activities)
        if pain_now is not None:
            respond(previsit=previsit, slug="pain", values=pain(pain_now[visit]))
        forms.append(previsit)
    return forms
