from django.contrib.sitemaps import Sitemap

from .models import Issue


class IssueSitemap(Sitemap):
    """The archive's sent issues, for site_config/urls.py's sitemap."""

    changefreq = "never"
    priority = 0.3

    def items(self):
        return Issue.objects.sent().order_by("-sent_at", "-pk")

    def lastmod(self, item):
        return item.sent_at
