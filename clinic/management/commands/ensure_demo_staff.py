import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff import second_factor


class Command(BaseCommand):
    help = (
        "Development only: create or reset the 'demo' superuser and print its password, "
        "its authenticator secret and fresh recovery codes."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Refusing to create a demo login with DJANGO_DEBUG off.")
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username="demo", defaults={"email": "demo@example.com"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        # The app's secret survives a restart, so an authenticator set up once keeps working.
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        if device is None:
            device = second_factor.pending_authenticator(user=user)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        codes = second_factor.new_recovery_codes(user=user)
        self.stdout.write(
            self.style.SUCCESS(f"Demo staff login: demo / {password}  (sign in at /admin/)")
        )
        self.stdout.write(
            "Second step: add this to an authenticator app and type its code\n"
            f"  {device.config_url}\n"
            f"  (setup key {second_factor.secret_for_typing(device)})\n"
            "or type one of these recovery codes (each works once; new ones every run):"
        )
        for code in codes:
            self.stdout.write(f"  {code}")
