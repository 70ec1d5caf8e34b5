"""The second factor: an authenticator app (TOTP), and recovery codes for a lost phone.

Both are django-otp devices: a TOTPDevice holds the app's secret (created unconfirmed
at enrolment, confirmed once the person types a code from it), a StaticDevice holds the
ten one-use recovery codes. Wrong codes slow down by themselves: django-otp makes each
device wait 1, 2, 4, 8... seconds after each failure.
"""

import math
import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_authenticator(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until the person confirms it."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def confirm_authenticator(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app once it shows a right code; returns the new recovery codes, or None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(_without_spaces(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(user=device.user)


def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the person's recovery codes with ten new ones; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(*, user: User, code: str) -> Device | None:
    """The device that accepts this code: six digits are the app's, anything else a recovery code.

    Telling them apart first matters: a device counts every code it rejects towards its
    slow-down, so trying a recovery code on the app would make the next real code wait.
    """
    devices, token = _devices_for(user=user, code=code)
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(token):
                return device
    return None


def seconds_before_next_try(*, user: User, code: str) -> int:
    """How long every device this code is for still refuses any code after wrong ones (0: none).

    While a device waits it turns down even the right code, with nothing to tell it from a
    wrong one; asking first lets the page say "wait 2 seconds" instead of "did not work".
    """
    devices, _ = _devices_for(user=user, code=code)
    return min((seconds_to_wait(device) for device in devices), default=0)


def seconds_to_wait(device: Device) -> int:
    """Whole seconds until this device checks a code again after wrong ones (0: it would now)."""
    allowed, refusal = device.verify_is_allowed()
    if allowed or not refusal or "locked_until" not in refusal:
        return 0
    left = (refusal["locked_until"] - timezone.now()).total_seconds()
    return max(1, math.ceil(left))


def _devices_for(*, user: User, code: str) -> tuple[QuerySet, str]:
    token = _without_spaces(code)
    if re.fullmatch(r"[0-9]{6}", token):
        return TOTPDevice.objects.devices_for_user(user, confirmed=True), token
    devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
    return devices, token.replace("-", "").lower()


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(text: str) -> str:
    """An inline SVG QR code (no image request, nothing for the CSP to allow)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    svg = image.to_string(encoding="unicode")
    return re.sub(r'width="[^"]+" height="[^"]+"', 'width="220" height="220"', svg, count=1)


def _without_spaces(code: str) -> str:
    """People type codes with spaces ("123 456"); only the digits count."""
    return re.sub(r"\s", "", code)
