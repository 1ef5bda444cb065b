"""Reports sent at the same instant: the once-per-network and hourly rules still hold.

Real threads, each with its own database connection, released together by a barrier, on
whichever database the suite runs on (SQLite, then PostgreSQL).
"""

import threading

import pytest
from django.db import connection

from forum.comments.models import Comment, Report
from forum.comments.services import GUEST_REPORTS_PER_HOUR, CommentNotAllowed, report_comment
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(calls) -> list:
    """Run each call in its own thread, all released at the same moment; their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 (the outcome is what is asserted)
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def guest_report(comment, ip="203.0.113.7"):
    return lambda: report_comment(comment=comment, reason=Report.Reason.SPAM, ip=ip)


def test_one_guest_cannot_hide_a_comment_by_reporting_it_many_times_at_once(article):
    comment = factories.create_comment(article=article)

    outcomes = at_once([guest_report(comment, ip=f"203.0.113.{n}") for n in range(1, 7)])

    stored = [outcome for outcome in outcomes if isinstance(outcome, Report)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, CommentNotAllowed)]
    assert (len(stored), len(refused)) == (1, 5), outcomes
    comment.refresh_from_db()
    assert (comment.status, comment.report_count) == (Comment.Status.APPROVED, 1)


def test_the_hourly_limit_of_a_guest_network_holds_when_reports_arrive_together(article):
    comments = [factories.create_comment(article=article) for _ in range(8)]

    outcomes = at_once([guest_report(comment) for comment in comments])

    assert Report.objects.filter(user=None, ip="203.0.113.0").count() == GUEST_REPORTS_PER_HOUR
    refused = [outcome for outcome in outcomes if isinstance(outcome, CommentNotAllowed)]
    assert len(refused) == len(comments) - GUEST_REPORTS_PER_HOUR, outcomes
