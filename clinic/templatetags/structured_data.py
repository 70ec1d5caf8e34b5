from django import template
from django.utils.safestring import SafeString

from clinic.structured_data import clinic_business, script_tag

register = template.Library()


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    """{% json_ld data %}: the data as a JSON-LD block."""
    return script_tag(data)


@register.simple_tag
def clinic_json_ld() -> SafeString:
    """{% clinic_json_ld %}: the clinic as a MedicalBusiness, for the home page."""
    return script_tag(clinic_business())
