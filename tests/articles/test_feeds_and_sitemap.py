"""RSS feeds, the sitemap and robots.txt: what machines read about the magazine."""

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from forum.articles.models import Article
from tests import factories

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def magazine(category, subcategory):
    """Published articles in a section and its subsection, one elsewhere, and hidden ones."""
    now = timezone.now()
    return {
        "newest": factories.create_article(
            title="Newest in Leica", category=subcategory, published_at=now - timedelta(hours=1)
        ),
        "middle": factories.create_article(
            title="Middle in Cameras", category=category, published_at=now - timedelta(hours=2)
        ),
        "oldest": factories.create_article(
            title="Oldest in Darkroom", published_at=now - timedelta(hours=3)
        ),
        "draft": factories.create_article(
            title="A draft", category=subcategory, status=Article.Status.DRAFT
        ),
        "scheduled": factories.create_article(
            title="Scheduled", category=subcategory, published_at=now + timedelta(days=1)
        ),
    }


def parse_xml(response) -> ElementTree.Element:
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own response)


def feed_items(response) -> list[ElementTree.Element]:
    assert response["Content-Type"].startswith("application/rss+xml")
    return parse_xml(response).find("channel").findall("item")


def feed_titles(response) -> list[str]:
    return [item.findtext("title") for item in feed_items(response)]


def sitemap_paths(response) -> set[str]:
    locations = parse_xml(response).findall("sm:url/sm:loc", SITEMAP_NS)
    return {urlsplit(loc.text).path for loc in locations}


def test_site_feed_lists_published_articles_newest_first(magazine, client):
    titles = feed_titles(client.get("/feed/"))

    assert titles == ["Newest in Leica", "Middle in Cameras", "Oldest in Darkroom"]


def test_site_feed_items_link_to_the_articles(magazine, client):
    items = feed_items(client.get("/feed/"))

    links = [urlsplit(item.findtext("link")).path for item in items]
    assert links[0] == magazine["newest"].get_absolute_url()


def test_section_feed_covers_the_section_and_its_subsections_only(magazine, category, client):
    titles = feed_titles(client.get(f"/section/{category.path}/feed/"))

    assert titles == ["Newest in Leica", "Middle in Cameras"]


def test_subsection_feed_leaves_out_the_parent_sections_articles(magazine, subcategory, client):
    titles = feed_titles(client.get(f"/section/{subcategory.path}/feed/"))

    assert titles == ["Newest in Leica"]


def test_feed_for_an_unknown_section_is_not_found(magazine, client):
    response = client.get("/section/no-such-section/feed/")

    assertContains(response, "We couldn’t find that page", status_code=404)


def test_section_page_advertises_its_feed(magazine, category, client):
    assertContains(client.get(category.get_absolute_url()), f"/section/{category.path}/feed/")


def test_sitemap_lists_published_articles_but_not_hidden_ones(magazine, client):
    paths = sitemap_paths(client.get("/sitemap.xml"))

    for key in ("newest", "middle", "oldest"):
        assert magazine[key].get_absolute_url() in paths
    assert magazine["draft"].get_absolute_url() not in paths
    assert magazine["scheduled"].get_absolute_url() not in paths


def test_sitemap_lists_the_home_page_sections_and_authors(magazine, subcategory, client):
    paths = sitemap_paths(client.get("/sitemap.xml"))

    assert "/" in paths
    assert subcategory.get_absolute_url() in paths
    assert magazine["newest"].author.get_absolute_url() in paths


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(db, client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_favicon_ico_points_browsers_at_the_svg_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("/img/favicon.svg")


def test_sitemap_lists_the_standing_pages(db, client):
    """About, Contact, Comment policy and Privacy (made by a migration) are for crawlers too."""
    paths = sitemap_paths(client.get("/sitemap.xml"))

    assert {"/about/", "/contact/", "/comment-policy/", "/privacy/"} <= paths
