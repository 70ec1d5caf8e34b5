"""The contact form: a person asks the clinic to get in touch."""

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from intake import selfcheck
from intake.forms.fields import PhoneNumberField, choice_field
from intake.models import Lead, LeadSource, TriageOutcome
from intake.models.leads import Activity, BodyArea, ContactMethod, HeardAbout, PreferredTime

FORM_TOKEN_SALT = "intake.contact.form"
# Hidden from people (CSS, aria-hidden, out of the tab order); bots fill it in.
HONEYPOT_FIELD = "website"


@dataclass(frozen=True)
class FormToken:
    """This copy of the form: a one-time key for the lead it will make, and when it was shown."""

    submission_key: uuid.UUID
    shown_at: float  # seconds since the epoch


def issue_form_token(shown_at: datetime | None = None) -> str:
    """A signed token for a newly shown form; signing stops a bot backdating `shown_at`."""
    shown_at = shown_at or timezone.now()
    return signing.dumps(
        {"key": uuid.uuid4().hex, "at": shown_at.timestamp()}, salt=FORM_TOKEN_SALT
    )


def read_form_token(token: str) -> FormToken | None:
    try:
        data = signing.loads(token, salt=FORM_TOKEN_SALT)
        return FormToken(submission_key=uuid.UUID(data["key"]), shown_at=float(data["at"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def no_control_characters(value: str) -> None:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            "Remove the special characters (like tabs or line breaks) from this box.",
            code="control_characters",
        )


class ContactForm(forms.ModelForm):
    phone = PhoneNumberField(
        label="Phone number",
        required=False,
        help_text="Needed if you would like a call or a text. For example (608) 555-0123.",
    )
    consent = forms.BooleanField(
        label="I agree that the clinic may contact me about this request.",
        error_messages={
            "required": "Tick this box so we may contact you. We cannot reply without it."
        },
    )
    attach_selfcheck = forms.BooleanField(
        label="Attach my self-check answers", required=False, initial=True
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Lead
        fields = (
            "name",
            "email",
            "phone",
            "preferred_contact_method",
            "preferred_time",
            "activity",
            "body_area",
            "message",
            "heard_about",
        )
        labels = {
            "name": "Your name",
            "email": "Email address",
            "preferred_contact_method": "How should we contact you?",
            "preferred_time": "When is the best time to reach you?",
            "activity": "What do you want to get back to?",
            "body_area": "Where is the problem?",
            "message": "Anything else you would like us to know? (optional)",
            "heard_about": "How did you hear about us? (optional)",
        }
        help_texts = {
            "name": "",
            "email": "We will send a short note to say we have your message.",
            "preferred_contact_method": "",
            "preferred_time": "",
            "activity": "",
            "body_area": "",
            "message": "For example, how long it has bothered you. "
            "If you need help today, please call us instead.",
            "heard_about": "",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "preferred_contact_method": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "name": {
                "required": "Enter your name.",
                "max_length": "Enter a name of at most %(limit_value)d characters.",
            },
            "email": {
                "required": "Enter your email address.",
                "invalid": "Enter an email address like name@example.com.",
                "max_length": "This email address is too long for us to store: use one of at "
                "most %(limit_value)d characters (this one has %(show_value)d).",
            },
            "preferred_contact_method": {
                "required": "Choose how you would like us to contact you.",
                "invalid_choice": "Choose phone call, text message or email.",
            },
            "preferred_time": {
                "required": "Choose the best time to reach you.",
                "invalid_choice": "Choose one of the times in the list.",
            },
            "activity": {
                "required": "Choose the activity you want to get back to, or Something else.",
                "invalid_choice": "Choose one of the activities in the list.",
            },
            "body_area": {
                "required": "Choose where the problem is, or Not sure.",
                "invalid_choice": "Choose one of the areas in the list.",
            },
            "message": {
                "max_length": "Keep your message to %(limit_value)d characters or fewer "
                "(it has %(show_value)d). You can tell us more when we talk.",
            },
            "heard_about": {"invalid_choice": "Choose one of the answers in the list."},
        }

    def __init__(self, *args, handoff: selfcheck.SelfCheckHandoff | None = None, **kwargs) -> None:
        """`handoff` is the request's self-check, decoded once by the view."""
        super().__init__(*args, **kwargs)
        fields = self.fields
        for name in ("preferred_contact_method", "preferred_time", "activity", "body_area"):
            fields[name].required = True
        fields["name"].validators.append(no_control_characters)
        # Radio buttons need no empty choice; the lists get a plain-language one.
        choice_field(self, "preferred_contact_method").choices = ContactMethod.choices
        choice_field(self, "preferred_time").choices = PreferredTime.choices
        fields["preferred_time"].initial = PreferredTime.ANY
        choice_field(self, "activity").choices = [("", "Choose one"), *Activity.choices]
        choice_field(self, "body_area").choices = [("", "Choose one"), *BodyArea.choices]
        choice_field(self, "heard_about").choices = [
            ("", "Choose one, or leave blank"),
            *HeardAbout.choices,
        ]
        fields["consent"].help_text = format_html(
            'How we use your details: read our <a href="{}">privacy notice</a>.',
            reverse("privacy"),
        )

        # This copy of the form: from the page that showed it, or new.
        self.token = read_form_token(self.data.get("form_token", "")) if self.is_bound else None
        if self.is_bound and self.token is None:
            # Show the person a fresh, valid token with the error, so sending again works.
            # A QueryDict from a request (a dict from some callers): both copy, keeping lists.
            data = cast(QueryDict, self.data).copy()
            data["form_token"] = issue_form_token()
            self.data = data
        elif not self.is_bound:
            self.initial["form_token"] = issue_form_token()

        # The self-check hand-off: answers are offered only with a genuine token.
        self.handoff = handoff
        if self.handoff is None:
            del fields["attach_selfcheck"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if not any(char.isalpha() for char in name):
            raise ValidationError("Enter your name using letters.", code="invalid_name")
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        wants_phone = cleaned.get("preferred_contact_method") in {
            ContactMethod.PHONE,
            ContactMethod.TEXT,
        }
        if wants_phone and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone",
                ValidationError(
                    "Enter a phone number so we can call or text you, or choose email.",
                    code="phone_needed",
                ),
            )
        if self.token is None:
            self.add_error(
                None,
                ValidationError(
                    "This form was out of date. Check your details and press Send again.",
                    code="expired",
                ),
            )
        elif timezone.now().timestamp() - self.token.shown_at < settings.CONTACT_MIN_FILL_SECONDS:
            self.add_error(
                None,
                ValidationError(
                    "That was very quick! Check your details, then press Send again.",
                    code="too_fast",
                ),
            )
        return cleaned

    @property
    def handoff_outcome_label(self) -> str:
        outcome = self.handoff.outcome if self.handoff else ""
        return TriageOutcome(outcome).label if outcome in TriageOutcome else ""

    def is_bot(self) -> bool:
        """True when the hidden honeypot field came back filled in."""
        return bool(self.data.get(HONEYPOT_FIELD))

    @property
    def submission_key(self) -> uuid.UUID:
        """The key of the lead this form makes; a valid form always has its token."""
        if self.token is None:
            raise ValueError("A form without its token is never valid.")
        return self.token.submission_key

    def handoff_to_send(self) -> selfcheck.SelfCheckHandoff | None:
        """The self-check, only when the person ticked the box to send it."""
        return self.handoff if self.cleaned_data.get("attach_selfcheck") else None

    def source(self) -> LeadSource:
        return LeadSource.SELF_CHECK if self.handoff_to_send() else LeadSource.CONTACT_FORM


def is_handoff(post: dict) -> bool:
    """A POST from the self-check result page: the token and nothing else to read."""
    return set(post) - {"csrfmiddlewaretoken"} == {selfcheck.HANDOFF_FIELD_NAME}
