"""Intake models, one module per feature so each can grow on its own."""

from intake.models.leads import Lead, LeadNote, LeadSource, LeadStatus, TriageOutcome
from intake.models.scheduling import (
    Appointment,
    AppointmentMode,
    AppointmentStatus,
    AppointmentType,
    CancelledBy,
    Clinician,
    TimeOff,
    Weekday,
    WeeklyAvailability,
)

__all__ = ["Lead", "LeadNote", "LeadSource", "LeadStatus", "TriageOutcome"]
__all__ += [
    "Appointment",
    "AppointmentMode",
    "AppointmentStatus",
    "AppointmentType",
    "CancelledBy",
    "Clinician",
    "TimeOff",
    "Weekday",
    "WeeklyAvailability",
]
