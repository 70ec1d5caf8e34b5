"""Scores in templates written the one way the charts and their tables write them
(intake.measures.points), so a clinician reads "5.5" on every page, never "5.50"."""

from decimal import Decimal

from django import template

from intake import measures

register = template.Library()


@register.filter
def points(value: Decimal | int | None) -> str:
    """A score or an MCID as clinicians say it: 5.5, 5, 6.33; empty for none."""
    return "" if value is None else measures.points(Decimal(str(value)))
