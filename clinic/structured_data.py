"""Schema.org JSON-LD: what search engines read about the clinic and its pages."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Characters that could close the <script> element or open markup inside it, written as
# JSON unicode escapes (what Django's json_script does) so clinician text cannot break out.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(path: str) -> str:
    """The public address of a path on this site, from SITE_URL rather than the Host header."""
    return f"{settings.SITE_URL}{path}"


def clinic_business() -> dict:
    """The clinic as a MedicalBusiness specialising in physiotherapy."""
    clinic = settings.CLINIC
    return {
        "@type": "MedicalBusiness",
        "@id": absolute_url("/#clinic"),
        "name": clinic["name"],
        "url": absolute_url("/"),
        "telephone": clinic["phone_e164"],
        "medicalSpecialty": "Physiotherapy",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": clinic["city"],
            "addressRegion": clinic["region"],
            "addressCountry": clinic["country"],
        },
    }


def script_tag(data: dict, nonce: object | None) -> SafeString:
    """A <script type="application/ld+json"> block carrying the page's CSP nonce."""
    payload = json.dumps({"@context": "https://schema.org", **data}, cls=DjangoJSONEncoder)
    body = mark_safe(payload.translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped just above
    if nonce is None:
        return format_html('<script type="application/ld+json">{}</script>', body)
    return format_html('<script type="application/ld+json" nonce="{}">{}</script>', nonce, body)
