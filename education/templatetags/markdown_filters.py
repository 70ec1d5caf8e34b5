from django import template
from django.utils.safestring import SafeString

from education.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ exercise.steps|markdown }}: clinician-written Markdown as sanitised HTML."""
    return render_markdown(text or "")
