"""The public pages: home, sections, tags, authors and the article itself."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from forum.articles.models import Article
from tests import factories

HOME_QUERIES = 5  # count, page of articles, their tags, navigation sections, newsletter sentence
ARTICLE_QUERIES = 10  # article, tags, related links, their targets, lineage, navigation,
# site settings, two for the comments (count of threads, one page of them), newsletter sentence


@pytest.fixture
def publish_articles(subcategory, author):
    """Create `n` published articles with two tags each, newest first."""

    def publish(n: int) -> list[Article]:
        tags = [factories.create_tag(), factories.create_tag()]
        now = timezone.now()
        return [
            factories.create_article(
                title=f"Story number {i:02d}",
                category=subcategory,
                author=author,
                tags=tags,
                published_at=now - timedelta(days=i + 1),
            )
            for i in range(n)
        ]

    return publish


@pytest.fixture
def draft(subcategory, author):
    return factories.create_article(
        title="Unfinished thoughts", category=subcategory, author=author, status="draft"
    )


@pytest.fixture
def scheduled(subcategory, author):
    return factories.create_article(
        title="Coming next week",
        category=subcategory,
        author=author,
        published_at=timezone.now() + timedelta(days=7),
    )


@pytest.fixture
def full_article(subcategory, author):
    """A published article with a hero image, tags and related links of every kind."""
    article = factories.create_article(
        title="Living with an M6",
        slug="living-with-an-m6",
        standfirst="Ten years, one camera, no regrets.",
        category=subcategory,
        author=author,
        hero=True,
        tags=[factories.create_tag(name="Rangefinders"), factories.create_tag(name="Film")],
    )
    sibling = factories.create_article(title="The Summicron story", category=subcategory)
    unpublished = factories.create_article(
        title="Secret upcoming review", category=subcategory, status=Article.Status.DRAFT
    )
    factories.create_related_link(article=article, target=sibling, position=1)
    factories.create_related_link(article=article, target=unpublished, position=2)
    factories.create_related_link(
        article=article, url="https://example.com/m6-manual", title="The M6 manual", position=3
    )
    return article


def assert_friendly_404(response):
    assertContains(response, "We couldn’t find that page", status_code=404)


def json_ld(response) -> dict:
    [block] = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(block)


def breadcrumb_names(response) -> list[str]:
    nav = re.search(
        r'<nav[^>]*aria-label="Breadcrumb"[^>]*>(.*?)</nav>', response.content.decode(), re.S
    )
    assert nav, "no breadcrumb navigation"
    return [name.strip() for name in re.findall(r"<(?:a|span)\b[^>]*>([^<]+)</", nav.group(1))]


def assert_in_order(response, *texts):
    content = response.content.decode()
    positions = [content.index(text) for text in texts]
    assert positions == sorted(positions), texts


def page_titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


# Home and pagination


def test_home_lists_published_articles_newest_first(publish_articles, draft, scheduled, client):
    articles = publish_articles(3)

    response = client.get("/")

    assert response.status_code == 200
    assert page_titles(response) == [a.title for a in articles]
    assert_in_order(response, *(a.title for a in articles))
    assertNotContains(response, draft.title)
    assertNotContains(response, scheduled.title)


def test_home_shows_twelve_articles_and_the_rest_on_page_two(publish_articles, client):
    articles = publish_articles(13)

    first = client.get("/")
    second = client.get("/?page=2")

    assert page_titles(first) == [a.title for a in articles[:12]]
    assertContains(first, 'href="?page=2"')
    assert page_titles(second) == [articles[12].title]
    assertContains(second, articles[12].title)
    assertNotContains(second, articles[0].title)


@pytest.mark.parametrize(
    ("query", "expected_page"),
    [("abc", 1), ("", 1), ("1.5", 1), ("99999", 2), ("2", 2)],
)
def test_malformed_or_out_of_range_page_gives_the_nearest_page(
    publish_articles, client, query, expected_page
):
    publish_articles(13)

    response = client.get(f"/?page={query}")

    assert response.status_code == 200
    assert response.context["page"].number == expected_page


@pytest.mark.parametrize("query", ["0", "-1"])
def test_page_numbers_below_one_give_the_first_page(publish_articles, client, query):
    articles = publish_articles(13)

    response = client.get(f"/?page={query}")

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assertContains(response, articles[0].title)


def test_home_page_query_count_does_not_grow_with_the_number_of_articles(publish_articles, client):
    counts = []
    for batch in (3, 9):
        publish_articles(batch)
        cache.clear()  # measure cold: the navigation sections are cached between requests
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        counts.append(len(queries))

    assert len(response.context["page"].object_list) == 12
    assert counts[0] == counts[1] <= HOME_QUERIES, counts


def test_empty_home_page_invites_editors_to_write(db, client):
    response = client.get("/")

    assert response.status_code == 200
    assertContains(response, "Nothing is published yet")


# Sections, tags and authors


def test_section_lists_its_own_and_its_subsections_articles(category, subcategory, client):
    in_parent = factories.create_article(title="Choosing a first camera", category=category)
    in_child = factories.create_article(title="Leica lenses explained", category=subcategory)
    elsewhere = factories.create_article(title="Darkroom chemistry")

    response = client.get(category.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, in_parent.title)
    assertContains(response, in_child.title)
    assertNotContains(response, elsewhere.title)


def test_section_hides_drafts_and_scheduled_articles(category, draft, scheduled, client):
    response = client.get(category.get_absolute_url())

    assertNotContains(response, draft.title)
    assertNotContains(response, scheduled.title)


def test_section_page_links_its_subsections(category, subcategory, client):
    response = client.get(category.get_absolute_url())

    assertInHTML(f'<a href="{subcategory.get_absolute_url()}">Leica</a>', response.content.decode())


def test_subsection_page_has_breadcrumbs_from_home(category, subcategory, client):
    leaf = factories.create_category(name="M-series", slug="m-series", parent=subcategory)

    response = client.get(leaf.get_absolute_url())

    assert response.status_code == 200
    assert breadcrumb_names(response) == ["Home", "Cameras", "Leica", "M-series"]
    assertContains(response, f'href="{category.get_absolute_url()}"')
    assertContains(response, f'href="{subcategory.get_absolute_url()}"')


@pytest.mark.parametrize(
    "url",
    [
        "/section/no-such-section/",
        "/section/cameras/no-such-child/",
        "/section/leica/",
        "/tag/no-such-tag/",
        "/authors/nobody/",
        "/articles/no-such-article/",
        "/no/such/page/",
    ],
)
def test_unknown_addresses_show_the_friendly_not_found_page(subcategory, client, url):
    assert_friendly_404(client.get(url))


def test_tag_page_lists_only_published_articles_with_that_tag(author, client):
    film = factories.create_tag(name="Film")
    tagged = factories.create_article(title="Pushing HP5", tags=[film])
    untagged = factories.create_article(title="Digital noise")
    hidden = factories.create_article(title="Draft about film", tags=[film], status="draft")

    response = client.get(film.get_absolute_url())

    assert response.status_code == 200
    assertInHTML("<h1>Film</h1>", response.content.decode())
    assertContains(response, tagged.title)
    assertNotContains(response, untagged.title)
    assertNotContains(response, hidden.title)


def test_author_page_shows_bio_and_only_their_published_articles(author, article, draft, client):
    other = factories.create_article(title="A story by another writer")

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assertInHTML("<h1>Ada Lowe</h1>", response.content.decode())
    assertContains(response, author.bio)
    assertContains(response, article.title)
    assertNotContains(response, draft.title)
    assertNotContains(response, other.title)


# The article page


def test_article_page_shows_title_standfirst_and_body(full_article, client):
    response = client.get(full_article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assertInHTML("<h1>Living with an M6</h1>", html)
    assertContains(response, "Ten years, one camera, no regrets.")
    assertInHTML("<strong>Markdown</strong>", html)


def test_article_page_shows_hero_figure_with_caption_and_credit(full_article, client):
    response = client.get(full_article.get_absolute_url())

    assertInHTML(
        '<figcaption>The camera in question. <span class="credit">Photo: Test Person</span>'
        "</figcaption>",
        response.content.decode(),
    )
    assertContains(response, f'src="{full_article.hero_image.url}"')
    assertContains(response, 'alt="A camera on a table"')


def test_article_page_has_breadcrumbs_to_its_section(full_article, client):
    response = client.get(full_article.get_absolute_url())

    assert breadcrumb_names(response) == ["Home", "Cameras", "Leica", "Living with an M6"]


def test_article_page_shows_author_box_and_tags(full_article, author, client):
    response = client.get(full_article.get_absolute_url())

    html = response.content.decode()
    assertContains(response, author.bio)
    assertInHTML(f'<a href="{author.get_absolute_url()}">Ada Lowe</a>', html)
    for tag in full_article.tags.all():
        assertInHTML(f'<a href="{tag.get_absolute_url()}">{tag.name}</a>', html)


def test_article_page_lists_internal_and_external_related_links(full_article, client):
    response = client.get(full_article.get_absolute_url())

    html = response.content.decode()
    assertContains(response, "Read more")
    sibling = Article.objects.get(title="The Summicron story")
    assertInHTML(f'<a href="{sibling.get_absolute_url()}">The Summicron story</a>', html)
    assertInHTML('<a href="https://example.com/m6-manual" rel="noopener">The M6 manual</a>', html)


def test_related_link_to_an_unpublished_article_is_hidden_from_readers(
    full_article, reader, client
):
    assertNotContains(client.get(full_article.get_absolute_url()), "Secret upcoming review")

    client.force_login(reader)
    assertNotContains(client.get(full_article.get_absolute_url()), "Secret upcoming review")


def test_related_link_to_an_unpublished_article_is_shown_to_staff(full_article, editor, client):
    client.force_login(editor)

    assertContains(client.get(full_article.get_absolute_url()), "Secret upcoming review")


def test_article_page_invites_readers_to_the_community(full_article, client):
    html = client.get(full_article.get_absolute_url()).content.decode()

    [panel] = [
        block
        for block in re.findall(r"<aside\b.*?</aside>", html, re.S)
        if "Join the conversation" in block
    ]
    assert f'href="{reverse("newsletter:about")}"' in panel
    assert f'href="{reverse("donations:support")}"' in panel


def test_article_page_has_opengraph_metadata(full_article, client):
    response = client.get(full_article.get_absolute_url())

    html = response.content.decode()
    assertInHTML('<meta property="og:title" content="Living with an M6">', html)
    assertInHTML('<meta property="og:type" content="article">', html)
    assertContains(response, 'property="og:image"')
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og_image.endswith(full_article.hero_image.url)


def test_article_without_hero_image_has_no_og_image(article, client):
    response = client.get(article.get_absolute_url())

    assertContains(response, 'property="og:type"')
    assertNotContains(response, 'property="og:image"')


def test_article_page_describes_itself_in_json_ld(full_article, author, client):
    data = json_ld(client.get(full_article.get_absolute_url()))

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Living with an M6"
    assert data["author"]["name"] == author.name
    assert datetime.fromisoformat(data["datePublished"]) == full_article.published_at
    assert data["image"].endswith(full_article.hero_image.url)


def test_hostile_title_cannot_break_out_of_the_json_ld_block(subcategory, client):
    title = "</script><script>alert(1)</script>"
    article = factories.create_article(title=title, category=subcategory)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assertNotContains(response, "<script>alert(1)")
    assert json_ld(response)["headline"] == title


@pytest.mark.parametrize("which", ["draft", "scheduled"])
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_unpublished_articles_are_not_found_for_the_public(request, client, which, who):
    article = request.getfixturevalue(which)
    if who == "reader":
        client.force_login(request.getfixturevalue("reader"))

    assert_friendly_404(client.get(article.get_absolute_url()))


@pytest.mark.parametrize(
    ("which", "banner"),
    [("draft", "This article is a draft"), ("scheduled", "This article is scheduled for")],
)
def test_staff_preview_unpublished_articles_with_a_banner(request, editor, client, which, banner):
    article = request.getfixturevalue(which)
    client.force_login(editor)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, article.title)
    assertContains(response, "Preview.")
    assertContains(response, banner)


def test_published_article_has_no_preview_banner_even_for_staff(article, editor, client):
    client.force_login(editor)

    assertNotContains(client.get(article.get_absolute_url()), "Preview.")


@pytest.mark.parametrize("extra", [0, 5])
def test_article_page_query_count_does_not_grow_with_tags_and_links(
    full_article, subcategory, client, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        full_article.tags.add(factories.create_tag())
        target = factories.create_article(category=subcategory)
        factories.create_related_link(article=full_article, target=target)

    with django_assert_max_num_queries(ARTICLE_QUERIES):
        response = client.get(full_article.get_absolute_url())

    assert response.status_code == 200


# Every page

EVERY_PAGE = ["home", "section", "tag", "author", "article", "not found"]


@pytest.fixture
def every_page(full_article, category, author):
    return {
        "home": "/",
        "section": category.get_absolute_url(),
        "tag": full_article.tags.first().get_absolute_url(),
        "author": author.get_absolute_url(),
        "article": full_article.get_absolute_url(),
        "not found": "/articles/missing/",
    }


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_every_page_has_the_accessible_skeleton(every_page, client, page):
    html = client.get(every_page[page]).content.decode()

    assert re.search(r'<html[^>]*\slang="en(-[A-Za-z]+)?"', html)
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert len(re.findall(r"<main[\s>]", html)) == 1
    skip = re.search(r'<body[^>]*>\s*<a\b[^>]*href="#([\w-]+)"', html)
    assert skip, "the first thing in <body> should be a skip link"
    assert re.search(rf'<main[^>]*\bid="{skip.group(1)}"', html), "skip link target is <main>"


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_every_page_footer_links_to_newsletter_and_support(every_page, client, page):
    html = client.get(every_page[page]).content.decode()

    footer = html[html.rindex("<footer") :]
    assert f'href="{reverse("newsletter:about")}"' in footer
    assert f'href="{reverse("donations:support")}"' in footer


@pytest.mark.parametrize("page", ["home", "article", "not found"])
def test_pages_send_a_strict_content_security_policy(every_page, client, page):
    response = client.get(every_page[page])

    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert "'self'" in directives["script-src"].split()
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("page", ["home", "article"])
def test_pages_refuse_to_be_framed(every_page, client, page):
    assert client.get(every_page[page])["X-Frame-Options"] == "DENY"


def test_listing_pages_refuse_writes(client, db):
    assert client.post("/").status_code == 405


def test_a_server_error_shows_the_friendly_500_page(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr("forum.articles.views.render", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "fell over" not in response.content.decode()


def test_community_panel_comes_before_a_long_discussion(full_article, client):
    """Readers meet the panel (comment, newsletter, support) before hundreds of comments,
    not after them."""
    html = client.get(full_article.get_absolute_url()).content.decode()

    assert html.index('<aside class="community"') < html.index('<section id="comments"')
