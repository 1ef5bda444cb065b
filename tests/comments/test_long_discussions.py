"""Long discussions: stable thread numbers, a page bounded in comments ("Show N more
replies"), permalinks found by an index lookup, and a new comment that re-renders only its own
thread."""

import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from forum.articles.models import Article
from forum.comments import tree
from forum.comments.models import Comment
from forum.comments.tree import REPLIES_SHOWN, THREADS_PER_PAGE
from tests import factories

from .pages import comment_ids, guest_data, numbers, post, section

APPROVED, PENDING, REMOVED = (Comment.Status.APPROVED, Comment.Status.PENDING,
                              Comment.Status.REMOVED)  # fmt: skip


def threads(article, count: int, **fields) -> list[Comment]:
    return [factories.create_comment(article=article, **fields) for _ in range(count)]


def replies(parent: Comment, count: int) -> list[Comment]:
    return [factories.create_comment(article=parent.article, parent=parent) for _ in range(count)]


def more_link(response) -> re.Match | None:
    return re.search(
        r'<p class="more-replies"><a href="([^"]+)" data-thread-url="([^"]+)" '
        r'data-first="(\d+)">Show (\d+) more repl',
        response.content.decode(),
    )


# Stable numbers ---------------------------------------------------------------------------


def test_a_thread_keeps_its_number_when_an_earlier_one_is_taken_down(article, client, moderator):
    first, second, third = threads(article, 3)

    first.set_status(REMOVED, by=moderator)

    response = client.get(article.get_absolute_url())
    assert comment_ids(response) == [second.pk, third.pk]
    assert numbers(response) == [2, 3]


def test_a_thread_deleted_by_its_writer_leaves_the_others_their_numbers(article, client):
    post(client, article, guest_data(article))
    own = Comment.objects.get()
    own.approve()
    later = threads(article, 2)

    client.post(reverse("comments:delete", args=[own.pk]))

    response = Client().get(article.get_absolute_url())
    assert comment_ids(response) == [c.pk for c in later]
    assert numbers(response) == [2, 3]


def test_a_held_comment_shows_its_writer_no_number_and_gets_the_next_on_approval(
    article, client, moderator
):
    threads(article, 2)
    post(client, article, guest_data(article))
    held = Comment.objects.get(status=PENDING)
    published_meanwhile = factories.create_comment(article=article)

    writer_sees = client.get(article.get_absolute_url())
    assert numbers(writer_sees) == [1, 2, 3]  # none on the held comment
    assert comment_ids(writer_sees)[-2:] == [published_meanwhile.pk, held.pk]

    held.approve(by=moderator)

    everyone_sees = Client().get(article.get_absolute_url())
    assert comment_ids(everyone_sees)[-1] == held.pk
    assert numbers(everyone_sees) == [1, 2, 3, 4]
    assert published_meanwhile.number == 3


def test_a_thread_taken_down_and_put_back_keeps_its_number(article, client, moderator):
    first, second = threads(article, 2)
    first.set_status(REMOVED, by=moderator)
    threads(article, 1)

    first.approve(by=moderator)

    assert numbers(client.get(article.get_absolute_url())) == [1, 2, 3]


def test_existing_threads_are_numbered_in_the_order_readers_saw_them(article):
    shown, removed_alone, removed_with_reply, held = threads(article, 4)
    reply = factories.create_comment(article=article, parent=removed_with_reply)
    Comment.objects.filter(pk__in=[removed_alone.pk, removed_with_reply.pk]).update(status=REMOVED)
    Comment.objects.filter(pk=held.pk).update(status=PENDING)
    Comment.objects.update(number=None)
    migration = importlib.import_module("forum.comments.migrations.0011_stable_thread_numbers")

    migration.number_published_threads(django_apps, None)

    assert dict(Comment.objects.filter(parent=None).values_list("pk", "number")) == {
        shown.pk: 1,
        removed_alone.pk: None,
        removed_with_reply.pk: 2,
        held.pk: None,
    }
    assert Comment.objects.get(pk=reply.pk).number is None


# A bounded page ---------------------------------------------------------------------------


def test_a_long_thread_shows_its_first_replies_and_how_many_more(article, client):
    [root] = threads(article, 1)
    answers = replies(root, REPLIES_SHOWN + 7)

    response = client.get(article.get_absolute_url())

    assert comment_ids(response) == [root.pk, *[c.pk for c in answers[:REPLIES_SHOWN]]]
    link = more_link(response)
    assert link and int(link.group(4)) == 7
    assertContains(response, "Show 7 more replies")
    first_unseen = answers[REPLIES_SHOWN].pk
    assert link.group(1) == f"{article.get_absolute_url()}?expand={root.pk}#comment-{first_unseen}"
    assert link.group(3) == str(first_unseen)


def test_without_javascript_the_link_opens_the_thread_in_full_at_the_first_unseen_reply(
    article, client
):
    [root] = threads(article, 1)
    answers = replies(root, REPLIES_SHOWN + 3)
    href = more_link(client.get(article.get_absolute_url())).group(1)

    response = client.get(href)

    assert comment_ids(response) == [root.pk, *[c.pk for c in answers]]
    assert more_link(response) is None


def test_the_thread_endpoint_gives_the_whole_thread(article, client):
    [root] = threads(article, 1)
    answers = replies(root, REPLIES_SHOWN + 2)
    data_url = more_link(client.get(article.get_absolute_url())).group(2)

    html = client.get(data_url).json()["html"]

    assert html.startswith('<li class="comment-item"><article id="comment-')
    assert [int(pk) for pk in re.findall(r'id="comment-(\d+)"', html)] == [
        root.pk,
        *[c.pk for c in answers],
    ]


@pytest.mark.parametrize("which", ["reply", "held", "unpublished article"])
def test_the_thread_endpoint_answers_only_for_a_thread_the_reader_may_see(
    article, subcategory, client, which
):
    if which == "reply":
        [root] = threads(article, 1)
        pk = replies(root, 1)[0].pk
    elif which == "held":
        pk = threads(article, 1, status=PENDING)[0].pk
    else:
        draft = factories.create_article(category=subcategory, status="draft")
        pk = factories.create_comment(article=draft).pk

    assert client.get(reverse("comments:thread", args=[pk])).status_code == 404


def test_a_permalink_to_a_reply_behind_the_link_lands_on_it_shown(article, client):
    [root] = threads(article, 1)
    answers = replies(root, REPLIES_SHOWN + 2)
    hidden, shown = answers[-1], answers[0]

    location = client.get(hidden.get_absolute_url())["Location"]
    assert location == f"{article.get_absolute_url()}?expand={root.pk}#comment-{hidden.pk}"
    assert hidden.pk in comment_ids(client.get(location))
    assert client.get(shown.get_absolute_url())["Location"] == (
        f"{article.get_absolute_url()}#comment-{shown.pk}"
    )


def test_posting_a_reply_behind_the_link_lands_the_writer_on_it(article, member_client):
    [root] = threads(article, 1)
    replies(root, REPLIES_SHOWN)

    response = post(member_client, article, guest_data(article, parent=root.pk))

    mine = Comment.objects.latest("pk")
    assert response["Location"].endswith(f"?expand={root.pk}#comment-{mine.pk}")
    assert mine.pk in comment_ids(member_client.get(response["Location"]))


def test_the_first_page_of_an_early_shaped_discussion_is_bounded(db, client):
    call_command("seed_thread", comments=1000, seed=3, stdout=io.StringIO())
    article = Article.objects.get(slug="reader-thread-1000-comments-seed-3")

    response = client.get(article.get_absolute_url())

    shown = comment_ids(response)
    assert THREADS_PER_PAGE <= len(shown) <= THREADS_PER_PAGE * (1 + REPLIES_SHOWN)
    assert numbers(response) == list(range(1, THREADS_PER_PAGE + 1))
    assertContains(response, "more replies")


def test_a_reader_can_read_every_comment_through_the_links(db, client):
    """Pages and "Show N more replies" together reach every published comment once."""
    call_command("seed_thread", comments=300, seed=5, stdout=io.StringIO())
    article = Article.objects.get(slug="reader-thread-300-comments-seed-5")
    seen, url = [], article.get_absolute_url()
    while url:
        response = client.get(url)
        ids = comment_ids(response)
        for match in re.finditer(r'data-thread-url="([^"]+)"', section(response)):
            html = client.get(match.group(1)).json()["html"]
            ids += [int(pk) for pk in re.findall(r'<article id="comment-(\d+)"', html)]
        seen += ids
        more = re.search(r'id="show-more" href="([^"#]+)', response.content.decode())
        url = more.group(1).replace("&amp;", "&") if more else ""

    assert set(seen) == set(article.comments.approved().values_list("pk", flat=True))


# Constant-time permalinks -----------------------------------------------------------------


def permalink_queries(comment: Comment) -> int:
    with CaptureQueriesContext(connection) as queries:
        Client().get(comment.get_absolute_url())
    return len(queries)


def test_finding_a_comments_page_costs_the_same_however_long_the_discussion(article, subcategory):
    short = threads(article, 2)
    long_article = factories.create_article(category=subcategory, slug="long")
    long = threads(long_article, 3 * THREADS_PER_PAGE)
    reply_short = replies(short[-1], 1)[0]
    reply_long = replies(long[-1], 1)[0]

    assert permalink_queries(short[-1]) == permalink_queries(long[-1])
    assert permalink_queries(reply_short) == permalink_queries(reply_long)
    assert (
        Client()
        .get(long[-1].get_absolute_url())["Location"]
        .endswith(f"?cpage=3#comment-{long[-1].pk}")
    )


# A new comment re-renders its own thread only ---------------------------------------------


def test_after_a_new_comment_the_next_reader_renders_only_its_thread(article, client, monkeypatch):
    first, second, third = threads(article, 3)
    client.get(article.get_absolute_url())  # every thread cached
    rendered = []
    render_threads = tree.render_threads

    def spy(roots, **kwargs):
        rendered.append([root.pk for root in roots])
        return render_threads(roots, **kwargs)

    monkeypatch.setattr(tree, "render_threads", spy)
    answer = replies(second, 1)[0]

    response = Client().get(article.get_absolute_url())

    assert rendered == [[second.pk]]
    assert comment_ids(response) == [first.pk, second.pk, answer.pk, third.pk]


@pytest.mark.parametrize("change", ["edit", "approve", "remove", "rename"])
def test_a_cached_thread_moves_on_with_its_comments(article, reader, moderator, change):
    reply_of = threads(article, 1)[0]
    answer = factories.create_comment(article=article, parent=reply_of, user=reader,
                                      status=PENDING if change == "approve" else APPROVED)  # fmt: skip
    Client().get(article.get_absolute_url())

    if change == "edit":
        from forum.comments.services import edit_comment

        edit_comment(comment=answer, body="Second thoughts about the grain.")
        expected = "Second thoughts about the grain."
    elif change == "approve":
        answer.approve(by=moderator)
        expected = f'id="comment-{answer.pk}"'
    elif change == "remove":
        answer.set_status(REMOVED, by=moderator)
        expected = None
    else:
        reader.display_name = "Renamed Reader"
        reader.save()
        expected = "Renamed Reader"

    response = Client().get(article.get_absolute_url())
    if expected is None:
        assertNotContains(response, f'id="comment-{answer.pk}"')
    else:
        assertContains(response, expected)


def test_the_thread_cache_is_never_shared_with_a_writer_of_a_held_reply(article, client):
    root = threads(article, 1)[0]
    Client().get(article.get_absolute_url())
    post(client, article, guest_data(article, parent=root.pk))
    held = Comment.objects.get(status=PENDING)

    assertContains(client.get(article.get_absolute_url()), "Your comment is awaiting moderation")
    assertNotContains(Client().get(article.get_absolute_url()), f'id="comment-{held.pk}"')
    cache.clear()


def test_a_moderator_who_sees_more_replies_is_sent_to_the_thread_in_full(
    article, moderator_client, client
):
    """A moderator is shown held and spam replies too, so a reply a reader finds among the
    first is behind "Show more replies" for them: the permalink opens the thread for them."""
    [root] = threads(article, 1)
    for _ in range(REPLIES_SHOWN - 1):
        factories.create_comment(article=article, parent=root, status=Comment.Status.SPAM)
    published = replies(root, 2)[-1]

    moderators = moderator_client.get(published.get_absolute_url())["Location"]
    readers = client.get(published.get_absolute_url())["Location"]

    assert f"expand={root.pk}" in moderators
    assert published.pk in comment_ids(moderator_client.get(moderators))
    assert readers == f"{article.get_absolute_url()}#comment-{published.pk}"


def test_the_whole_thread_is_rendered_once_for_every_reader(article, client, monkeypatch):
    [root] = threads(article, 1)
    replies(root, REPLIES_SHOWN + 2)
    url = reverse("comments:thread", args=[root.pk])
    rendered = []
    render_threads = tree.render_threads
    monkeypatch.setattr(
        tree,
        "render_threads",
        lambda roots, **kw: rendered.append(1) or render_threads(roots, **kw),
    )

    first, second = client.get(url).json(), Client().get(url).json()

    assert first == second
    assert rendered == [1]


def test_made_up_page_addresses_do_not_fill_the_cache(article, client):
    """?expand= takes any number and ?cpage= any page: neither may add a whole page to the
    cache per address, or a stream of requests would fill it."""
    [root] = threads(article, 1)
    replies(root, REPLIES_SHOWN + 1)
    client.get(article.get_absolute_url())
    keys = set(cache._cache)  # the local-memory cache of the tests

    for n in range(1, 30):
        client.get(f"{article.get_absolute_url()}?expand={root.pk + n}")
        client.get(f"{article.get_absolute_url()}?cpage={n + 1}")

    assert len(set(cache._cache) - keys) == 0
