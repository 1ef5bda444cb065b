"""At the top of an open discussion, beside the count, a way to the form."""

from django.urls import reverse
from pytest_django.asserts import assertContains

from tests import factories

from .pages import section

LINK = '<p class="comments__leave"><a href="#respond">Leave a comment</a></p>'


def top(response) -> str:
    """The comment section up to its first comment."""
    html = section(response)
    return html[: html.index('<ol class="comment-list"')]


def test_an_open_discussion_offers_the_form_beside_its_count(article, comment, client):
    response = client.get(article.get_absolute_url())

    heading = top(response).index('id="comments-heading"')
    assert top(response).index(LINK) > heading
    assertContains(response, 'id="respond"')


def test_a_closed_discussion_says_nothing_extra_at_the_top(article, comment, client):
    article.comments_open = False
    article.save()

    response = client.get(article.get_absolute_url())

    assert "Leave a comment" not in section(response)


def test_an_empty_discussion_needs_no_link_to_the_form_just_below(article, client):
    response = client.get(article.get_absolute_url())

    assert LINK not in section(response)


def test_later_pages_offer_the_form_too(article, client):
    for _ in range(51):
        factories.create_comment(article=article)

    response = client.get(article.get_absolute_url() + "?cpage=2")

    assert LINK in top(response)


def test_the_comment_form_links_the_comment_policy(article, client):
    response = client.get(article.get_absolute_url())

    form = response.content.decode().split('id="respond"', 1)[1].split("</form>", 1)[0]
    assert f'href="{reverse("pages:comment-policy")}"' in form
    assert client.get(reverse("pages:comment-policy")).status_code == 200
