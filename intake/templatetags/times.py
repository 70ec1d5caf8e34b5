"""Template filters for intake.times: `{{ moment|when }}` and `{% zone_name %}`."""

from datetime import datetime

from django import template

from intake import times

register = template.Library()


@register.filter
def when(moment: datetime | None) -> str:
    return times.when(moment) if moment else ""


@register.filter
def clock(moment: datetime | None) -> str:
    return times.clock(moment) if moment else ""


@register.simple_tag
def zone_name() -> str:
    return times.zone_name()
