from django.conf import settings
from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict:
    """The clinic's name and phone number, which every page shows."""
    return {"clinic": settings.CLINIC, "site_url": settings.SITE_URL}
