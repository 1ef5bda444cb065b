"""Test content (seeded benchmark discussions): out of listings, feeds and the sitemap, while
its own page still answers."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from forum.articles.models import Article
from tests import factories

LISTINGS = ["home", "section", "subsection", "tag", "author", "feed", "section feed", "sitemap"]


@pytest.fixture
def film(db):
    return factories.create_tag(name="Film")


@pytest.fixture
def real(subcategory, author, film):
    return factories.create_article(
        title="A real review",
        slug="a-real-review",
        category=subcategory,
        author=author,
        tags=[film],
    )


@pytest.fixture
def seeded(subcategory, author, film):
    return factories.create_article(
        title="Seeded benchmark thread",
        slug="seeded-benchmark-thread",
        category=subcategory,
        author=author,
        tags=[film],
        is_test_content=True,
    )


def listing_url(which: str, *, category, subcategory, author, film) -> str:
    return {
        "home": "/",
        "section": category.get_absolute_url(),
        "subsection": subcategory.get_absolute_url(),
        "tag": film.get_absolute_url(),
        "author": author.get_absolute_url(),
        "feed": "/feed/",
        "section feed": f"/section/{category.path}/feed/",
        "sitemap": "/sitemap.xml",
    }[which]


def test_listed_is_published_articles_that_are_not_test_content(real, seeded, subcategory):
    draft = factories.create_article(category=subcategory, status=Article.Status.DRAFT)

    assert list(Article.objects.listed()) == [real]
    assert set(Article.objects.published()) == {real, seeded}
    assert draft not in Article.objects.listed()


def test_articles_are_not_test_content_unless_marked(article):
    assert article.is_test_content is False
    assert article in Article.objects.listed()


@pytest.mark.parametrize("which", LISTINGS)
def test_test_content_is_left_out_of_listings_feeds_and_the_sitemap(
    which, real, seeded, category, subcategory, author, film, client
):
    url = listing_url(which, category=category, subcategory=subcategory, author=author, film=film)

    response = client.get(url)

    assert response.status_code == 200
    assertContains(response, real.get_absolute_url())
    assertNotContains(response, seeded.get_absolute_url())
    assertNotContains(response, seeded.title)


def test_test_content_page_still_answers_with_its_comments(seeded, client):
    factories.create_comment(article=seeded, body="Benchmarks need readers too.")

    response = client.get(seeded.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, "Seeded benchmark thread")
    assertContains(response, "Benchmarks need readers too.")


def test_read_more_links_to_test_content_still_show(real, seeded, client):
    factories.create_related_link(article=real, target=seeded)

    response = client.get(real.get_absolute_url())

    assertContains(response, seeded.get_absolute_url())
