"""Today's "Home programmes" list, as its own tag and template, so the Today page needs
one line to show it and its own query function (intake.programmes.home_programme_flags)."""

from django import template
from django.utils import timezone

from intake.models.previsit import can_read_answers
from intake.programmes import home_programme_flags, today_local

register = template.Library()


@register.inclusion_tag("admin/today/_home_programmes.html", takes_context=True)
def home_programmes(context: template.Context) -> dict:
    """Programmes that need a look, worst first: for staff who may see programmes; pain,
    effort and notes only for those who may read the intake answers."""
    request = context["request"]
    user = request.user
    if not user.has_perm("intake.view_programme"):
        return {"show": False}
    health = can_read_answers(user)
    return {
        "show": True,
        "flagged": home_programme_flags(today=today_local(timezone.now()), include_health=health),
        "can_mark": health and user.has_perm("intake.change_programme"),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
