"""The article page costs the same few queries however long the discussion is."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.articles.models import Article
from forum.comments.models import Comment
from tests import factories

from .pages import comment_ids, guest_data, post

MAX_QUERIES = 13  # 12, and the newsletter sign-up sentence when the cache is cold


def seeded_article(comments: int) -> Article:
    """A seeded discussion in which one comment in ten is a member's, some with a picture."""
    call_command("seed_thread", comments=comments, seed=7, depth=5, stdout=io.StringIO())
    article = Article.objects.get(slug=f"reader-thread-{comments}-comments-seed-7")
    members = [factories.create_user(), factories.create_user()]
    members[0].avatar = factories.jpeg_file(name="face.jpg", size=(40, 40))
    members[0].save()
    ids = list(article.comments.order_by("pk").values_list("pk", flat=True))
    for i, member in enumerate(members):
        Comment.objects.filter(pk__in=ids[i::10][::2]).update(user=member)
    return article


def cold_query_count(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert comment_ids(response)
    return len(queries)


@pytest.mark.parametrize("who", ["anonymous", "member with comments", "guest with comments"])
def test_article_page_queries_do_not_grow_with_the_discussion(db, reader, who):
    client = Client()
    counts = []
    for size in (10, 300):
        article = seeded_article(size)
        if who == "member with comments":
            client.force_login(reader)
            factories.create_comment(article=article, user=reader, status=Comment.Status.PENDING)
        elif who == "guest with comments":
            post(client, article, guest_data(article))
        counts.append(cold_query_count(client, article.get_absolute_url()))

    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_second_page_costs_no_more_than_the_first(db, client):
    article = seeded_article(300)
    url = article.get_absolute_url()

    first = cold_query_count(client, url)
    second = cold_query_count(client, url + "?cpage=2")

    assert first == second <= MAX_QUERIES


def test_cached_thread_is_not_queried_again(db, client):
    article = seeded_article(300)
    url = article.get_absolute_url()
    cold = cold_query_count(client, url)

    with CaptureQueriesContext(connection) as warm:
        client.get(url)

    assert len(warm) < cold


def test_newly_approved_comment_appears_although_the_page_was_cached(article, comment, client):
    held = factories.create_comment(article=article, status=Comment.Status.PENDING, body="Late")
    assert comment_ids(client.get(article.get_absolute_url())) == [comment.pk]

    held.approve()

    assert comment_ids(client.get(article.get_absolute_url())) == [comment.pk, held.pk]


def test_every_change_moves_the_articles_comment_version_on(article, comment):
    versions = [Article.objects.get(pk=article.pk).comment_version]
    held = factories.create_comment(article=article, status=Comment.Status.PENDING)
    for change in (
        held.approve,
        lambda: held.set_status(Comment.Status.REMOVED, reason="off topic"),
        lambda: comment.set_status(Comment.Status.SPAM),
    ):
        change()
        versions.append(Article.objects.get(pk=article.pk).comment_version)

    assert versions == sorted(set(versions)), versions
    assert Article.objects.get(pk=article.pk).comment_count == 0
