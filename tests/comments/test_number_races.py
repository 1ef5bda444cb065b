"""Threads published at the same instant each draw a number of their own.

Real threads, each with its own database connection, released together by a barrier, on
whichever database the suite runs on (SQLite, then PostgreSQL, where the article's row lock
orders them).
"""

import time

import pytest

from forum.comments.models import Comment
from forum.comments.services import submit_comment
from forum.site_settings.models import ModerationMode, SiteSettings
from tests import factories

from .test_report_races import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_threads_posted_at_once_get_distinct_consecutive_numbers(article):
    factories.create_comment(article=article)  # #1
    settings = SiteSettings.current()
    settings.moderation_mode = ModerationMode.PUBLISH_ALL
    settings.save()

    def post(n):
        return lambda: submit_comment(
            article=article, body=f"Comment {n} about the shutter.", name=f"Guest {n}",
            email=f"guest{n}@example.com", ip=f"198.51.{n}.7", form_issued=time.time() - 60,
            settings=SiteSettings.current(),
        )  # fmt: skip

    outcomes = at_once([post(n) for n in range(6)])

    assert all(isinstance(outcome, Comment) for outcome in outcomes), outcomes
    numbers = sorted(Comment.objects.filter(parent=None).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6, 7]
