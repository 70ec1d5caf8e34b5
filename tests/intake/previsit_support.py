"""Book visits through the real booking function and fill in the before-visit form
through the test client, as a patient's browser would."""

from datetime import time, timedelta

from django.utils import timezone

from intake.booking import Patient, book_appointment, find_slots
from intake.models import Appointment, AppointmentType, Clinician, PreVisit
from tests.intake.booking_factories import CHICAGO, make_clinician
from tests.intake.selfcheck_client import CALM

SAFETY_KEYS = [
    "age",
    "injury",
    "out_of_place",
    "lift_leg",
    "tendon_gap",
    "foot_colour",
    "walk_then",
    "walk_now",
    "fast_swelling",
    "bone_tender",
    "bend_90",
    "locking",
    "giving_way",
    "swelling",
    "hot_red",
    "fever",
    "calf",
    "night_pain",
    "weight_cancer",
    "other_joints",
    "nerves",
    "limp_hip",
]
# The general screening every patient answers (shared/clinical/red-flags-by-region.md,
# section 1), all No: not pregnant, so the pregnancy items are not asked.
GENERAL_KEYS = ["g_e1", "g_e2", "g_e3", "g_e4", "g_d1", "g_d2", "g_d3", "g_d4", "g_d5", "g_d6"]
CALM_GENERAL = {**dict.fromkeys(GENERAL_KEYS, "no"), "pregnant_recent": "no"}
# No warning signs: no injury, so the injury questions are not asked, and no hot knee.
CALM_SAFETY = {**{key: CALM[key] for key in SAFETY_KEYS}, **CALM_GENERAL}

CONTACT = {
    "name": "Pat Runner",
    "email": "pat@example.com",
    "phone": "608 555 0123",
    "date_of_birth": "1988-04-23",
    "emergency_name": "Sam Runner",
    "emergency_phone": "(608) 555-0199",
}
REASONS = {
    "problem": "Knee pain on long runs",
    "body_area": "knee",
    "activities": ["running", "climbing"],
    "goals": "Run the Madison half marathon in May",
}
HISTORY = {
    "conditions": ["lung"],
    "surgeries": "",
    "medications": "Ibuprofen sometimes",
    "pregnancy": "not_relevant",
}


def clinician() -> Clinician:
    found = Clinician.objects.filter(name="Dana Lee").first()
    return found or make_clinician("Dana Lee", hours=[(time(7), time(19))])


def book(
    type_slug: str = "initial-evaluation",
    *,
    days_ahead: int = 7,
    email: str = "pat@example.com",
    name: str = "Pat Runner",
    message: str = "",
) -> Appointment:
    """Book Dana Lee's first free time from `days_ahead` days from now on.

    That day may have no free time left (an evaluation needs 24 hours' notice, so "tomorrow"
    after 19:00 has none), so the search runs on over the next week.
    """
    visit = AppointmentType.objects.get(slug=type_slug)
    day = (timezone.now() + timedelta(days=days_ahead)).astimezone(CHICAGO).date()
    slot = find_slots(
        appointment_type=visit,
        start_date=day,
        end_date=day + timedelta(days=7),
        clinician=clinician(),
    )[0]
    return book_appointment(
        slot=slot,
        appointment_type=visit,
        patient=Patient(name=name, email=email, phone="+16085550123", message=message),
    )


def form_of(appointment: Appointment) -> PreVisit:
    return PreVisit.objects.get(appointment=appointment)


def section_url(previsit: PreVisit, section: str) -> str:
    return f"/before-your-visit/{previsit.token}/{section}/"


def measures_data(*, psfs: dict[str, str] | None = None, pain: dict[str, str] | None = None):
    """The measures section's POST: PSFS activities by name -> rating, pain by item."""
    from intake.models import Measure

    data = {}
    psfs_measure = Measure.objects.get(slug="psfs")
    pain_measure = Measure.objects.get(slug="pain")
    for index, (name, rating) in enumerate((psfs or {}).items(), start=1):
        data[f"m{psfs_measure.pk}_{index}_name"] = name
        data[f"m{psfs_measure.pk}_{index}_rating"] = rating
    for key, rating in (pain or {}).items():
        data[f"m{pain_measure.pk}_{key}"] = rating
    return data


def consent_data(name: str = "Pat Runner") -> dict:
    return {"agree_treatment": "on", "agree_privacy": "on", "typed_name": name}


def name_areas(client, previsit: PreVisit, *areas: str) -> None:
    """Save "What brings you in" naming these body areas: the safety questions follow."""
    response = client.post(section_url(previsit, "reasons"), {**REASONS, "body_area": list(areas)})
    assert response.status_code == 302, response.content.decode()[:2000]


def knee_form(client, **booking) -> PreVisit:
    """A booked first visit whose patient named the knee."""
    previsit = form_of(book(**booking))
    name_areas(client, previsit, "knee")
    return previsit


def fill_first_visit(client, previsit: PreVisit) -> list:
    """Post every section of a first-visit form with good answers; the responses."""
    posts = [
        ("contact", CONTACT),
        ("reasons", REASONS),
        ("history", HISTORY),
        ("safety", CALM_SAFETY),
        (
            "measures",
            measures_data(
                psfs={"Running 10 km": "4", "Climbing stairs": "7"},
                pain={"now": "3", "best": "1", "worst": "6"},
            ),
        ),
        ("consent", consent_data()),
    ]
    return [client.post(section_url(previsit, section), data) for section, data in posts]
