from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Model, QuerySet

from education.models import Exercise, Guide, Protocol


class PublishedSitemap(Sitemap):
    """Published pages only: drafts must not be announced to search engines."""

    model: type[Model]
    changefreq = "monthly"

    def items(self) -> QuerySet:
        return self.model.objects.published().only("slug", "updated_at")

    def lastmod(self, item: Model) -> datetime:
        return item.updated_at


class GuideSitemap(PublishedSitemap):
    model = Guide
    priority = 0.8


class ExerciseSitemap(PublishedSitemap):
    model = Exercise


class ProtocolSitemap(PublishedSitemap):
    model = Protocol
