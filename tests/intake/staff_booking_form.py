"""What the front desk types into the admin's "Add appointment" form for a phone booking."""

from tests.intake.booking_factories import CHICAGO


def split(moment) -> dict:
    """A moment as the form's separate date and time boxes, in clinic time."""
    local_moment = moment.astimezone(CHICAGO)
    return {"start_0": f"{local_moment:%Y-%m-%d}", "start_1": f"{local_moment:%H:%M}"}


def booking_data(clinician, visit, start, **extra) -> dict:
    return {
        "clinician": clinician.pk,
        "appointment_type": visit.pk,
        **split(start),
        "patient_name": "Phone Caller",
        "patient_email": "caller@example.com",
        "patient_phone": "608-555-0142",
        "email_patient": "on",
        **extra,
    }
