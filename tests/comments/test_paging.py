"""THREADS_PER_PAGE threads to a page: "Show more comments", the JSON endpoint and permalinks."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from forum.comments.models import Comment
from forum.comments.tree import THREADS_PER_PAGE
from tests import factories

from .pages import comment_ids, guest_data, numbers, post


def create_threads(article, count: int) -> list[Comment]:
    return [factories.create_comment(article=article) for _ in range(count)]


def more_url(article, query: str = "") -> str:
    return reverse("comments:more", args=[article.pk]) + query


def test_a_page_holds_a_run_of_threads_and_links_to_the_next(article, client):
    threads = create_threads(article, THREADS_PER_PAGE + 1)

    response = client.get(article.get_absolute_url())

    assert comment_ids(response) == [c.pk for c in threads[:THREADS_PER_PAGE]]
    assert numbers(response) == list(range(1, THREADS_PER_PAGE + 1))
    assertContains(response, f'href="{article.get_absolute_url()}?cpage=2#comments"')
    assertContains(response, f'data-more-url="{more_url(article, "?cpage=2")}"')
    assertContains(response, "Show more comments")


def test_second_page_carries_on_the_numbering(article, client):
    threads = create_threads(article, THREADS_PER_PAGE + 1)

    response = client.get(article.get_absolute_url() + "?cpage=2")

    assert comment_ids(response) == [threads[-1].pk]
    assert numbers(response) == [THREADS_PER_PAGE + 1]
    assertNotContains(response, "Show more comments")
    assertContains(response, "Back to the first comments")


def test_replies_come_with_their_thread_and_do_not_fill_the_page(article, client):
    threads = create_threads(article, THREADS_PER_PAGE)
    replies = [factories.create_comment(article=article, parent=threads[0]) for _ in range(5)]

    response = client.get(article.get_absolute_url())

    assert len(comment_ids(response)) == THREADS_PER_PAGE + 5
    assert {r.pk for r in replies} <= set(comment_ids(response))
    assertNotContains(response, "Show more comments")


def test_newest_first_pages_start_from_the_newest(article, client):
    threads = create_threads(article, THREADS_PER_PAGE + 1)
    url = article.get_absolute_url() + "?order=newest"

    first = client.get(url)
    second = client.get(url + "&cpage=2")

    assert comment_ids(first)[0] == threads[-1].pk
    assert numbers(first)[:2] == [THREADS_PER_PAGE + 1, THREADS_PER_PAGE]
    assert comment_ids(second) == [threads[0].pk]
    assert numbers(second) == [1]
    assertContains(first, f'href="{article.get_absolute_url()}?order=newest&amp;cpage=2#comments"')


def test_more_endpoint_returns_the_next_page_as_json(article, client):
    threads = create_threads(article, 2 * THREADS_PER_PAGE + 1)

    second = client.get(more_url(article, "?cpage=2")).json()
    third = client.get(more_url(article, "?cpage=3")).json()

    n = THREADS_PER_PAGE
    assert f'id="comment-{threads[n].pk}"' in second["html"]
    assert f'id="comment-{threads[2 * n - 1].pk}"' in second["html"]
    assert f'id="comment-{threads[2 * n].pk}"' not in second["html"]
    assert second["next"] == more_url(article, "?cpage=3")
    assert f'id="comment-{threads[2 * n].pk}"' in third["html"]
    assert third["next"] == ""


@pytest.mark.parametrize("cpage", ["3", "99"])
def test_pages_past_the_last_are_not_found(article, client, cpage):
    create_threads(article, THREADS_PER_PAGE + 1)

    assert client.get(article.get_absolute_url() + f"?cpage={cpage}").status_code == 404
    assert client.get(more_url(article, f"?cpage={cpage}")).status_code == 404


def test_second_page_of_a_short_discussion_is_not_found(article, comment, client):
    assert client.get(article.get_absolute_url() + "?cpage=2").status_code == 404


@pytest.mark.parametrize("cpage", ["abc", "0", "-1", ""])
def test_malformed_page_numbers_give_the_first_page(article, comment, client, cpage):
    response = client.get(article.get_absolute_url() + f"?cpage={cpage}")

    assert response.status_code == 200
    assert comment_ids(response) == [comment.pk]


def test_more_endpoint_of_an_unpublished_article_is_not_found(subcategory, client):
    draft = factories.create_article(category=subcategory, status="draft")
    factories.create_comment(article=draft)

    assert client.get(more_url(draft)).status_code == 404


def test_permalink_on_the_first_page_goes_to_the_article(article, comment, client):
    response = client.get(comment.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_permalink_finds_the_page_holding_the_comment(article, client):
    last = create_threads(article, THREADS_PER_PAGE + 1)[-1]
    reply = factories.create_comment(article=article, parent=last)

    for comment in (last, reply):
        response = client.get(comment.get_absolute_url())
        assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{comment.pk}"
        page = client.get(response["Location"])
        assert comment.pk in comment_ids(page)


def test_permalink_in_newest_first_order_lands_on_a_page_holding_the_comment(article, client):
    oldest = create_threads(article, THREADS_PER_PAGE + 1)[0]

    response = client.get(oldest.get_absolute_url() + "?order=newest")

    url = article.get_absolute_url()
    assert response["Location"] == f"{url}?cpage=2&order=newest#comment-{oldest.pk}"
    assert oldest.pk in comment_ids(client.get(response["Location"]))


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_permalink_to_a_comment_readers_cannot_see_leads_to_the_discussion(article, client, status):
    hidden = factories.create_comment(article=article, status=status)

    response = client.get(hidden.get_absolute_url())

    assert response["Location"] == f"{article.get_absolute_url()}#comments"


def test_permalink_to_a_guests_held_comment_works_for_them_only(article, client):
    post(client, article, guest_data(article))
    held = Comment.objects.get()

    assert client.get(held.get_absolute_url())["Location"].endswith(f"#comment-{held.pk}")
    assert Client().get(held.get_absolute_url())["Location"].endswith("#comments")


def test_permalink_into_an_unpublished_article_is_not_found_for_readers(
    subcategory, editor_client, client
):
    draft = factories.create_article(category=subcategory, status="draft")
    comment = factories.create_comment(article=draft)

    assert client.get(comment.get_absolute_url()).status_code == 404
    assert editor_client.get(comment.get_absolute_url()).status_code == 302
