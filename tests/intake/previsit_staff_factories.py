"""Before-visit forms saved directly, as the patient's pages would leave them, for the
staff-side tests (the patient's own flow is tested through its pages elsewhere)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from intake.models import (
    Appointment,
    ConsentSignature,
    ConsentText,
    Measure,
    MeasureResponse,
    PreVisit,
    PreVisitKind,
    PreVisitStatus,
)

FILLED_ANSWERS = {
    "contact": {
        "name": "Pat Runner",
        "email": "pat@example.com",
        "phone": "+16085550142",
        "date_of_birth": "1988-04-02",
        "emergency_name": "Lee Runner",
        "emergency_phone": "+16085550199",
    },
    "reasons": {
        "problem": "Knee pain on downhill runs",
        "body_area": "knee",
        "activities": ["running", "climbing"],
        "goals": "Run the Madison half marathon in May",
    },
    "history": {
        "conditions": ["lung"],
        "other_conditions": "",
        "surgeries": "",
        "medications": "Ibuprofen as needed",
        "pregnancy": "not_relevant",
    },
    # The self-check's keys and values, as the safety section stores them.
    "safety": {
        "answers": {"injury": ["yes"], "walk_then": ["yes"], "walk_now": ["no"]},
        "outcome": "see_doctor",
        "explanation": "",
    },
    "measures": {"saved": True},
    "consent": {"versions": {"treatment": 1, "privacy": 1}},
}


def make_previsit(
    *, appointment: Appointment, status: str = PreVisitStatus.NOT_STARTED, **fields
) -> PreVisit:
    previsit = PreVisit(
        appointment=appointment,
        kind=fields.pop("kind", PreVisitKind.FIRST_VISIT),
        status=status,
        **fields,
    )
    previsit.issue_token()
    previsit.save()
    return previsit


def fill_previsit(previsit: PreVisit, *, activities: int = 3) -> PreVisit:
    """Done, with every section, both seeded measures and both consents signed."""
    now = timezone.now()
    previsit.answers = FILLED_ANSWERS
    previsit.status = PreVisitStatus.DONE
    previsit.started_at = now - timedelta(minutes=20)
    previsit.completed_at = now
    previsit.save()
    psfs_answers = [
        {"item": f"activity-{n}", "label": f"Activity {n}", "value": n + 2}
        for n in range(1, activities + 1)
    ]
    MeasureResponse.objects.create(
        previsit=previsit,
        measure=Measure.objects.get(slug="psfs"),
        answers=psfs_answers,
        score=Decimal(sum(a["value"] for a in psfs_answers)) / len(psfs_answers),
    )
    MeasureResponse.objects.create(
        previsit=previsit,
        measure=Measure.objects.get(slug="pain"),
        answers=[
            {"item": "now", "label": "Your pain right now", "value": 4},
            {"item": "best", "label": "Your pain at its least", "value": 2},
            {"item": "worst", "label": "Your pain at its worst", "value": None},
        ],
        score=Decimal(3),
    )
    for text in ConsentText.objects.current():
        ConsentSignature.objects.create(
            previsit=previsit,
            consent_text=text,
            typed_name=previsit.appointment.patient_name,
            signed_at=now,
            client_address_hash="0" * 64,
        )
    return previsit
