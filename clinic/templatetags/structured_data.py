from django import template
from django.utils.safestring import SafeString

from clinic.structured_data import clinic_business, script_tag

register = template.Library()


@register.simple_tag(takes_context=True)
def json_ld(context: template.Context, data: dict) -> SafeString:
    """{% json_ld data %}: the data as a JSON-LD block the page's CSP allows."""
    return script_tag(data, context.get("csp_nonce"))


@register.simple_tag(takes_context=True)
def clinic_json_ld(context: template.Context) -> SafeString:
    """{% clinic_json_ld %}: the clinic as a MedicalBusiness, for the home page."""
    return script_tag(clinic_business(), context.get("csp_nonce"))
