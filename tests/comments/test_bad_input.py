"""Bad input: the article page comes back with a clear message and the reader's text intact."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.comments.forms import new_token, read_token
from forum.comments.models import Comment
from tests import factories

from .pages import field_error, form_errors, guest_data, input_value, post, textarea

TEXT = "A long reply I would hate to type again.\n\nSecond paragraph, with <angle> & ampersand."


def assert_refused(response, text=TEXT):
    """The page is shown again with the text still in the box, and nothing was stored."""
    assert response.status_code == 200
    assert textarea(response) == text
    assert not Comment.objects.filter(body=text).exists()


def test_empty_comment_is_refused(article, client):
    response = post(client, article, guest_data(article, body="  \n\t "))

    assert response.status_code == 200
    assert field_error(response, "body") == "<li>Please write your comment.</li>"
    assert not Comment.objects.exists()


def test_comment_over_the_length_limit_is_refused_with_both_lengths(article, client):
    text = "x" * 5001

    response = post(client, article, guest_data(article, body=text))

    assert_refused(response, text)
    assert "Comments can be up to 5,000 characters; yours has 5,001." in field_error(
        response, "body"
    )


def test_comment_at_the_length_limit_is_accepted(article, client):
    post(client, article, guest_data(article, body="x" * 5000))

    assert Comment.objects.get().body == "x" * 5000


def test_length_limit_comes_from_the_site_settings(article, configure, client):
    configure(comment_max_length=100)

    response = post(client, article, guest_data(article, body="y" * 101))

    assert_refused(response, "y" * 101)
    assert "up to 100 characters; yours has 101" in field_error(response, "body")


def test_bad_email_is_refused_beside_the_email_field(article, client):
    response = post(client, article, guest_data(article, body=TEXT, email="jo at example"))

    assert_refused(response)
    assert "That doesn’t look like an email address" in field_error(response, "email")
    assert input_value(response, "email") == "jo at example"


@pytest.mark.parametrize("missing", ["name", "email"])
def test_guest_must_give_name_and_email(article, client, missing):
    response = post(client, article, guest_data(article, body=TEXT, **{missing: ""}))

    assert_refused(response)
    assert "Please give" in field_error(response, missing)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("\u200b", id="zero-width space"),
        pytest.param("\u200b\u200c\u200d\u2060", id="zero-width characters"),
        pytest.param("\u202e\u202e", id="right-to-left overrides"),
        pytest.param("\u00ad \u00ad", id="soft hyphens and a space"),
        pytest.param("\u3164", id="hangul filler"),
        pytest.param("\u2800\u2800", id="braille blanks"),
        pytest.param("...", id="dots"),
    ],
)
def test_a_name_without_a_letter_or_digit_is_refused_beside_the_name_field(article, client, name):
    response = post(client, article, guest_data(article, body=TEXT, name=name))

    assert_refused(response)
    assert field_error(response, "name") == (
        "<li>Please give a name with at least one letter or number.</li>"
    )
    assert not Comment.objects.exists()


def test_a_name_with_a_direction_override_is_kept_as_written(article, client):
    post(client, article, guest_data(article, body=TEXT, name="abc\u202edef"))

    assert Comment.objects.get().name == "abc\u202edef"


def test_website_must_be_a_web_address(article, client):
    response = post(client, article, guest_data(article, body=TEXT, website="javascript:alert(1)"))

    assert_refused(response)
    assert "Please enter a full web address" in field_error(response, "website")


def test_reply_to_a_comment_on_another_article_is_refused(article, subcategory, client):
    elsewhere = factories.create_comment(article=factories.create_article(category=subcategory))

    response = post(client, article, guest_data(article, body=TEXT, parent=elsewhere.pk))

    assert_refused(response)
    assert "no longer available" in form_errors(response)
    assert input_value(response, "parent") in (None, "")


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REMOVED])
def test_reply_to_a_comment_readers_cannot_see_is_refused(article, client, status):
    hidden = factories.create_comment(article=article, status=status)

    response = post(client, article, guest_data(article, body=TEXT, parent=hidden.pk))

    assert_refused(response)
    assert "You can post yours as a new comment instead." in form_errors(response)


def test_reply_to_a_deleted_comment_is_refused(article, comment, client):
    factories.create_comment(article=article, parent=comment)
    Comment.objects.filter(pk=comment.pk).update(
        deleted=timezone.now(), status=Comment.Status.REMOVED
    )

    response = post(client, article, guest_data(article, body=TEXT, parent=comment.pk))

    assert_refused(response)
    assert "no longer available" in form_errors(response)


def test_reply_past_the_depth_limit_is_refused(article, comment, configure, client):
    configure(comment_depth=2)
    reply = factories.create_comment(article=article, parent=comment)

    response = post(client, article, guest_data(article, body=TEXT, parent=reply.pk))

    assert_refused(response)
    assert "as deep as replies can go" in form_errors(response)


@pytest.mark.parametrize("parent", ["abc", "0", "-3"])
def test_malformed_parent_is_explained(article, client, parent):
    response = post(client, article, guest_data(article, body=TEXT, parent=parent))

    assert_refused(response)
    assert "no longer available" in form_errors(response)
    assert input_value(response, "parent") in (None, "")


def test_comment_on_a_closed_article_is_refused_and_the_text_kept(article, client):
    article.comments_open = False
    article.save()

    response = post(client, article, guest_data(article, body=TEXT))

    assert_refused(response)
    assert "Comments on this article are closed." in form_errors(response)


def test_comment_after_the_discussion_closed_by_itself_is_refused(subcategory, configure, client):
    configure(close_comments_after_days=7)
    article = factories.create_article(
        category=subcategory, published_at=timezone.now() - timedelta(days=8)
    )

    response = post(client, article, guest_data(article, body=TEXT))

    assert_refused(response)
    assert "Comments on this article are closed." in form_errors(response)


@pytest.mark.parametrize(
    "token",
    [
        "",
        None,
        "not-a-token",
        new_token(1)[:-3] + "abc",
    ],
    ids=["empty", "missing", "garbage", "tampered"],
)
def test_forged_or_missing_token_is_refused_and_a_fresh_one_given(article, client, token):
    response = post(client, article, guest_data(article, body=TEXT, token=token))

    assert_refused(response)
    assert "this form had expired or was incomplete" in form_errors(response)
    assert read_token(input_value(response, "token"), article_id=article.pk) is not None


def test_token_from_another_articles_form_is_refused(article, subcategory, client):
    other = factories.create_article(category=subcategory)

    response = post(client, article, guest_data(article, body=TEXT, token=new_token(other.pk)))

    assert_refused(response)
    assert "this form had expired or was incomplete" in form_errors(response)


def test_refused_form_can_be_posted_again_as_shown(article, client, configure):
    configure(min_seconds_to_post=0)  # the reader posts again at once
    refused = post(client, article, guest_data(article, body=TEXT, token="not-a-token"))

    data = guest_data(article, body=textarea(refused), token=input_value(refused, "token"))
    response = post(client, article, data)

    assert response.status_code == 302
    assert Comment.objects.get().body == TEXT


def test_forged_extra_fields_are_ignored(article, editor, client):
    forged = {
        "status": "approved",
        "user": editor.pk,
        "depth": 1,
        "thread": 1,
        "ip": "10.0.0.1",
        "status_reasons": "staff",
    }

    post(client, article, guest_data(article, **forged))

    comment = Comment.objects.get()
    assert (comment.status, comment.user, comment.ip) == (Comment.Status.PENDING, None, "127.0.0.0")
    article.refresh_from_db()
    assert article.comment_count == 0
