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

__all__ = ["Lead", "LeadNote", "LeadSource", "LeadStatus", "TriageOutcome"]
__all__ += ["Choice", "OutcomeRule", "OutcomeTally", "Question", "QuestionKind", "Questionnaire"]
__all__ += ["RedFlag"]
