"""`seed_thread`: one article with a realistic discussion, for benchmarks and demos."""

import io
import re
import time
from collections import Counter
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import resolve
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.articles.models import Article
from forum.comments import models
from forum.comments.models import Comment, CommentNotAllowed, fingerprint
from forum.comments.moderation import DUPLICATE_WINDOW
from forum.comments.services import submit_comment
from forum.demo.management.commands import seed_thread
from forum.demo.management.commands.seed_thread import Command
from tests import factories
from tests.comments.pages import comment_ids


def seed(**options) -> tuple[Article, str]:
    out = io.StringIO()
    call_command("seed_thread", stdout=out, **options)
    slug = f"reader-thread-{options['comments']}-comments-seed-{options.get('seed', 1)}"
    return Article.objects.get(slug=slug), out.getvalue()


def tree(article) -> list[tuple]:
    """The discussion as (position of parent, depth, name, body), in the order written."""
    comments = list(article.comments.order_by("pk"))
    position = {c.pk: i for i, c in enumerate(comments)}
    return [(position.get(c.parent_id), c.depth, c.name, c.body) for c in comments]


def test_seeds_one_article_with_that_many_approved_comments(db):
    article, output = seed(comments=120, seed=3, depth=4)

    assert article.comments.count() == 120
    assert not article.comments.exclude(status=Comment.Status.APPROVED).exists()
    assert article.comment_count == 120
    assert article.is_published


def test_prints_the_articles_path_last(db):
    article, output = seed(comments=5, seed=1, depth=3)

    path = output.strip().splitlines()[-1]
    assert path == article.get_absolute_url()
    assert resolve(path).url_name == "detail"


def test_about_one_comment_in_five_starts_a_thread(db):
    article, _ = seed(comments=500, seed=2, depth=5)

    top_level = article.comments.filter(parent=None).count()
    assert 0.12 <= top_level / 500 <= 0.3


@pytest.mark.parametrize("shape", ["early", "recent"])
@pytest.mark.parametrize("depth", [1, 3, 6])
def test_replies_go_exactly_as_deep_as_asked(db, depth, shape):
    article, _ = seed(comments=300, seed=4, depth=depth, shape=shape)

    depths = set(article.comments.values_list("depth", flat=True))
    assert depths == set(range(1, depth + 1))


@pytest.mark.parametrize("shape", ["early", "recent"])
def test_replies_sit_one_level_below_their_parent_in_its_thread(db, shape):
    article, _ = seed(comments=300, seed=5, depth=5, shape=shape)

    comments = {c.pk: c for c in article.comments.all()}
    for comment in comments.values():
        if comment.parent_id is None:
            assert (comment.thread_id, comment.depth) == (comment.pk, 1)
        else:
            parent = comments[comment.parent_id]
            assert comment.depth == parent.depth + 1
            assert comment.thread_id == parent.thread_id
            assert parent.created < comment.created


@pytest.mark.parametrize("seed_value", [1, 2, 3])
def test_bodies_are_300_to_600_characters_and_rendered(db, seed_value):
    article, _ = seed(comments=400, seed=seed_value, depth=5)

    for body, body_html in article.comments.values_list("body", "body_html"):
        assert 300 <= len(body) <= 600, (len(body), body)
        assert body_html.startswith("<p>")


@pytest.mark.parametrize("shape", ["early", "recent"])
def test_same_seed_gives_the_same_tree(db, shape):
    first = tree(seed(comments=80, seed=9, depth=4, shape=shape)[0])
    again = tree(seed(comments=80, seed=9, depth=4, shape=shape)[0])
    other = seed(comments=80, seed=10, depth=4, shape=shape)[0]

    assert first == again
    assert first != tree(other)
    assert Article.objects.filter(slug__startswith="reader-thread-80-").count() == 2


def replies_per_thread(article) -> list[int]:
    """How many replies each thread holds, threads in the order they were started."""
    threads = list(article.comments.filter(parent=None).order_by("pk").values_list("pk", flat=True))
    replies = dict.fromkeys(threads, 0)
    for thread in article.comments.exclude(parent=None).values_list("thread_id", flat=True):
        replies[thread] += 1
    return [replies[pk] for pk in threads]


def test_the_early_shape_is_the_default(db):
    default = tree(seed(comments=200, seed=3, depth=5)[0])

    assert default == tree(seed(comments=200, seed=3, depth=5, shape="early")[0])
    assert default != tree(seed(comments=200, seed=3, depth=5, shape="recent")[0])


@pytest.mark.parametrize("seed_value", [1, 2])
def test_early_shape_has_one_comment_in_five_at_the_top_and_every_level_to_the_depth(
    db, seed_value
):
    article, _ = seed(comments=1000, seed=seed_value, depth=5, shape="early")

    depths = Counter(article.comments.values_list("depth", flat=True))
    assert 0.15 <= depths[1] / 1000 <= 0.25
    assert set(depths) == {1, 2, 3, 4, 5}
    # The replies spread over the four reply levels, none starved.
    assert all(depths[level] >= 120 for level in (2, 3, 4, 5)), depths


@pytest.mark.parametrize("seed_value", [1, 2])
def test_in_the_early_shape_the_oldest_threads_draw_most_replies(db, seed_value):
    early = replies_per_thread(seed(comments=1000, seed=seed_value, shape="early")[0])
    recent = replies_per_thread(seed(comments=1000, seed=seed_value, shape="recent")[0])

    def first_tenth_against_last_half(replies):
        first = replies[: len(replies) // 10]
        last = replies[len(replies) // 2 :]
        return (sum(first) / len(first)) / max(sum(last) / len(last), 0.01)

    assert first_tenth_against_last_half(early) > 10
    assert max(early) == max(early[:5])  # the busiest thread is one of the first
    assert first_tenth_against_last_half(recent) < 3  # every thread is much like the others


def test_early_shape_replies_answer_comments_from_all_through_the_discussion(db):
    """A reply's parent is any comment already written one level up, not only a recent one:
    in the recent shape replies answer the last few comments."""

    def distance(article):
        rows = tree(article)
        gaps = [index - parent for index, (parent, *_) in enumerate(rows) if parent is not None]
        return sum(gaps) / len(gaps)

    assert distance(seed(comments=600, seed=4, shape="early")[0]) > 100
    assert distance(seed(comments=600, seed=4, shape="recent")[0]) < 20


@pytest.mark.parametrize("shape", ["early", "recent"])
def test_comments_are_dated_in_the_past_in_the_order_of_their_keys(db, shape):
    article, _ = seed(comments=500, seed=8, depth=5, shape=shape)

    rows = list(article.comments.order_by("pk").values_list("created", "depth"))
    dates = [created for created, _ in rows]
    assert dates == sorted(dates) and len(set(dates)) == 500
    assert article.published_at < dates[0] and dates[-1] < timezone.now()
    # Replies are interleaved with new threads, as they were written, not stored after them.
    assert [depth for _, depth in rows] != sorted(depth for _, depth in rows)


def test_a_comment_posted_after_seeding_gets_a_key_of_its_own(db):
    article, _ = seed(comments=50, seed=1, depth=3)
    seeded = set(article.comments.values_list("pk", flat=True))

    comment = submit_comment(
        article=article, body="Posted after the seed: the prints came back warm.",
        name="Jo Bloggs", email="jo@example.com", ip="192.0.2.1", form_issued=time.time() - 60,
    )  # fmt: skip

    assert comment.pk > max(seeded)
    assert article.comments.count() == 51


def test_a_large_discussion_renders_each_text_once(db, monkeypatch):
    """Beyond DISTINCT_TEXTS comments repeat a text, with its rendering: seeding 50,000 takes
    seconds, not a minute in the sanitiser."""
    monkeypatch.setattr(seed_thread, "DISTINCT_TEXTS", 40)
    rendered = []
    real_render = models.render_comment
    monkeypatch.setattr(
        models, "render_comment", lambda text: rendered.append(text) or real_render(text)
    )

    article, _ = seed(comments=300, seed=2, depth=5)

    assert len(rendered) == 40
    rows = list(article.comments.values_list("body", "body_html", "fingerprint"))
    assert len({body for body, _, _ in rows}) == 40
    assert all(html == real_render(body) and fp == fingerprint(body) for body, html, fp in rows)


ONWARD = re.compile(r'<[^>]*\b(?:id="show-more"|class="[^"]*\bmore-replies\b[^"]*")')


def reachable_comments(client, path: str) -> set[int]:
    """Every comment a reader without JavaScript reaches from `path`: the page's own and those
    behind its "Show more comments" and "Show N more replies" links, followed to the end."""
    queue, seen, found = [path], {path}, set()
    while queue:
        response = client.get(queue.pop(0))
        assert response.status_code == 200
        found.update(comment_ids(response))
        html = response.content.decode()
        for element in ONWARD.finditer(html):
            href = re.search(r'href="([^"]*)"', html[element.start() : element.start() + 2000])
            parts = urlsplit(unescape(href.group(1)))
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return found


def test_seeded_discussion_shows_on_the_article_page(db, client):
    article, output = seed(comments=30, seed=1, depth=3)

    response = client.get(output.strip().splitlines()[-1])

    assert response.status_code == 200
    assert comment_ids(response)
    assert reachable_comments(client, article.get_absolute_url()) == set(
        article.comments.values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "options", [{"comments": -1}, {"comments": 5, "depth": 0}, {"comments": 5, "depth": 11}]
)
def test_impossible_sizes_are_refused(db, options):
    with pytest.raises(CommandError):
        call_command("seed_thread", stdout=io.StringIO(), **options)


def test_seeded_comments_carry_the_fingerprint_of_their_text(db):
    article, _ = seed(comments=120, seed=6, depth=5)

    rows = list(article.comments.values_list("body", "fingerprint"))
    assert len(rows) == 120
    assert all(stored == fingerprint(body) for body, stored in rows)


def test_a_guest_posting_the_text_of_a_seeded_comment_again_is_refused_as_a_duplicate(db):
    article, _ = seed(comments=40, seed=1, depth=4)
    newest = article.comments.latest("created")
    assert newest.created > timezone.now() - DUPLICATE_WINDOW

    with pytest.raises(CommentNotAllowed, match="already been posted"):
        submit_comment(
            article=article, body=newest.body.upper(), name="Jo Bloggs", email="jo@example.com",
            ip="192.0.2.1", form_issued=time.time() - 60,
        )  # fmt: skip
    assert article.comments.count() == 40


def test_seeding_a_thousand_comments_takes_a_few_queries(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        seed(comments=1000, seed=1, depth=5)


LISTINGS = ["/", "/feed/", "/sitemap.xml"]


def listings(article) -> list[str]:
    """Home, the site feed, the sitemap, and the article's section page and section feed."""
    section = article.category
    return [*LISTINGS, section.get_absolute_url(), f"/section/{section.path}/feed/"]


def test_seeded_article_is_test_content_kept_out_of_listings_feeds_and_sitemap(db, client):
    real = factories.create_article(title="A real review", slug="a-real-review")
    article, output = seed(comments=12, seed=1, depth=3)
    assert article.category == real.category  # the seeded thread joins the first section

    assert article.is_test_content
    for url in listings(article):
        response = client.get(url)
        assert response.status_code == 200, url
        assertContains(response, real.get_absolute_url())
        assertNotContains(response, article.get_absolute_url())

    page = client.get(output.strip().splitlines()[-1])
    assert page.status_code == 200
    assert len(reachable_comments(client, article.get_absolute_url())) == 12


def test_listed_option_shows_the_seeded_article_like_a_real_one(db, client):
    factories.create_article(title="A real review", slug="a-real-review")
    article, _ = seed(comments=3, seed=1, depth=2, listed=True)

    assert not article.is_test_content
    for url in listings(article):
        assertContains(client.get(url), article.get_absolute_url())


def test_help_explains_the_listed_option(db):
    out = io.StringIO()
    parser = Command().create_parser("manage.py", "seed_thread")
    parser.print_help(out)

    assert "--listed" in out.getvalue()
    assert "test content" in " ".join(out.getvalue().split())
    assert "--shape {early,recent}" in out.getvalue()
    assert "oldest threads draw the most replies" in " ".join(out.getvalue().split())
