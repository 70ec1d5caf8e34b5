"""Header and footer links, reversed once per worker, follow where the site is served."""

from django.test.utils import override_script_prefix


def test_header_and_footer_link_to_the_same_pages_wherever_the_site_is_mounted(client, db):
    for prefix in ["/", "/clinic/", "/"]:  # back to / after: no address kept from before
        with override_script_prefix(prefix):
            page = client.get("/").content.decode()
        missing = [
            path
            for path in ["guides/", "check/", "team/", "book/", "contact/", "privacy/"]
            if f'href="{prefix}{path}' not in page
        ]
        assert missing == [], prefix
        assert f'<a class="brand" href="{prefix}">' in page
