"""Small builders shared by the contact and lead tests."""

from datetime import datetime, timedelta

from django.utils import timezone

from intake.forms.leads import issue_form_token
from intake.models import Lead


class Clock:
    """A stopped clock for `django.utils.timezone.now`, moved on by hand."""

    def __init__(self, monkeypatch, start: datetime | None = None) -> None:
        self.now = start or timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def contact_data(**overrides) -> dict:
    """A contact form POST a person could send, shown to them a minute ago."""
    data = {
        "name": "Jane Runner",
        "email": "jane@example.com",
        "phone": "(608) 555-0199",
        "preferred_contact_method": "phone",
        "preferred_time": "morning",
        "activity": "running",
        "body_area": "knee",
        "message": "My knee hurts going down stairs after long runs.",
        "heard_about": "friend",
        "consent": "on",
        "form_token": issue_form_token(timezone.now() - timedelta(minutes=1)),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_lead(**fields) -> Lead:
    defaults = {"name": "Sam Climber", "email": "sam@example.com", "phone": "+16085550142"}
    return Lead.objects.create(**{**defaults, **fields})
