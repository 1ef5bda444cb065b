from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from .models import Issue

FEED_SIZE = 20


class IssueFeed(Feed):
    """RSS of the sent issues, as the archive shows them: nobody's personal links."""

    description = "Every issue of the newsletter, as it was sent."

    def title(self):
        return f"The {settings.SITE_NAME} newsletter"

    def link(self):
        return reverse("newsletter:archive")

    def items(self):
        issues = Issue.objects.sent().select_related("newsletter")
        return issues.order_by("-sent_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.subject

    def item_description(self, item):
        # Markdown rendered and sanitised by forum.core.html when the issue was saved.
        return item.intro_html

    def item_pubdate(self, item):
        return item.sent_at

    def item_categories(self, item):
        return [item.newsletter.name]
