"""Where a reader lands after posting, being refused, editing, deleting or reporting: at the
form or the comment, with the message there and not at the top of the page; and a community
panel that follows the thread's state."""

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from forum.comments.forms import new_token
from forum.comments.models import Comment
from tests import factories

from .pages import guest_data, post, section


def top_messages(response) -> str:
    """The messages the base template prints above the page's content."""
    match = re.search(
        r'<div class="wrap messages"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    return match.group(1) if match else ""


def notices(response) -> str:
    """The confirmations shown inside the comment section."""
    match = re.search(
        r'<div class="comment-notices" id="comment-notices" role="status">(.*?)</div>',
        section(response),
        re.S,
    )
    return match.group(1) if match else ""


def panel(response) -> str:
    html = response.content.decode()
    start = html.index('<aside class="community"')
    return html[start : html.index("</aside>", start)]


def test_the_comment_form_posts_back_to_itself(article, client):
    response = client.get(article.get_absolute_url())

    action = reverse("comments:post", args=[article.pk]) + "#respond"
    assertContains(response, f'action="{action}"')


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_posting_address_leads_to_the_form(article, client, method):
    response = getattr(client, method)(reverse("comments:post", args=[article.pk]))

    assertRedirects(
        response, article.get_absolute_url() + "#respond", fetch_redirect_response=False
    )
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", ["draft", "scheduled"])
def test_opening_the_posting_address_of_an_unpublished_article_is_not_found(
    subcategory, client, status
):
    article = factories.create_article(category=subcategory, status=status)

    assert client.get(reverse("comments:post", args=[article.pk])).status_code == 404


def test_a_refusal_is_announced_above_the_form_and_can_take_focus(article, client):
    sent_at_once = new_token(article.pk, issued=time.time())

    response = post(client, article, guest_data(article, token=sent_at_once))

    assert response.status_code == 200
    errors = re.search(
        r'<div class="form-errors" id="respond-errors" role="alert" tabindex="-1">'
        r'<ul class="errorlist nonfield">',
        section(response),
    )
    assert errors, "no focusable alert above the form"
    assert not Comment.objects.exists()


def test_a_mistake_beside_a_field_is_tied_to_it(article, client):
    response = post(client, article, guest_data(article, email="not-an-address"))

    assertContains(response, 'aria-invalid="true"', count=1)
    assertContains(response, 'aria-describedby="id_email_helptext id_email_error"')
    assertNotContains(response, 'id="respond-errors"')


@pytest.mark.parametrize(
    ("client_name", "message"),
    [
        ("client", "will appear to others once a moderator approves it."),
        ("editor_client", "Thank you. Your comment is published."),
    ],
)
def test_the_posting_confirmation_is_shown_in_the_comment_section(
    request, article, client_name, message
):
    client = request.getfixturevalue(client_name)
    response = post(client, article, guest_data(article), follow=True)

    assert message in notices(response)
    assert message not in top_messages(response)
    assert response.content.decode().count(message) == 1


def test_other_messages_stay_at_the_top_of_the_article(article, member_client):
    response = member_client.post(
        reverse("account_logout"), {"next": article.get_absolute_url()}, follow=True
    )

    assert response.request["PATH_INFO"] == article.get_absolute_url()
    assert "You have signed out." in top_messages(response)
    assert notices(response) == ""


def test_deleting_confirms_in_the_comment_section(article, reader, member_client):
    comment = factories.create_comment(article=article, user=reader)

    response = member_client.post(reverse("comments:delete", args=[comment.pk]), follow=True)

    assert "Your comment was deleted." in notices(response)
    assert "deleted" not in top_messages(response)


def test_reporting_confirms_in_the_comment_section(article, comment, member_client):
    response = member_client.post(
        reverse("comments:report", args=[comment.pk]), {"reason": "spam"}, follow=True
    )

    assert "Thank you for the report." in notices(response)
    assert top_messages(response) == ""


def test_a_late_edit_is_refused_in_the_comment_section(article, reader, member_client):
    comment = factories.create_comment(article=article, user=reader)
    Comment.objects.filter(pk=comment.pk).update(created=timezone.now() - timedelta(days=1))

    response = member_client.get(reverse("comments:edit", args=[comment.pk]), follow=True)

    assert "The time for editing this comment has passed." in notices(response)
    assert top_messages(response) == ""


def test_an_edit_confirms_in_the_comment_section(article, reader, member_client):
    comment = factories.create_comment(article=article, user=reader)

    response = member_client.post(
        reverse("comments:edit", args=[comment.pk]), {"body": "Better words."}, follow=True
    )

    assert "Your comment was updated." in notices(response)
    assert top_messages(response) == ""


def test_the_panel_invites_a_comment_while_the_discussion_is_open(article, client):
    response = client.get(article.get_absolute_url())

    assert '<a href="#respond">Leave a comment</a>' in panel(response)


def test_the_panel_of_a_closed_discussion_says_so_and_offers_no_form(article, comment, client):
    article.comments_open = False
    article.save()

    response = client.get(article.get_absolute_url())

    assert "Leave a comment" not in panel(response)
    assert "Comments on this article are closed." in panel(response)
    assert '<a href="#comments">Read the discussion</a>' in panel(response)


def test_the_panel_of_a_discussion_closed_by_age_says_so(subcategory, configure, client):
    configure(close_comments_after_days=7)
    article = factories.create_article(
        category=subcategory, published_at=timezone.now() - timedelta(days=8)
    )

    response = client.get(article.get_absolute_url())

    assert "Leave a comment" not in panel(response)
    assert "Comments on this article are closed." in panel(response)
    assert "Read the discussion" not in panel(response)
