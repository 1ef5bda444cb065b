"""Every change of a comment's status after it was posted goes one way
(`CommentQuerySet.set_status`): logged, reports settled, the article recounted, and the
moderators told when a comment goes back to the queue."""

import pytest
from django.urls import reverse

from forum.articles.models import Article
from forum.comments.models import REPORTED, AuditEntry, Comment
from forum.comments.services import edit_comment
from tests import factories

from .test_admin_bans import add_ban

APPROVED, PENDING, REMOVED = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.REMOVED


def log_of(comment) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(comment=comment)
        .order_by("pk")
        .values_list("actor_id", "old_status", "new_status", "reason")
    )


def test_an_edit_that_sends_a_published_comment_back_to_the_queue_tells_the_moderators(
    article, reader, configure, mailoutbox, django_capture_on_commit_callbacks
):
    configure(moderator_email="immediate", watched_words="scam")
    factories.create_moderator(email="mod@example.com")
    comment = factories.create_comment(article=article, user=reader, body="Nice prints.")

    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(comment=comment, body="Nice prints. The seller is a scam.")

    comment.refresh_from_db()
    assert comment.status == PENDING
    [message] = mailoutbox
    assert message.to == ["mod@example.com"]
    assert "watched word: scam" in message.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body


def test_a_writer_deleting_a_comment_with_replies_is_logged(article, reader, member_client):
    comment = factories.create_comment(article=article, user=reader)
    factories.create_comment(article=article, parent=comment)

    member_client.post(reverse("comments:delete", args=[comment.pk]))

    comment.refresh_from_db()
    assert (comment.status, comment.body) == (REMOVED, "")
    assert log_of(comment) == [(reader.pk, APPROVED, REMOVED, "deleted by its writer")]
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_a_writer_deleting_a_comment_without_replies_leaves_the_decision_in_the_log(
    article, reader, member_client
):
    comment = factories.create_comment(article=article, user=reader)

    member_client.post(reverse("comments:delete", args=[comment.pk]))

    assert not Comment.objects.filter(pk=comment.pk).exists()
    entry = AuditEntry.objects.get(actor=reader)
    assert (entry.comment, entry.new_status, entry.reason) == (
        None,
        REMOVED,
        "deleted by its writer",
    )


@pytest.mark.parametrize(
    "banned, removed",
    [
        ("203.0.113.7", True),  # one address: its /24 is all that is stored
        ("203.0.113.0/24", True),
        ("203.0.113.0/28", True),
        ("203.0.112.7", False),
        ("2001:db8:1:2::7", True),  # one IPv6 address: its /48
        ("2001:db8:2::7", False),
    ],
)
def test_a_ban_on_one_address_removes_the_comments_stored_from_its_network(
    article, moderator_client, banned, removed
):
    v4 = factories.create_comment(article=article, ip="203.0.113.0")
    v6 = factories.create_comment(article=article, ip="2001:db8:1::")
    kept = factories.create_comment(article=article, ip="198.51.100.0")
    reached = v6 if ":" in banned else v4

    response = add_ban(moderator_client, ip_range=banned, remove_comments="on")

    assert response.status_code == 302
    assert Comment.objects.get(pk=reached.pk).status == (REMOVED if removed else APPROVED)
    assert Comment.objects.get(pk=kept.pk).status == APPROVED


def test_publishing_a_comment_moves_the_count_on_without_counting_the_discussion(
    article, django_assert_num_queries
):
    """Posting costs the same on a discussion of 5 or 50,000 comments: the count is moved
    on by one in a single update, not counted again from the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum.comments.services import submit_comment

    factories.create_comment(article=article, name="Jo", email="jo@example.com")
    with CaptureQueriesContext(connection) as queries:
        submit_comment(article=article, body="Back again.", name="Jo", email="jo@example.com")

    article_updates = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("UPDATE") and "articles_article" in q["sql"]
    ]
    assert len(article_updates) == 1
    assert "COUNT(" not in article_updates[0].upper()
    assert Article.objects.get(pk=article.pk).comment_count == 2


def test_every_status_change_keeps_the_published_count_true(article, moderator):
    comments = [factories.create_comment(article=article, status=PENDING) for _ in range(4)]
    queryset = Comment.objects.filter(pk__in=[c.pk for c in comments])

    queryset.set_status(APPROVED, by=moderator)
    Comment.objects.filter(pk=comments[0].pk).set_status(REMOVED, by=moderator)
    Comment.objects.filter(pk__in=[comments[1].pk, comments[2].pk]).set_status(
        Comment.Status.SPAM, by=moderator
    )
    queryset.set_status(APPROVED, by=moderator)

    published = Comment.objects.filter(article=article, status=APPROVED).count()
    assert Article.objects.get(pk=article.pk).comment_count == published == 4


def test_approving_a_reported_published_comment_keeps_it_and_settles_the_reports(
    article, moderator, client
):
    """The moderator read the reports and keeps the comment: the reports are settled (it
    leaves the Reported list) and the decision is logged, although its status stays."""
    kept = factories.create_comment(article=article)
    Comment.objects.filter(pk=kept.pk).update(report_count=2)

    changed = Comment.objects.filter(pk=kept.pk).set_status(APPROVED, by=moderator)

    kept.refresh_from_db()
    assert changed == 1
    assert (kept.status, kept.report_count) == (APPROVED, 0)
    assert not Comment.objects.filter(REPORTED).exists()
    entry = AuditEntry.objects.filter(comment=kept, actor=moderator).get()
    assert (entry.old_status, entry.new_status) == (APPROVED, APPROVED)
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_the_system_approving_an_approved_comment_changes_nothing(article):
    kept = factories.create_comment(article=article)
    Comment.objects.filter(pk=kept.pk).update(report_count=2)

    assert Comment.objects.filter(pk=kept.pk).set_status(APPROVED) == 0
    assert Comment.objects.get(pk=kept.pk).report_count == 2


def test_a_status_change_costs_the_same_queries_for_one_comment_or_many(article, moderator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = [factories.create_comment(article=article) for _ in range(2)]
    many = [factories.create_comment(article=article) for _ in range(12)]
    counts = []
    for comments in (few, many):
        with CaptureQueriesContext(connection) as queries:
            Comment.objects.filter(pk__in=[c.pk for c in comments]).set_status(
                REMOVED, by=moderator
            )
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
