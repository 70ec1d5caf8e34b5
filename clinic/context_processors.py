from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from intake.clinic_details import clinic_details


def clinic(request: HttpRequest) -> dict:
    """The clinic's name, phone, address and hours, which every page shows.

    A page kept for everyone under a content version (education/page_cache.py) reads them
    as of that version, so a kept page never holds details from before an edit.
    """
    version = getattr(request, "content_version", None)
    return {
        "clinic": SimpleLazyObject(lambda: clinic_details(content_version=version)),
        "site_url": settings.SITE_URL,
    }
