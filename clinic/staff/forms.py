from typing import ClassVar

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff import second_factor

WRONG_CODE = (
    "That code did not work. Codes change every 30 seconds: wait for a new one and type it "
    "straight away. If you tried several, wait a minute before the next try."
)


def wait_message(seconds: int) -> str:
    """Said instead of WRONG_CODE while wrong tries make every code wait, even a right one."""
    unit = "second" if seconds == 1 else "seconds"
    return (
        f"Too quick after a wrong code: wait {seconds} {unit}, then type the code your app "
        "shows at that moment. Each wrong code in a row doubles the wait."
    )


class CodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    # Feeds no model field: the code is checked, never stored.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your "
        "recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device: Device | None = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if wait := second_factor.seconds_before_next_try(user=self.user, code=code):
            raise forms.ValidationError(wait_message(wait), code="wait")
        self.device = second_factor.verify(user=self.user, code=code)
        if self.device is None:
            raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        return code


class EnrolForm(forms.Form):
    """The first code from a newly added authenticator app, proving it has the secret."""

    # Feeds no model field: the code is checked, never stored.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    code = forms.CharField(
        label="6-digit code from the app",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device
        self.recovery_codes: list[str] = []

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if wait := second_factor.seconds_to_wait(self.device):
            raise forms.ValidationError(wait_message(wait), code="wait")
        codes = second_factor.confirm_authenticator(device=self.device, code=code)
        if codes is None:
            raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        self.recovery_codes = codes
        return code


class PasswordAgainForm(forms.Form):
    """The signed-in person's password, typed again before personal data leaves the admin.

    It goes through authenticate(), so wrong tries count towards the lockout like any sign-in.
    """

    # Feeds no model field: the password is checked, never stored.
    saved_to: ClassVar[dict[str, tuple[str, ...]]] = {}

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
