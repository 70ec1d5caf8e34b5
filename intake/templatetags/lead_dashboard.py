from django import template
from django.utils import timezone

from intake.leads import dashboard_figures

register = template.Library()


@register.inclusion_tag("admin/intake/lead_dashboard.html", takes_context=True)
def lead_dashboard(context: template.Context) -> dict:
    """Lead figures for the admin index, for staff who may see leads and nobody else."""
    user = context["request"].user
    if not user.has_perm("intake.view_lead"):
        return {"show": False}
    return {"show": True, **dashboard_figures(timezone.now())}
