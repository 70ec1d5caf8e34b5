from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from education.models import Exercise, Guide, Protocol


class PublishedSitemap(Sitemap):
    """Published pages only: drafts must not be announced to search engines."""

    model: type[Guide] | type[Exercise] | type[Protocol]
    changefreq = "monthly"

    def items(self) -> QuerySet:
        return self.model.objects.published().only("slug", "updated_at")

    def lastmod(self, item: Guide | Exercise | Protocol) -> datetime:
        return item.updated_at


class GuideSitemap(PublishedSitemap):
    model = Guide
    priority = 0.8


class ExerciseSitemap(PublishedSitemap):
    model = Exercise


class ProtocolSitemap(PublishedSitemap):
    model = Protocol
