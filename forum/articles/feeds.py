from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .models import Article, Category

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    """The site's RSS feed: the newest listed articles (published, not test content)."""

    title = "Frame & Grain"
    description = "New articles from Frame & Grain, an independent photography magazine."

    def link(self):
        return reverse("articles:home")

    def items(self):
        return Article.objects.listed().select_related("author")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.name


class CategoryFeed(LatestArticlesFeed):
    """RSS for one section, including its subsections."""

    def get_object(self, request, path):
        return get_object_or_404(Category, path=path.strip("/"))

    def title(self, obj):
        return f"{obj.name} — Frame & Grain"

    def description(self, obj):
        return obj.description or f"New articles in {obj.name}."

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return (
            Article.objects.listed()
            .filter(category__in=obj.descendant_ids())
            .select_related("author")[:FEED_SIZE]
        )
