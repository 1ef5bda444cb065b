"""`manage.py notifications_housekeeping` (hourly from cron): the digests no task sent, and
the ledger forgetting notices too old to matter."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.articles.models import Article
from forum.comments.models import Comment
from forum.notifications.models import Follow, Kind, Notice
from forum.notifications.services import start_following
from forum.notifications.tasks import NEWS_FOR, articles_with_news, send_digests
from tests import factories

from .conftest import confirmed_guest

pytestmark = pytest.mark.django_db


def housekeeping() -> str:
    out = StringIO()
    call_command("notifications_housekeeping", stdout=out)
    return out.getvalue()


def followed(email: str, **article_fields):
    article = factories.create_article(**article_fields)
    start_following(confirmed_guest(email), article.pk)
    return article


def test_housekeeping_sends_the_digests_that_are_due_and_only_those(mailoutbox):
    due = followed("a@example.com")
    news = factories.create_comment(article=due)
    recent = followed("b@example.com")
    factories.create_comment(article=recent)
    Follow.objects.filter(article=recent).update(last_sent=timezone.now() - timedelta(minutes=20))
    told = followed("c@example.com")
    Notice.objects.create(
        recipient=Follow.objects.get(article=told).recipient,
        comment=factories.create_comment(article=told),
        kind=Kind.REPLIES,
    )
    draft = followed("d@example.com")
    factories.create_comment(article=draft)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    quiet = followed("e@example.com")
    factories.create_comment(article=quiet, status=Comment.Status.PENDING)
    factories.create_comment(article=quiet, status=Comment.Status.REMOVED)
    assert articles_with_news() == [due.pk]
    assert housekeeping() == "Digests sent: 1 (on 1 article(s)). Notices forgotten: 0.\n"
    [mail] = mailoutbox
    assert mail.to == ["a@example.com"]
    assert f"/comments/{news.pk}/" in mail.body
    assert articles_with_news() == []
    assert housekeeping().startswith("Digests sent: 0 (on 0 article(s)).")
    assert len(mailoutbox) == 1


def test_a_follower_due_with_news_is_found_beside_one_told_within_the_hour(mailoutbox):
    article = followed("f@example.com")
    send_digests.call(article_id=article.pk)  # nothing yet; stamps the first follower
    start_following(confirmed_guest("g@example.com"), article.pk)
    factories.create_comment(article=article)
    assert articles_with_news() == [article.pk]
    housekeeping()
    assert [mail.to for mail in mailoutbox] == [["g@example.com"]]


def test_housekeeping_forgets_notices_older_than_a_year_and_they_are_not_news_again(
    mailoutbox,
):
    article = factories.create_article()
    recipient = confirmed_guest("h@example.com")
    long_ago = timezone.now() - NEWS_FOR - timedelta(days=2)
    held = factories.create_comment(article=article, status=Comment.Status.PENDING)
    Comment.objects.filter(pk=held.pk).update(created=long_ago)
    start_following(recipient, article.pk)
    Follow.objects.filter(recipient=recipient).update(after=held.pk - 1)  # held back by it
    old = factories.create_comment(article=article)
    Comment.objects.filter(pk=old.pk).update(created=long_ago)
    Notice.objects.create(
        recipient=recipient,
        address=recipient.email,
        comment=old,
        kind=Kind.FOLLOWING,
        created=long_ago,
    )
    kept = Notice.objects.create(
        recipient=recipient,
        address=recipient.email,
        comment=factories.create_comment(article=article),
        kind=Kind.FOLLOWING,
        created=timezone.now() - timedelta(days=300),
    )
    assert housekeeping() == "Digests sent: 0 (on 0 article(s)). Notices forgotten: 1.\n"
    assert list(Notice.objects.all()) == [kept]
    assert send_digests.call(article_id=article.pk) == 0  # the old comment is not news
    assert mailoutbox == []
