"""{% site_link 'name' %}: the address of a page every page links to, reversed once per worker.

The header and footer link to the same handful of pages on every page, and reversing a
URL name walks the URLconf each time: a fifth of the time a page took to render. A name
without arguments always reverses to the same address for a given script prefix and
URLconf, so the address is kept per (name, prefix, URLconf) for the life of the worker.
"""

from functools import cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@cache
def _address(name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def site_link(name: str) -> str:
    """Like {% url name %} for a URL name that takes no arguments."""
    return _address(name, get_script_prefix(), get_urlconf())
