"""The writer's own Edit and Delete: who may, for how long, and what the thread keeps."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.comments.models import Comment
from tests import factories

from .pages import comment_html, comment_ids, guest_data, post, textarea


def edit_url(comment) -> str:
    return reverse("comments:edit", args=[comment.pk])


def delete_url(comment) -> str:
    return reverse("comments:delete", args=[comment.pk])


def age(comment, minutes: int) -> None:
    """Make the comment `minutes` old, as if the clock had moved on."""
    Comment.objects.filter(pk=comment.pk).update(
        created=timezone.now() - timedelta(minutes=minutes)
    )


@pytest.fixture
def members_comment(article, reader):
    return factories.create_comment(article=article, user=reader, body="Original words.")


@pytest.fixture
def guest_comment(article, client):
    """A held comment posted by the `client` browser, which now owns it by cookie."""
    post(client, article, guest_data(article, body="Original words."))
    return Comment.objects.get()


def test_member_edits_their_comment(article, members_comment, member_client, client):
    form = member_client.get(edit_url(members_comment))
    response = member_client.post(edit_url(members_comment), {"body": "Better *words*."})

    assert textarea(form) == "Original words."
    members_comment.refresh_from_db()
    assert members_comment.body == "Better *words*."
    assert members_comment.body_html == "<p>Better <em>words</em>.</p>"
    assert members_comment.edited is not None
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{members_comment.pk}"
    page = client.get(article.get_absolute_url())
    assert "edited" in comment_html(page, members_comment.pk)
    assertContains(page, "Better <em>words</em>.")


def test_guest_edits_their_comment_in_the_same_browser(article, guest_comment, client):
    response = client.post(edit_url(guest_comment), {"body": "Fixed a typo."})

    assert response.status_code == 302
    guest_comment.refresh_from_db()
    assert guest_comment.body == "Fixed a typo."
    assert "Fixed a typo." in comment_html(client.get(article.get_absolute_url()), guest_comment.pk)


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_others_may_not_edit_or_delete_a_guests_comment(request, guest_comment, who):
    other = Client()
    if who != "anonymous":
        other.force_login(request.getfixturevalue(who))

    responses = [
        other.get(edit_url(guest_comment)),
        other.post(edit_url(guest_comment), {"body": "Hijacked."}),
        other.get(delete_url(guest_comment)),
        other.post(delete_url(guest_comment)),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    guest_comment.refresh_from_db()
    assert guest_comment.body == "Original words."


@pytest.mark.parametrize("who", ["anonymous", "other member", "editor", "guest browser"])
def test_others_may_not_edit_or_delete_a_members_comment(request, article, members_comment, who):
    other = Client()
    if who == "other member":
        other.force_login(factories.create_user())
    elif who == "editor":
        other.force_login(request.getfixturevalue("editor"))
    elif who == "guest browser":
        post(other, article, guest_data(article))  # owns a guest comment, not this one

    assert other.post(edit_url(members_comment), {"body": "Hijacked."}).status_code == 403
    assert other.post(delete_url(members_comment)).status_code == 403
    members_comment.refresh_from_db()
    assert members_comment.body == "Original words."


def test_guest_cookie_for_another_article_does_not_open_this_comment(article, subcategory, client):
    other_article = factories.create_article(category=subcategory)
    post(client, other_article, guest_data(other_article))
    theirs = factories.create_comment(article=article)

    assert client.get(edit_url(theirs)).status_code == 403


def test_edit_link_shows_within_the_window_only(article, members_comment, member_client):
    url = article.get_absolute_url()
    assertContains(member_client.get(url), f'href="{edit_url(members_comment)}"')

    age(members_comment, 11)

    response = member_client.get(url)
    assertNotContains(response, f'href="{edit_url(members_comment)}"')
    assertContains(response, f'href="{delete_url(members_comment)}"')


def test_readers_see_no_edit_or_delete_links(article, members_comment, client):
    response = client.get(article.get_absolute_url())

    assertNotContains(response, edit_url(members_comment))
    assertNotContains(response, delete_url(members_comment))


@pytest.mark.parametrize("method", ["get", "post"])
def test_editing_after_the_window_is_refused_with_a_message(
    article, members_comment, member_client, method
):
    age(members_comment, 10)

    response = getattr(member_client, method)(
        edit_url(members_comment), {"body": "Too late."}, follow=True
    )

    assert response.redirect_chain[0][0].endswith(f"#comment-{members_comment.pk}")
    assertContains(response, "The time for editing this comment has passed.")
    members_comment.refresh_from_db()
    assert (members_comment.body, members_comment.edited) == ("Original words.", None)


def test_edit_window_comes_from_the_site_settings(members_comment, member_client, configure):
    configure(edit_window_minutes=30)
    age(members_comment, 20)

    member_client.post(edit_url(members_comment), {"body": "Still in time."})

    members_comment.refresh_from_db()
    assert members_comment.body == "Still in time."


def test_edit_window_of_zero_turns_editing_off(members_comment, member_client, configure):
    configure(edit_window_minutes=0)

    response = member_client.post(edit_url(members_comment), {"body": "No."})

    assert response.status_code == 302
    members_comment.refresh_from_db()
    assert members_comment.body == "Original words."


def test_empty_edit_is_refused_with_the_form_shown_again(members_comment, member_client):
    response = member_client.post(edit_url(members_comment), {"body": "   "})

    assert response.status_code == 200
    assertContains(response, "Please write your comment.")
    members_comment.refresh_from_db()
    assert members_comment.body == "Original words."


def test_edit_over_the_length_limit_is_refused(members_comment, member_client, configure):
    configure(comment_max_length=100)

    response = member_client.post(edit_url(members_comment), {"body": "z" * 101})

    assert response.status_code == 200
    assert textarea(response) == "z" * 101
    members_comment.refresh_from_db()
    assert members_comment.body == "Original words."


def test_edit_shows_on_the_cached_page_at_once(article, members_comment, member_client, client):
    client.get(article.get_absolute_url())  # caches the thread for readers

    member_client.post(edit_url(members_comment), {"body": "Revised."})

    assertContains(client.get(article.get_absolute_url()), "Revised.")


def test_delete_asks_first(members_comment, member_client):
    response = member_client.get(delete_url(members_comment))

    assertContains(response, "Delete your comment?")
    assertContains(response, "Original words.")
    assert Comment.objects.filter(pk=members_comment.pk).exists()


def test_deleted_comment_without_replies_disappears(article, members_comment, member_client):
    response = member_client.post(delete_url(members_comment))

    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    assert not Comment.objects.filter(pk=members_comment.pk).exists()
    article.refresh_from_db()
    assert article.comment_count == 0
    assert comment_ids(member_client.get(article.get_absolute_url())) == []


def test_deleted_comment_with_replies_leaves_a_placeholder(
    article, members_comment, member_client, client
):
    reply = factories.create_comment(article=article, parent=members_comment, body="I agree.")

    member_client.post(delete_url(members_comment))

    members_comment.refresh_from_db()
    assert members_comment.body == ""
    assert members_comment.deleted is not None
    article.refresh_from_db()
    assert article.comment_count == 1
    for reader in (member_client, client):
        page = reader.get(article.get_absolute_url())
        assert comment_ids(page) == [members_comment.pk, reply.pk]
        assert "This comment was deleted." in comment_html(page, members_comment.pk)
        assertNotContains(page, "Original words.")
        assertContains(page, "I agree.")


def test_deleted_comment_can_be_neither_edited_nor_deleted_again(
    article, members_comment, member_client
):
    factories.create_comment(article=article, parent=members_comment)
    member_client.post(delete_url(members_comment))

    assert member_client.get(edit_url(members_comment)).status_code == 404
    assert member_client.post(delete_url(members_comment)).status_code == 404


def test_guest_deletes_their_held_comment(article, guest_comment, client):
    response = client.post(delete_url(guest_comment))

    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_an_edit_that_adds_links_sends_a_published_comment_back_to_the_queue(
    article, reader, member_client
):
    mine = factories.create_comment(article=article, user=reader, created=timezone.now())

    member_client.post(
        reverse("comments:edit", args=[mine.pk]),
        {"body": "Deals at https://a.example/1 and https://a.example/2"},
    )

    mine.refresh_from_db()
    assert mine.status == Comment.Status.PENDING
    assert mine.status_reasons[-1] == "edited: 2 links"
    assert mine.audit_entries.filter(old_status="approved", new_status="pending").exists()


def test_an_edit_that_adds_a_blocked_word_makes_the_comment_spam(
    article, reader, member_client, configure
):
    configure(blocked_words="casino")
    mine = factories.create_comment(article=article, user=reader, created=timezone.now())

    member_client.post(reverse("comments:edit", args=[mine.pk]), {"body": "Visit my Casino"})

    mine.refresh_from_db()
    assert (mine.status, mine.status_reasons[-1]) == ("spam", "edited: blocked word: casino")


def test_an_ordinary_edit_keeps_the_comment_published(article, reader, member_client):
    mine = factories.create_comment(article=article, user=reader, created=timezone.now())

    member_client.post(reverse("comments:edit", args=[mine.pk]), {"body": "A better wording."})

    mine.refresh_from_db()
    assert mine.status == Comment.Status.APPROVED
