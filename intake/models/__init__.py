"""Intake models, one module per feature so each can grow on its own."""

from intake.models.leads import Lead, LeadNote, LeadSource, LeadStatus, TriageOutcome
from intake.models.questionnaires import (
    Choice,
    OutcomeRule,
    OutcomeTally,
    Question,
    QuestionKind,
    Questionnaire,
    RedFlag,
)
from intake.models.ratelimit import RateLimitCounter
from intake.models.readlog import ReadAction, ReadLogEntry
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

__all__ = [
    "Appointment",
    "AppointmentMode",
    "AppointmentStatus",
    "AppointmentType",
    "CancelledBy",
    "Choice",
    "Clinician",
    "Lead",
    "LeadNote",
    "LeadSource",
    "LeadStatus",
    "OutcomeRule",
    "OutcomeTally",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "RateLimitCounter",
    "ReadAction",
    "ReadLogEntry",
    "RedFlag",
    "TimeOff",
    "TriageOutcome",
    "Weekday",
    "WeeklyAvailability",
]
