from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from education.sitemaps import ExerciseSitemap, GuideSitemap, ProtocolSitemap


class StaticPagesSitemap(Sitemap):
    """Pages that are the same for everyone: the site pages and where each journey starts."""

    changefreq = "monthly"

    def items(self) -> list[str]:
        return [
            "home",
            "privacy",
            "intake:selfcheck_list",
            "intake:contact",
            "intake:booking_start",
            "intake:team",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


# Each app adds its own sitemap here.
sitemaps: dict[str, type[Sitemap]] = {
    "pages": StaticPagesSitemap,
    "guides": GuideSitemap,
    "exercises": ExerciseSitemap,
    "protocols": ProtocolSitemap,
}
