"""A link to a comment that is no longer public (taken down, deleted, held, spam) lands on the
article's discussion with a note in the comment section, not on a 404."""

import re

import pytest
from django.test import Client
from pytest_django.asserts import assertRedirects

from forum.comments.models import Comment
from forum.comments.services import delete_comment
from tests import factories

from .pages import guest_data, post, section

NOTE = "That comment is no longer available."


def notices(response) -> str:
    match = re.search(
        r'<div class="comment-notices" id="comment-notices" role="status">(.*?)</div>',
        section(response),
        re.S,
    )
    return match.group(1) if match else ""


def discussion(article, query: str = "") -> str:
    return f"{article.get_absolute_url()}{query}#comments"


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_a_link_to_a_comment_taken_off_the_page_lands_on_the_discussion_with_a_note(
    article, client, status
):
    factories.create_comment(article=article, body="Still here.")
    hidden = factories.create_comment(article=article, status=status)

    response = client.get(hidden.get_absolute_url())

    assertRedirects(response, discussion(article), fetch_redirect_response=False)
    page = client.get(response["Location"])
    assert NOTE in notices(page)
    assert NOTE not in page.content.decode().replace(section(page), "")


def test_the_note_is_shown_once(article, client):
    hidden = factories.create_comment(article=article, status=Comment.Status.REMOVED)

    landed = client.get(hidden.get_absolute_url(), follow=True)
    again = client.get(article.get_absolute_url())

    assert NOTE in notices(landed)
    assert NOTE not in again.content.decode()


def test_a_link_to_a_comment_its_writer_deleted_under_replies_lands_on_the_discussion(
    article, reader, member_client
):
    mine = factories.create_comment(article=article, user=reader)
    factories.create_comment(article=article, parent=mine)
    delete_comment(comment=mine, by=reader)

    for client in (member_client, Client()):
        response = client.get(mine.get_absolute_url())
        assertRedirects(response, discussion(article), fetch_redirect_response=False)


def test_a_link_to_a_deleted_comment_opened_on_its_article_lands_on_the_discussion(article, client):
    gone = factories.create_comment(article=article)
    url = gone.get_absolute_url()
    gone.delete()

    response = client.get(f"{url}?article={article.pk}")

    assertRedirects(response, discussion(article), fetch_redirect_response=False)
    assert NOTE in notices(client.get(response["Location"]))


@pytest.mark.parametrize("query", ["", "?article=", "?article=x", "?article=99999999999"])
def test_a_link_to_an_unknown_comment_without_its_article_is_not_found(article, client, query):
    assert client.get(f"/comments/424242/{query}").status_code == 404


def test_the_newest_first_order_is_kept(article, client):
    hidden = factories.create_comment(article=article, status=Comment.Status.REMOVED)

    response = client.get(hidden.get_absolute_url() + "?order=newest")

    assertRedirects(response, discussion(article, "?order=newest"), fetch_redirect_response=False)


@pytest.mark.parametrize("status", ["draft", "scheduled"])
def test_a_hidden_comment_on_an_article_readers_cannot_see_is_still_not_found(
    subcategory, client, status
):
    article = factories.create_article(category=subcategory, status=status)
    hidden = factories.create_comment(article=article, status=Comment.Status.REMOVED)
    gone = factories.create_comment(article=article)
    gone_url = gone.get_absolute_url()
    gone.delete()

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"{gone_url}?article={article.pk}").status_code == 404


def test_the_writer_of_a_held_comment_still_lands_on_it(article, client):
    post(client, article, guest_data(article))
    held = Comment.objects.get(status=Comment.Status.PENDING)

    response = client.get(held.get_absolute_url())

    assert response["Location"] == f"{article.get_absolute_url()}#comment-{held.pk}"
    assert f'id="comment-{held.pk}"' in client.get(response["Location"]).content.decode()


def test_a_public_comment_still_lands_on_itself_without_a_note(article, comment, client):
    response = client.get(comment.get_absolute_url())

    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert NOTE not in client.get(response["Location"]).content.decode()


def test_the_section_names_its_article_for_the_script(article, client):
    response = client.get(article.get_absolute_url())

    assert f'<section id="comments" class="comments" data-article="{article.pk}">' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("status", "why"),
    [
        (Comment.Status.SPAM, "spam"),
        (Comment.Status.REMOVED, "removed"),
    ],
)
def test_a_moderator_following_view_on_site_is_told_why_the_comment_is_not_shown(
    article, moderator_client, status, why
):
    """A thread never published that went straight to spam or removal is not listed, even
    for moderators (held and once-published comments are shown to them in place:
    test_moderate_in_place.py)."""
    hidden = factories.create_comment(article=article, status=status)

    response = moderator_client.get(hidden.get_absolute_url(), follow=True)

    assert f"That comment is not shown to readers ({why})." in notices(response)
