"""The demo magazine that `make run` loads."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum.articles.models import Article, ArticleImage, Author, Category, RelatedLink, Tag
from forum.comments.models import AuditEntry, Comment, fingerprint
from forum.demo.donations import GIFTS
from forum.donations.models import Donation, Payment
from tests.comments.pages import form_errors, guest_data, post

pytestmark = pytest.mark.django_db

MODELS = (Category, Author, Tag, Article, ArticleImage, RelatedLink, Donation, Payment)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, made once for this module (seed_demo takes a quarter of a minute) in a
    transaction that is rolled back after its last test; each test runs in a savepoint
    inside it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_builds_a_magazine_with_nested_sections_authors_and_captioned_images(seeded):
    assert Article.objects.published().count() >= 8
    assert Category.objects.filter(parent__parent__isnull=True, parent__isnull=False).exists()
    assert Article.objects.published().filter(category__parent__isnull=False).exists()
    assert Author.objects.count() == 3
    assert all(author.bio and author.photo for author in Author.objects.all())
    assert (
        RelatedLink.objects.filter(url="").exists() and RelatedLink.objects.exclude(url="").exists()
    )
    assert Tag.objects.filter(articles__isnull=False).distinct().count() >= 5
    # Some articles are not public yet, for previews.
    assert Article.objects.exclude(pk__in=Article.objects.published()).exists()

    # Images have captions, credits and stored dimensions (so no page opens a file to size it).
    for article in Article.objects.published():
        assert article.hero_image and article.hero_caption and article.hero_credit
        assert (article.hero_width, article.hero_height) == (1600, 900)
    assert not ArticleImage.objects.filter(width__isnull=True).exists()
    assert not Author.objects.filter(photo_width__isnull=True).exists()
    figure_article = ArticleImage.objects.first().article
    assert "<figcaption>" in figure_article.body_html


def test_seed_demo_can_run_again_without_creating_anything(seeded):
    before = counts()
    assert before["Donation"] == len(GIFTS)  # the Support pages' gifts come with the demo
    body_before = list(Article.objects.values_list("slug", "body_html", "updated_at"))

    call_command("seed_demo", verbosity=0)

    assert counts() == before
    assert list(Article.objects.values_list("slug", "body_html", "updated_at")) == body_before


def test_demo_comments_carry_the_fingerprint_of_their_text(seeded):
    rows = list(Comment.objects.values_list("body", "fingerprint"))
    assert len(rows) > 50
    assert all(stored == fingerprint(body) for body, stored in rows)


def test_a_guest_posting_the_text_of_a_demo_comment_again_is_refused_as_a_duplicate(seeded, client):
    # The demo's reported comment went up an hour or two ago, inside the duplicate window.
    demo = Comment.objects.get(email="tomasz.wiater@example.com")
    data = guest_data(demo.article, body=demo.body)
    before = Comment.objects.count()

    response = post(client, demo.article, data)

    assert response.status_code == 200
    assert "This comment has already been posted." in form_errors(response)
    assert Comment.objects.count() == before


def test_demo_replies_sit_below_their_parent_and_every_comment_has_its_posted_audit_row(seeded):
    comments = {comment.pk: comment for comment in Comment.objects.all()}
    for comment in comments.values():
        if comment.parent_id is None:
            assert (comment.thread_id, comment.depth) == (comment.pk, 1)
        else:
            parent = comments[comment.parent_id]
            assert (comment.thread_id, comment.depth) == (parent.thread_id, parent.depth + 1)
    assert Comment.objects.filter(depth__gte=3).exists()

    posted = AuditEntry.objects.filter(action=AuditEntry.Action.POSTED, actor=None)
    assert sorted(posted.values_list("comment_id", flat=True)) == sorted(comments)


def test_no_demo_comment_is_dated_in_the_future(seeded):
    assert not Comment.objects.filter(created__gt=timezone.now()).exists()
    assert not Comment.objects.filter(created__lt=F("article__published_at")).exists()


def test_the_demo_member_shows_a_public_profile_with_their_comments(seeded, client):
    response = client.get("/members/rafe-collins/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ferry engineer by day." in page
    assert "frameandgrain.test" not in page  # the address is never shown
    assert Comment.objects.filter(user__username="rafe-collins", status="approved").exists()
    assert "Read it in the discussion" in page
