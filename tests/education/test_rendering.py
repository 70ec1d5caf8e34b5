import markdown
import pytest
from django.template import engines

from education.models import Guide
from education.rendering import render_markdown
from tests.education.conftest import make_guide


def test_markdown_becomes_headings_paragraphs_and_lists():
    html = render_markdown("## Why?\n\nBecause **it helps**.\n\n1. Stand\n2. Bend")
    assert "<h2>Why?</h2>" in html
    assert "<strong>it helps</strong>" in html
    assert "<ol>\n<li>Stand</li>\n<li>Bend</li>\n</ol>" in html


def test_scripts_handlers_styles_and_javascript_links_are_removed():
    html = render_markdown(
        '<script>alert(1)</script><p style="color:red" onclick="x()">Hi</p>'
        "\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    for unsafe in ("<script", "alert(1)</script>", "style=", "onclick", "javascript:", "<img"):
        assert unsafe not in html
    assert "Hi" in html


def test_links_to_the_web_and_phone_survive():
    html = render_markdown("[Call](tel:+16082184215) or [read](https://example.org/)")
    assert 'href="tel:+16082184215"' in html
    assert 'href="https://example.org/"' in html


def test_template_filter_renders_and_is_not_escaped_again():
    template = engines["django"].from_string("{% load markdown_filters %}{{ text|markdown }}")
    assert template.render({"text": "*one* & two"}) == "<p><em>one</em> &amp; two</p>"


def test_markdown_is_rendered_and_sanitised_when_content_is_saved(db):
    """Pages show HTML made at save time; a script typed into the admin never reaches them."""
    guide = make_guide(body="## Why?\n\n**Rest** first.<script>alert(1)</script>")
    stored = Guide.objects.values_list("body_html", flat=True).get(pk=guide.pk)
    assert "<h2>Why?</h2>" in stored
    assert "<strong>Rest</strong>" in stored
    assert "<script" not in stored

    guide.body = "Changed."
    guide.save(update_fields=["body"])
    assert Guide.objects.values_list("body_html", flat=True).get(pk=guide.pk) == "<p>Changed.</p>"


def test_the_guide_page_does_not_parse_markdown_per_request(client, knee_guide, monkeypatch):
    monkeypatch.setattr(markdown, "markdown", lambda *args, **kwargs: pytest.fail("parsed"))
    client.cookies["messages"] = "fresh render"
    assert client.get(knee_guide.get_absolute_url()).status_code == 200
