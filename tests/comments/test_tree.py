"""The discussion under an article: count, order, numbering, nesting and what each reader sees."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from forum.comments.models import Comment
from tests import factories

from .pages import comment_html, comment_ids, numbers, section, thread_shape

PENDING, REMOVED, SPAM = Comment.Status.PENDING, Comment.Status.REMOVED, Comment.Status.SPAM


def create_thread(article, count: int) -> list[Comment]:
    return [factories.create_comment(article=article) for _ in range(count)]


def test_article_page_has_a_comment_section_headed_by_the_count(article, client):
    create_thread(article, 2)
    factories.create_comment(article=article, status=PENDING)

    response = client.get(article.get_absolute_url())

    assertContains(response, '<section id="comments"')
    assertInHTML(
        '<h2 id="comments-heading" class="section-heading">2 comments</h2>', section(response)
    )
    assertInHTML('<a href="#comments">2 comments</a>', response.content.decode())


def test_a_single_comment_is_counted_in_the_singular(article, comment, client):
    response = client.get(article.get_absolute_url())

    assertInHTML('<a href="#comments">1 comment</a>', response.content.decode())


def test_home_page_cards_show_each_articles_comment_count(article, subcategory, client):
    quiet = factories.create_article(title="A quiet story", category=subcategory)
    create_thread(article, 3)
    factories.create_comment(article=article, status=PENDING)

    response = client.get("/")

    assertContains(response, "3 comments<span")
    assertContains(response, "No comments yet<span", count=1)
    assertContains(response, quiet.title)


def test_top_level_comments_are_numbered_oldest_first(article, client):
    first, second, third = create_thread(article, 3)

    response = client.get(article.get_absolute_url())

    assert comment_ids(response) == [first.pk, second.pk, third.pk]
    assert numbers(response) == [1, 2, 3]


def test_newest_first_keeps_the_numbers_counting_from_the_oldest(article, client):
    first, second, third = create_thread(article, 3)

    response = client.get(article.get_absolute_url() + "?order=newest")

    assert comment_ids(response) == [third.pk, second.pk, first.pk]
    assert numbers(response) == [3, 2, 1]


def test_replies_are_not_numbered_and_follow_their_thread(article, client):
    first, second = create_thread(article, 2)
    reply = factories.create_comment(article=article, parent=first)

    response = client.get(article.get_absolute_url())

    assert comment_ids(response) == [first.pk, reply.pk, second.pk]
    assert numbers(response) == [1, 2]


def test_replies_are_nested_under_their_parent_with_their_depth(article, comment, client):
    reply = factories.create_comment(article=article, parent=comment)
    answer = factories.create_comment(article=article, parent=reply)
    sibling = factories.create_comment(article=article, parent=comment)

    response = client.get(article.get_absolute_url())

    assert thread_shape(response) == {
        comment.pk: (None, 1),
        reply.pk: (comment.pk, 2),
        answer.pk: (reply.pk, 3),
        sibling.pk: (comment.pk, 2),
    }
    assertContains(response, '<ol class="comment-replies">', count=2)
    assertContains(response, f'<article id="comment-{answer.pk}" class="comment" data-depth="3">')


def test_every_approved_comment_has_a_reply_link_to_the_form(article, comment, client):
    reply = factories.create_comment(article=article, parent=comment)

    response = client.get(article.get_absolute_url())

    for pk in (comment.pk, reply.pk):
        assertContains(
            response, f'href="{article.get_absolute_url()}?replyto={pk}#respond"', count=1
        )
    assertContains(response, 'id="respond"')


def test_comments_at_the_depth_limit_have_no_reply_link(article, comment, configure, client):
    configure(comment_depth=2)
    reply = factories.create_comment(article=article, parent=comment)

    response = client.get(article.get_absolute_url())

    assertContains(response, f'href="{article.get_absolute_url()}?replyto={comment.pk}#respond"')
    assertNotContains(response, f"replyto={reply.pk}")


def test_default_depth_limit_is_five(article, comment, client):
    chain = [comment]
    for _ in range(4):
        chain.append(factories.create_comment(article=article, parent=chain[-1]))

    response = client.get(article.get_absolute_url())

    assert chain[-1].depth == 5
    assertContains(response, f"replyto={chain[-2].pk}#respond")
    assertNotContains(response, f"replyto={chain[-1].pk}#respond")


def test_closed_article_shows_its_comments_without_reply_links_or_form(article, comment, client):
    article.comments_open = False
    article.save()

    response = client.get(article.get_absolute_url())

    assert comment_ids(response) == [comment.pk]
    assertContains(response, "Comments on this article are closed.")
    assertNotContains(response, "replyto=")
    assertNotContains(response, '<textarea name="body"')


@pytest.mark.parametrize(("days_ago", "is_open"), [(29, True), (31, False)])
def test_comments_close_by_themselves_after_the_configured_days(
    subcategory, configure, client, days_ago, is_open
):
    configure(close_comments_after_days=30)
    article = factories.create_article(
        category=subcategory, published_at=timezone.now() - timedelta(days=days_ago)
    )
    comment = factories.create_comment(article=article)

    response = client.get(article.get_absolute_url())

    assert ("replyto=" in section(response)) is is_open
    assert ('<textarea name="body"' in section(response)) is is_open
    assert comment_ids(response) == [comment.pk]


def test_commenters_name_links_to_their_website_without_passing_rank(article, client):
    factories.create_comment(article=article, name="Mina Hale", website="https://mina.example")
    factories.create_comment(article=article, name="Ola Berg")

    response = client.get(article.get_absolute_url())

    html = section(response)
    assertInHTML(
        '<a class="comment__author" href="https://mina.example" rel="nofollow ugc noopener">'
        "Mina Hale</a>",
        html,
    )
    assertInHTML('<span class="comment__author">Ola Berg</span>', html)


def test_articles_author_is_marked_with_a_badge(own_article, author_user, reader, client):
    mine = factories.create_comment(article=own_article, user=author_user)
    theirs = factories.create_comment(article=own_article, user=reader)

    response = client.get(own_article.get_absolute_url())

    assert '<span class="badge">Author</span>' in comment_html(response, mine.pk)
    assert "badge" not in comment_html(response, theirs.pk)


def test_author_of_another_article_gets_no_badge(article, author_user, client):
    factories.create_comment(article=article, user=author_user)

    assertNotContains(client.get(article.get_absolute_url()), '<span class="badge">Author</span>')


def test_edited_comment_says_so(article, client):
    edited = factories.create_comment(article=article, edited=timezone.now())
    untouched = factories.create_comment(article=article)

    response = client.get(article.get_absolute_url())

    assert '<span class="comment__edited">edited</span>' in comment_html(response, edited.pk)
    assert "edited" not in comment_html(response, untouched.pk)


def test_commenter_without_a_picture_gets_their_initials(article, client):
    factories.create_comment(article=article, name="mina van hale")

    response = client.get(article.get_absolute_url())

    assertContains(response, 'aria-hidden="true">MV</span>')
    assertNotContains(response, '<img class="avatar"')


def test_member_with_an_uploaded_picture_gets_it_as_avatar(article, reader, client):
    reader.avatar = factories.jpeg_file(name="me.jpg", size=(80, 80))
    reader.save()
    factories.create_comment(article=article, user=reader)

    response = client.get(article.get_absolute_url())

    assertContains(response, f'<img class="avatar" src="{reader.avatar.url}"')


@pytest.mark.parametrize("status", [PENDING, SPAM, REMOVED])
def test_comments_not_approved_are_hidden_from_readers(article, comment, client, status):
    hidden = factories.create_comment(article=article, body="Buy cheap lenses now", status=status)

    response = client.get(article.get_absolute_url())

    assert comment_ids(response) == [comment.pk]
    assertNotContains(response, "Buy cheap lenses now")
    assert hidden.pk not in comment_ids(response)


@pytest.mark.parametrize("status", [REMOVED, SPAM])
def test_removed_comment_with_approved_replies_leaves_a_placeholder(article, client, status):
    removed = factories.create_comment(article=article, body="Rude words", status=status)
    reply = factories.create_comment(article=article, parent=removed, body="Let us keep it civil")

    response = client.get(article.get_absolute_url())

    assert thread_shape(response) == {removed.pk: (None, 1), reply.pk: (removed.pk, 2)}
    assertInHTML('<p class="comment__gone">This comment was removed.</p>', section(response))
    assertNotContains(response, "Rude words")
    assertContains(response, "Let us keep it civil")
    assert numbers(response) == [1]


def test_placeholders_are_kept_only_down_to_a_visible_reply(article, client):
    removed = factories.create_comment(article=article, status=REMOVED)
    hidden_reply = factories.create_comment(article=article, parent=removed, status=REMOVED)
    factories.create_comment(article=article, parent=hidden_reply, status=PENDING)
    other = factories.create_comment(article=article)

    response = client.get(article.get_absolute_url())

    assert comment_ids(response) == [other.pk]
    assertNotContains(response, "This comment was removed.")
    assert numbers(response) == [1]


def test_hidden_threads_do_not_take_a_number(article, client):
    first = factories.create_comment(article=article)
    factories.create_comment(article=article, status=PENDING)
    third = factories.create_comment(article=article)

    response = client.get(article.get_absolute_url())

    assert comment_ids(response) == [first.pk, third.pk]
    assert numbers(response) == [1, 2]


def test_replyto_prepares_the_form_to_answer_that_comment(article, comment, client):
    response = client.get(article.get_absolute_url() + f"?replyto={comment.pk}")

    assertContains(response, f'<input type="hidden" name="parent" value="{comment.pk}"')
    assertInHTML(
        f'<a id="replying-to-link" href="#comment-{comment.pk}">Mina Hale</a>', section(response)
    )


def test_replyto_a_comment_at_the_depth_limit_is_ignored(article, comment, configure, client):
    configure(comment_depth=1)

    response = client.get(article.get_absolute_url() + f"?replyto={comment.pk}")

    assertContains(response, '<input type="hidden" name="parent" id="id_parent"')
    assertNotContains(response, f'name="parent" value="{comment.pk}"')
