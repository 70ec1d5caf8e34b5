from collections import Counter

from django import template
from django.conf import settings
from django.db.models import Value

from education.models import Exercise, Guide, Protocol

register = template.Library()


def _counts() -> Counter:
    """Guides and protocols due for review and draft exercises awaiting it, in one query:
    the staff home and Today show these on every visit."""
    rows = (
        queryset.order_by().annotate(kind=Value(kind)).values_list("kind")
        for kind, queryset in (
            ("guides", Guide.objects.review_due()),
            ("protocols", Protocol.objects.review_due()),
            ("exercises", Exercise.objects.awaiting_review()),
        )
    )
    first, *others = rows
    return Counter(kind for (kind,) in first.union(*others, all=True).order_by())


@register.inclusion_tag("education/review_due.html", takes_context=True)
def review_due(context: template.Context) -> dict:
    """How many guides, protocols and exercises await a clinical review, for those who may
    review them."""
    user = context["request"].user
    if not user.has_perm("education.change_guide"):
        return {"show": False}
    counts = _counts()
    return {
        "show": True,
        "guides": counts["guides"],
        "protocols": counts["protocols"],
        "exercises": counts["exercises"],
        "months": settings.CONTENT_REVIEW_MONTHS,
    }
