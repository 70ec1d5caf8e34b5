from django.template import engines

from education.rendering import render_markdown


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
