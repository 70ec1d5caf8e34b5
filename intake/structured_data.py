"""Schema.org descriptions of the clinic's people, for search engines.

Built from settings (SITE_URL) rather than from the project package, so intake never
imports `clinic`, as education/structured_data.py does. Each clinician is a Physician
(schema.org's type for a medical practitioner, a Person too) who works for the same
MedicalBusiness node the home page describes (same @id), so search engines join them.
"""

from django.conf import settings
from django.urls import reverse

from intake.models import Clinician


def absolute_url(path: str) -> str:
    """The public address of a path on this site, from SITE_URL rather than the Host header."""
    return f"{settings.SITE_URL}{path}"


def clinician_person(clinician: Clinician) -> dict:
    """One clinician as a Physician: name, letters, specialties, bio and photo if any."""
    person = {
        "@type": ["Person", "Physician"],
        "@id": absolute_url(f"{reverse('intake:team')}#clinician-{clinician.pk}"),
        "name": clinician.name,
        "url": absolute_url(f"{reverse('intake:team')}#clinician-{clinician.pk}"),
        "medicalSpecialty": "Physiotherapy",
        "worksFor": {"@id": absolute_url("/#clinic")},
    }
    if clinician.credentials:
        person["honorificSuffix"] = clinician.credentials
    if clinician.bio:
        person["description"] = clinician.bio
    specialties = [specialty.name for specialty in clinician.specialties.all()]
    if specialties:
        person["knowsAbout"] = specialties
    if picture := clinician.picture():
        person["image"] = absolute_url(picture.fallback_url())
    return person


def team_page(clinicians: list[Clinician]) -> dict:
    """The /team/ page: an ItemList of the clinicians, in the order the page lists them."""
    return {
        "@type": "ItemList",
        "name": "Our physical therapists",
        "url": absolute_url(reverse("intake:team")),
        "itemListElement": [
            {"@type": "ListItem", "position": number, "item": clinician_person(clinician)}
            for number, clinician in enumerate(clinicians, start=1)
        ],
    }
