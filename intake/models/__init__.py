"""Intake models, one module per feature so each can grow on its own."""

from intake.models.leads import Lead, LeadNote, LeadSource, LeadStatus, TriageOutcome
from intake.models.ratelimit import RateLimitCounter

__all__ = ["Lead", "LeadNote", "LeadSource", "LeadStatus", "RateLimitCounter", "TriageOutcome"]
