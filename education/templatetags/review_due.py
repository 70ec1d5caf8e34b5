from django import template
from django.conf import settings

from education.models import Exercise, Guide, Protocol

register = template.Library()


@register.inclusion_tag("education/review_due.html", takes_context=True)
def review_due(context: template.Context) -> dict:
    """How many guides, protocols and exercises await a clinical review, for those who may
    review them."""
    user = context["request"].user
    if not user.has_perm("education.change_guide"):
        return {"show": False}
    return {
        "show": True,
        "guides": Guide.objects.review_due().count(),
        "protocols": Protocol.objects.review_due().count(),
        "exercises": Exercise.objects.awaiting_review().count(),
        "months": settings.CONTENT_REVIEW_MONTHS,
    }
