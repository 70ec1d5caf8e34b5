"""Schema.org JSON-LD: what search engines read about the clinic and its pages."""

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from intake.clinic_details import clinic_details

# Characters that could close the <script> element or open markup inside it, written as
# JSON unicode escapes (what Django's json_script does) so clinician text cannot break out.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(path: str) -> str:
    """The public address of a path on this site, from SITE_URL rather than the Host header."""
    return f"{settings.SITE_URL}{path}"


def clinic_business() -> dict:
    """The clinic as a MedicalBusiness specialising in physiotherapy, with the address
    and opening hours staff keep in the admin (only what they entered: nothing invented)."""
    clinic = clinic_details()
    address = {
        "@type": "PostalAddress",
        "addressLocality": clinic.city,
        "addressRegion": clinic.region,
        "addressCountry": clinic.country,
    }
    if clinic.street_address:
        address["streetAddress"] = clinic.street_address
    if clinic.postal_code:
        address["postalCode"] = clinic.postal_code
    business: dict[str, Any] = {
        "@type": "MedicalBusiness",
        "@id": absolute_url("/#clinic"),
        "name": clinic.name,
        "url": absolute_url("/"),
        "telephone": clinic.phone_e164,
        "medicalSpecialty": "Physiotherapy",
        "address": address,
    }
    if clinic.email:
        business["email"] = clinic.email
    if clinic.map_url:
        business["hasMap"] = clinic.map_url
    if clinic.hours:
        business["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{label}",
                "opens": opens,
                "closes": closes,
            }
            for _, label, opens, closes in clinic.hours
        ]
    if closures := clinic.closures_ahead():
        # Opening and closing at 00:00 is how schema.org says "closed all day".
        business["specialOpeningHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": first.isoformat(),
                "validThrough": last.isoformat(),
                "opens": "00:00",
                "closes": "00:00",
            }
            for first, last, _ in closures
        ]
    return business


def script_tag(data: dict) -> SafeString:
    """A <script type="application/ld+json"> data block.

    Browsers never execute a data block, so the CSP's script-src does not apply and it
    needs no nonce (the browser journey test checks no violation is reported). Leaving the
    nonce out keeps pages free of per-request values, so they can be served from a cache.
    """
    payload = json.dumps({"@context": "https://schema.org", **data}, cls=DjangoJSONEncoder)
    body = mark_safe(payload.translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped just above
    return format_html('<script type="application/ld+json">{}</script>', body)
