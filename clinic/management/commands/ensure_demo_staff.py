import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Development only: create or reset the 'demo' superuser and print its password."

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
        self.stdout.write(
            self.style.SUCCESS(f"Demo staff login: demo / {password}  (sign in at /admin/)")
        )
