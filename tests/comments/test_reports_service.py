"""Readers report published comments (`services.report_comment`): once per member, a few an
hour per guest network, and enough reports hide a comment until a moderator looks at it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum.comments.models import AuditEntry, Comment, Report
from forum.comments.services import CommentNotAllowed, report_comment
from tests import factories

from .pages import comment_ids

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING


def report(comment, *, user=None, ip="203.0.113.7", reason=Report.Reason.SPAM, **fields):
    return report_comment(comment=comment, reason=reason, user=user, ip=ip, **fields)


def reported(comment) -> tuple[str, int]:
    comment.refresh_from_db()
    return comment.status, comment.report_count


def on_the_page(article, comment) -> bool:
    return comment.pk in comment_ids(Client().get(article.get_absolute_url()))


def test_a_report_keeps_who_sent_it_why_and_from_which_network(comment, reader):
    sent = report(
        comment, user=reader, reason=Report.Reason.ABUSIVE, note="Rude to the photographer."
    )

    assert (sent.user, sent.reason, sent.note, sent.ip) == (
        reader,
        "abusive",
        "Rude to the photographer.",
        "203.0.113.0",
    )
    assert reported(comment) == (APPROVED, 1)


def test_a_member_reports_a_comment_only_once(comment, reader):
    report(comment, user=reader)

    with pytest.raises(CommentNotAllowed, match="You have already reported this comment."):
        report(comment, user=reader, reason=Report.Reason.OFF_TOPIC, ip="198.51.100.1")

    assert comment.reports.count() == 1
    assert reported(comment) == (APPROVED, 1)


def test_each_member_may_report_the_same_comment(comment):
    for _ in range(2):
        report(comment, user=factories.create_user())

    assert reported(comment) == (APPROVED, 2)


def test_a_member_may_report_other_comments(article, comment, reader):
    other = factories.create_comment(article=article)
    report(comment, user=reader)

    report(other, user=reader)

    assert Report.objects.filter(user=reader).count() == 2


def test_guests_send_at_most_five_reports_an_hour_from_one_network(article, configure):
    configure(report_threshold=10)
    comments = [factories.create_comment(article=article) for _ in range(7)]
    for n, comment in enumerate(comments[:5]):
        report(comment, ip=f"203.0.113.{n + 1}")

    with pytest.raises(CommentNotAllowed, match="Guests can send 5 reports an hour"):
        report(comments[5], ip="203.0.113.99")

    assert not comments[5].reports.exists()
    report(comments[5], ip="198.51.100.1")
    report(comments[6], user=factories.create_user(), ip="203.0.113.99")
    assert Report.objects.count() == 7


def test_guest_reports_older_than_an_hour_do_not_count(article, configure):
    configure(report_threshold=10)
    comments = [factories.create_comment(article=article) for _ in range(6)]
    for comment in comments[:5]:
        report(comment)
    Report.objects.update(created=timezone.now() - timedelta(minutes=61))

    report(comments[5])

    assert comments[5].reports.count() == 1


def test_at_the_threshold_the_comment_is_hidden_until_a_moderator_looks(article, comment):
    report(comment, user=factories.create_user())
    report(comment, user=factories.create_user())
    assert reported(comment) == (APPROVED, 2)
    assert on_the_page(article, comment)

    report(comment, ip="198.51.100.4")

    assert reported(comment) == (PENDING, 3)
    assert not on_the_page(article, comment)
    article.refresh_from_db()
    assert article.comment_count == 0
    hidden = AuditEntry.objects.get(comment=comment, action=AuditEntry.Action.HIDDEN)
    assert (hidden.actor, hidden.old_status, hidden.new_status, hidden.reason) == (
        None,
        APPROVED,
        PENDING,
        "hidden after 3 reader reports",
    )
    assert comment.status_reasons[-1] == "hidden after 3 reader reports"


@pytest.mark.parametrize("threshold", [1, 2, 5])
def test_the_number_of_reports_that_hide_a_comment_follows_the_setting(
    comment, configure, threshold
):
    configure(report_threshold=threshold)
    for _ in range(threshold - 1):
        report(comment, user=factories.create_user())
    assert reported(comment) == (APPROVED, threshold - 1)

    report(comment, user=factories.create_user())

    assert reported(comment) == (PENDING, threshold)


@pytest.mark.parametrize("status", [PENDING, Comment.Status.SPAM, Comment.Status.REMOVED])
def test_a_comment_that_is_not_shown_cannot_be_reported(article, reader, status):
    hidden = factories.create_comment(article=article, status=status)

    with pytest.raises(CommentNotAllowed, match="no longer shown"):
        report(hidden, user=reader)

    assert not Report.objects.exists()


def test_a_comment_its_writer_deleted_cannot_be_reported(article, reader):
    deleted = factories.create_comment(article=article, deleted=timezone.now())

    with pytest.raises(CommentNotAllowed, match="no longer shown"):
        report(deleted, user=reader)


def test_a_hidden_comment_takes_no_more_reports(comment, configure):
    configure(report_threshold=1)
    report(comment, user=factories.create_user())

    with pytest.raises(CommentNotAllowed, match="no longer shown"):
        report(comment, user=factories.create_user())

    assert reported(comment) == (PENDING, 1)


def test_a_member_cannot_report_their_own_comment(article, reader):
    mine = factories.create_comment(article=article, user=reader)

    with pytest.raises(CommentNotAllowed, match="This is your own comment"):
        report(mine, user=reader)

    assert reported(mine) == (APPROVED, 0)


def test_a_guest_cannot_hide_a_comment_alone_by_reporting_it_again(comment):
    report(comment)
    for _ in range(2):
        with pytest.raises(CommentNotAllowed):
            report(comment, ip="203.0.113.8")

    assert reported(comment) == (APPROVED, 1)
