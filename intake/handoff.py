"""Carrying a finished self-check to the contact or booking form.

The patient's answers are not stored until they choose to send them, so the
result page hands them on in a signed form field (never in a URL, never in the
server-side session). Signing stops tampering with the outcome; the token holds
health details, so it travels only in POST bodies over HTTPS.
"""

from dataclasses import asdict, dataclass, field

from django.core import signing

SALT = "intake.selfcheck.handoff"
MAX_AGE_SECONDS = 60 * 60 * 4
FIELD_NAME = "selfcheck_token"
# After a contact request, the booking form starts with the same name, email and
# phone. Contact details only (no message, no answers), so the server-side
# session may hold them.
CONTACT_DETAILS_SESSION_KEY = "intake.contact_details"


@dataclass(frozen=True)
class SelfCheckHandoff:
    questionnaire: str  # the questionnaire's slug
    outcome: str  # an intake.models.TriageOutcome value
    rule: str  # the name of the rule that decided the outcome
    answers: list[dict[str, str]] = field(default_factory=list)  # [{"question", "answer"}]


def dumps(handoff: SelfCheckHandoff) -> str:
    return signing.dumps(asdict(handoff), salt=SALT, compress=True)


def loads(token: str) -> SelfCheckHandoff | None:
    """The hand-off in a token, or None when it is missing, altered or too old."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        return SelfCheckHandoff(**data)
    except (signing.BadSignature, TypeError):
        return None
