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

__all__ = [
    "Choice",
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
    "RedFlag",
    "TriageOutcome",
]
