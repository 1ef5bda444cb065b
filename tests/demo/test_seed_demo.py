"""The demo magazine that `make run` loads."""

import pytest
from django.core.management import call_command

from forum.articles.models import Article, ArticleImage, Author, Category, RelatedLink, Tag

MODELS = (Category, Author, Tag, Article, ArticleImage, RelatedLink)


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_builds_a_magazine_with_nested_sections_authors_and_captioned_images(seeded):
    assert Article.objects.published().count() >= 8
    assert Category.objects.filter(parent__parent__isnull=True, parent__isnull=False).exists()
    assert Article.objects.published().filter(category__parent__isnull=False).exists()
    assert Author.objects.count() == 3
    assert all(author.bio and author.photo for author in Author.objects.all())
    assert (
        RelatedLink.objects.filter(url="").exists() and RelatedLink.objects.exclude(url="").exists()
    )
    assert Tag.objects.filter(articles__isnull=False).distinct().count() >= 5
    # Some articles are not public yet, for previews.
    assert Article.objects.exclude(pk__in=Article.objects.published()).exists()

    # Images have captions, credits and stored dimensions (so no page opens a file to size it).
    for article in Article.objects.published():
        assert article.hero_image and article.hero_caption and article.hero_credit
        assert (article.hero_width, article.hero_height) == (1600, 900)
    assert not ArticleImage.objects.filter(width__isnull=True).exists()
    assert not Author.objects.filter(photo_width__isnull=True).exists()
    figure_article = ArticleImage.objects.first().article
    assert "<figcaption>" in figure_article.body_html


def test_seed_demo_can_run_again_without_creating_anything(seeded):
    before = counts()
    body_before = list(Article.objects.values_list("slug", "body_html", "updated_at"))

    call_command("seed_demo", verbosity=0)

    assert counts() == before
    assert list(Article.objects.values_list("slug", "body_html", "updated_at")) == body_before
