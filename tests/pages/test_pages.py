"""The standing pages (About, Contact, Comment policy, Privacy): at their addresses, in the
footer, with the editors' Markdown made harmless."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from forum.pages.models import Page
from tests.core.test_footer import footer_links
from tests.core.test_html import assert_harmless

PAGES = {
    "/about/": "About Frame & Grain",
    "/contact/": "Contact us",
    "/comment-policy/": "Comment policy",
    "/privacy/": "Privacy",
}


def body_of(response) -> str:
    """The page's body as rendered: what sits inside its .prose block."""
    html = response.content.decode()
    start = html.index('<div class="prose">')
    return html[start : html.index("</div>", start)]


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_each_page_answers_at_its_address_with_one_heading_and_its_date(path, title, client, db):
    response = client.get(path)

    assert response.status_code == 200
    assertContains(response, f"<h1>{title}</h1>", html=True, count=1)
    assertContains(response, "<h1", count=1)
    page = Page.objects.get(title=title)
    assert page.get_absolute_url() == path
    assertContains(response, f'<time datetime="{page.updated_at.isoformat()}"')
    assertContains(response, '<nav class="breadcrumbs" aria-label="Breadcrumb">')
    assertContains(response, f'<span aria-current="page">{title}</span>', html=True)


def test_url_names_give_the_readable_addresses(db):
    assert reverse("pages:about") == "/about/"
    assert reverse("pages:contact") == "/contact/"
    assert reverse("pages:comment-policy") == "/comment-policy/"
    assert reverse("pages:privacy") == "/privacy/"


def test_comment_policy_says_first_comments_are_held_and_how_reports_work(client, db):
    response = client.get("/comment-policy/")

    for words in ("Be kind", "Stay on topic", "No advertising", "first comment is held"):
        assertContains(response, words)
    assertContains(response, "<h2>Reporting a comment</h2>", html=True)


def test_privacy_page_says_the_email_is_never_shown_and_the_address_is_truncated(client, db):
    response = client.get("/privacy/")

    assertContains(response, "never shown")
    assertContains(response, "cut off before it is stored")
    assertContains(response, "<h2>Cookies</h2>", html=True)
    assertContains(response, "<h2>The newsletter</h2>", html=True)
    assertContains(response, '<a href="mailto:privacy@frameandgrain.test">')


def test_contact_page_gives_the_editors_address_as_a_link(client, db):
    response = client.get("/contact/")

    assertContains(
        response,
        '<a href="mailto:editors@frameandgrain.test">editors@frameandgrain.test</a>',
        html=True,
    )


XSS = [
    pytest.param("<script>alert('page')</script>\n\nSafe words.", id="script"),
    pytest.param("[Safe words.](javascript:alert('page'))", id="javascript-link"),
    pytest.param('<a href="javascript:alert(1)">Safe words.</a>', id="javascript-html-link"),
    pytest.param('<img src="x" onerror="alert(1)">\n\nSafe words.', id="event-handler"),
    pytest.param('<iframe src="https://evil.test"></iframe>\n\nSafe words.', id="iframe"),
    pytest.param("<p style=\"background:url('javascript:x')\">Safe words.</p>", id="style"),
]


@pytest.mark.parametrize("body", XSS)
def test_script_written_by_an_editor_is_made_harmless(body, client, db):
    page = Page.objects.get(slug="about")
    page.body = body
    page.save()

    response = client.get("/about/")

    html = body_of(response)
    assert "Safe words." in html
    assert_harmless(html)
    assertNotContains(response, "<script")
    assertNotContains(response, 'href="javascript:')


@pytest.mark.parametrize("path", PAGES)
def test_footer_links_every_page_from_the_home_page(path, client, db):
    links = footer_links(client.get("/"))

    assert path in links
    # The footer keeps its newsletter signup and its donation link.
    assert reverse("newsletter:about") in links
    assert reverse("donations:support") in links


@pytest.mark.parametrize("path", PAGES)
def test_a_missing_page_is_not_found(path, client, db):
    Page.objects.filter(slug=path.strip("/")).delete()

    response = client.get(path)

    assert response.status_code == 404
    assertContains(response, "We couldn’t find that page", status_code=404)


def test_the_footer_still_renders_when_a_page_is_missing(client, db):
    Page.objects.all().delete()

    response = client.get("/")

    assert response.status_code == 200
    assert "/privacy/" in footer_links(response)


def test_unknown_address_beside_the_pages_is_not_found(client, db):
    assert client.get("/terms/").status_code == 404


def test_pages_only_answer_reading(client, db):
    assert client.post("/about/").status_code == 405


def test_a_page_costs_few_queries(client, db, django_assert_max_num_queries):
    client.get("/about/")  # warms the section navigation cache
    with django_assert_max_num_queries(2):
        client.get("/about/")
