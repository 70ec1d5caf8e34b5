"""Markdown written by clinicians in the admin, turned into HTML that is safe to show patients."""

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# What guide and exercise prose needs, nothing more. No <h1> (the page has one), no images
# (they go in their own field with alt text) and no style attributes (the CSP forbids them).
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a",
    "h2", "h3", "h4", "blockquote", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@lru_cache(maxsize=1024)
def render_markdown(text: str) -> SafeString:
    """Render Markdown and strip anything unsafe (scripts, event handlers, javascript: links).

    Cached by the text itself: the output depends on nothing else, so an edit simply
    renders anew, and the guide page does not re-parse unchanged prose on every request.
    """
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
