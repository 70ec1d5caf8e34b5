from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from intake.clinic_details import clinic_details


def clinic(request: HttpRequest) -> dict:
    """The clinic's name, phone, address and hours, which every page shows."""
    return {"clinic": SimpleLazyObject(clinic_details), "site_url": settings.SITE_URL}
