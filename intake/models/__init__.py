"""Intake models, one module per feature so each can grow on its own."""

from intake.models.booking import (
    Appointment,
    AppointmentMode,
    AppointmentStatus,
    AppointmentType,
    AttendanceChange,
    AttendanceChangeKind,
    BeforeVisitForm,
    CancelledBy,
    Clinician,
    Specialty,
    TimeOff,
    Weekday,
    WeeklyAvailability,
)
from intake.models.clinic_details import ClinicDetails, OpeningHours
from intake.models.closures import ClinicClosure
from intake.models.emails import SentEmail
from intake.models.leads import Lead, LeadNote, LeadSource, LeadStatus
from intake.models.measures import Measure, MeasureItem, MeasureResponse, Scoring
from intake.models.previsit import (
    ConsentKind,
    ConsentSignature,
    ConsentText,
    PreVisit,
    PreVisitKind,
    PreVisitStatus,
)
from intake.models.programmes import (
    Programme,
    ProgrammeExercise,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeVersion,
)
from intake.models.ratelimit import RateLimitCounter
from intake.models.readlog import ReadAction, ReadLogEntry
from intake.models.selfcheck import (
    Choice,
    OutcomeRule,
    OutcomeTally,
    Question,
    QuestionKind,
    Questionnaire,
    RedFlag,
    SafetyArea,
    TriageOutcome,
)
from intake.models.series import AppointmentSeries
from intake.models.waitlist import (
    FreedTime,
    FreedTimeStatus,
    OfferOutcome,
    PartOfDay,
    WaitlistEntry,
    WaitlistOffer,
)

__all__ = [
    "BeforeVisitForm",
    "ConsentKind",
    "ConsentSignature",
    "ConsentText",
    "Measure",
    "MeasureItem",
    "MeasureResponse",
    "PreVisit",
    "PreVisitKind",
    "PreVisitStatus",
    "Scoring",
    "Appointment",
    "AppointmentSeries",
    "AppointmentMode",
    "AppointmentStatus",
    "AppointmentType",
    "AttendanceChange",
    "AttendanceChangeKind",
    "CancelledBy",
    "Choice",
    "ClinicClosure",
    "ClinicDetails",
    "Clinician",
    "Lead",
    "LeadNote",
    "LeadSource",
    "LeadStatus",
    "OpeningHours",
    "OutcomeRule",
    "OutcomeTally",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "Programme",
    "ProgrammeExercise",
    "ProgrammeSession",
    "ProgrammeStatus",
    "ProgrammeVersion",
    "SafetyArea",
    "RateLimitCounter",
    "SentEmail",
    "ReadAction",
    "ReadLogEntry",
    "RedFlag",
    "Specialty",
    "TimeOff",
    "TriageOutcome",
    "Weekday",
    "WeeklyAvailability",
    "FreedTime",
    "FreedTimeStatus",
    "OfferOutcome",
    "PartOfDay",
    "WaitlistEntry",
    "WaitlistOffer",
]
