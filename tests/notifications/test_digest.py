"""The hourly digest for the followers of a discussion: what is news to whom, at most once an
hour, in a fixed number of queries however many follow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.comments.models import Comment
from forum.notifications import tasks, tokens
from forum.notifications.models import Follow, Kind, Notice, Recipient
from forum.notifications.services import start_following
from forum.notifications.tasks import DIGEST_EVERY, DIGEST_LIMIT, schedule_digest, send_digests
from tests import factories

from .conftest import confirmed_guest, verified_member

pytestmark = pytest.mark.django_db


def comment_on(article, **fields):
    return factories.create_comment(article=article, **fields)


def an_hour_passes():
    """Every follower's last digest an hour and a minute further back."""
    for follow in Follow.objects.exclude(last_sent=None):
        follow.last_sent -= DIGEST_EVERY + timedelta(minutes=1)
        follow.save(update_fields=["last_sent"])


def quoted(mail, *comments) -> bool:
    return all(f"/comments/{comment.pk}/" in mail.body for comment in comments)


def test_a_follower_gets_what_is_new_since_they_followed_at_most_once_an_hour(mailoutbox):
    article = factories.create_article(title="Darkroom on a budget")
    before = comment_on(article, body="Written before anyone followed.")
    start_following(confirmed_guest("rae@example.com"), article.pk)
    first, second = comment_on(article), comment_on(article)
    assert send_digests.call(article_id=article.pk) == 1
    [mail] = mailoutbox
    assert mail.to == ["rae@example.com"]
    assert mail.subject == "2 new comments on “Darkroom on a budget”"
    assert quoted(mail, first, second)
    assert not quoted(mail, before)
    third = comment_on(article)
    assert send_digests.call(article_id=article.pk) == 0  # within the hour
    an_hour_passes()
    assert send_digests.call(article_id=article.pk) == 1
    assert mailoutbox[1].subject == "1 new comment on “Darkroom on a budget”"
    assert quoted(mailoutbox[1], third)
    assert not quoted(mailoutbox[1], first, second)


def test_a_follower_is_not_sent_their_own_comments_or_what_they_were_told(mailoutbox):
    article = factories.create_article()
    member = verified_member("sam@example.com")
    recipient = Recipient.for_member(member)
    start_following(recipient, article.pk)
    own = comment_on(article, user=member)
    own_address = comment_on(article, name="Sam as a guest", email="sam@example.com")
    told = comment_on(article, parent=own)
    Notice.objects.create(
        recipient=recipient, address="sam@example.com", comment=told, kind=Kind.REPLIES
    )
    news = comment_on(article)
    assert send_digests.call(article_id=article.pk) == 1
    [mail] = mailoutbox
    assert quoted(mail, news)
    assert not any(quoted(mail, c) for c in (own, own_address, told))
    assert set(Notice.objects.values_list("comment", "kind")) == {
        (told.pk, Kind.REPLIES),
        (news.pk, Kind.FOLLOWING),
    }


def test_a_comment_approved_after_a_digest_reaches_the_next_one(
    mailoutbox, django_capture_on_commit_callbacks
):
    article = factories.create_article()
    start_following(confirmed_guest("tam@example.com"), article.pk)
    early = comment_on(article)
    held = comment_on(article, status=Comment.Status.PENDING)
    late = comment_on(article)
    send_digests.call(article_id=article.pk)
    assert quoted(mailoutbox[0], early, late)
    assert not quoted(mailoutbox[0], held)
    with django_capture_on_commit_callbacks(execute=True):
        held.approve(by=factories.create_moderator())
    assert len(mailoutbox) == 1  # the follower was sent a digest within the hour
    an_hour_passes()
    assert send_digests.call(article_id=article.pk) == 1
    assert quoted(mailoutbox[1], held)
    assert not quoted(mailoutbox[1], early)
    assert not quoted(mailoutbox[1], late)


def test_a_comment_held_for_over_a_week_no_longer_holds_the_digest_back(mailoutbox):
    article = factories.create_article()
    follow = start_following(confirmed_guest("tam@example.com"), article.pk)
    held = comment_on(article, status=Comment.Status.PENDING)
    Comment.objects.filter(pk=held.pk).update(created=timezone.now() - timedelta(days=8))
    late = comment_on(article)

    send_digests.call(article_id=article.pk)

    follow.refresh_from_db()
    assert follow.after == late.pk  # the next digest starts after what was sent


def unfollowed(recipient):
    recipient.stop([Kind.FOLLOWING])


def unconfirmed(recipient):
    Recipient.objects.filter(pk=recipient.pk).update(confirmed=None)


@pytest.mark.parametrize("change", [unfollowed, unconfirmed])
def test_a_follower_who_stopped_or_is_unconfirmed_gets_nothing(change, mailoutbox):
    article = factories.create_article()
    recipient = confirmed_guest("uma@example.com")
    start_following(recipient, article.pk)
    change(recipient)
    comment_on(article)
    assert send_digests.call(article_id=article.pk) == 0
    assert mailoutbox == []
    assert not Notice.objects.exists()


def test_a_long_digest_quotes_the_first_comments_and_counts_the_rest(mailoutbox):
    article = factories.create_article(title="Street portraits")
    start_following(confirmed_guest("val@example.com"), article.pk)
    comments = [comment_on(article) for _ in range(DIGEST_LIMIT + 3)]
    send_digests.call(article_id=article.pk)
    [mail] = mailoutbox
    assert mail.subject == f"{DIGEST_LIMIT + 3} new comments on “Street portraits”"
    assert quoted(mail, *comments[:DIGEST_LIMIT])
    assert not quoted(mail, comments[-1])
    assert f"…and 3 more: {tokens.absolute(article.get_absolute_url())}#comments" in mail.body
    assert Notice.objects.count() == DIGEST_LIMIT + 3  # all told: none comes again


def test_a_long_comment_is_quoted_in_part(mailoutbox, monkeypatch):
    monkeypatch.setattr(tasks, "EXCERPT", 100)  # the digest quotes what the task cut
    article = factories.create_article()
    start_following(confirmed_guest("ari@example.com"), article.pk)
    body = "Grain " * 30 + "THE-END"
    factories.create_comment(article=article, body=body)
    send_digests.call(article_id=article.pk)
    [mail] = mailoutbox
    assert "Grain Grain" in mail.body
    assert "…" in mail.body
    assert "THE-END" not in mail.body
    assert "THE-END" not in mail.alternatives[0][0]


def test_a_digest_carries_its_links_and_stops_following(mailoutbox, settings):
    settings.SITE_URL = "https://mag.example"
    article = factories.create_article(title="Pinhole <week>")
    recipient = confirmed_guest("wyn@example.com")
    start_following(recipient, article.pk)
    comment = comment_on(article, name="Xan <i>", body="Day one: a coffee tin & a needle.")
    send_digests.call(article_id=article.pk)
    [mail] = mailoutbox
    assert mail.subject == "1 new comment on “Pinhole <week>”"
    assert "Xan <i> wrote:\nDay one: a coffee tin & a needle." in mail.body
    assert f"https://mag.example/comments/{comment.pk}/" in mail.body
    assert "Stop following this discussion: https://mag.example/notifications/unfollow/" in (
        mail.body
    )
    stop = mail.extra_headers["List-Unsubscribe"]
    assert stop.startswith("<https://mag.example/notifications/unsubscribe/")
    assert stop.endswith("/following/>")
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = mail.alternatives[0][0]
    assert "Pinhole &lt;week&gt;" in html
    assert "<strong>Xan &lt;i&gt;</strong>" in html
    assert "a coffee tin &amp; a needle." in html
    assert f'href="{stop[1:-1]}"' in html


def test_with_a_backend_that_waits_one_digest_is_queued_an_hour_ahead_per_article(task_queue):
    followed, other, unfollowed = (factories.create_article() for _ in range(3))
    for article in (followed, other):
        start_following(confirmed_guest(f"f{article.pk}@example.com"), article.pk)
    schedule_digest(followed.pk)
    schedule_digest(followed.pk)
    schedule_digest(other.pk)
    schedule_digest(unfollowed.pk)
    queued = [r for r in task_queue if r.task.name == "send_digests"]
    assert [r.kwargs for r in queued] == [{"article_id": followed.pk}, {"article_id": other.pk}]
    soon = timezone.now() + DIGEST_EVERY
    assert all(soon - timedelta(minutes=1) < r.task.run_after <= soon for r in queued)
    send_digests.call(article_id=followed.pk)  # the worker runs the first
    schedule_digest(followed.pk)  # a comment after it waits for the next
    assert len([r for r in task_queue if r.task.name == "send_digests"]) == 3


def test_a_published_comment_queues_its_notices_and_the_digest_without_sending(
    task_queue, mailoutbox
):
    article = factories.create_article()
    writer = verified_member("yan@example.com")
    parent = comment_on(article, user=writer)
    start_following(confirmed_guest("zed@example.com"), article.pk)
    reply = comment_on(article, parent=parent)
    tasks.tell_readers.call(comment_ids=[reply.pk], held_ids=[])
    names = [result.task.name for result in task_queue]
    assert names == ["send_email_message", "send_digests"]
    assert task_queue[0].kwargs["to"] == ["yan@example.com"]
    assert mailoutbox == []


def followers(count: int):
    """An article with `count` followers (members and confirmed guests, half each) and three
    new comments."""
    article = factories.create_article()
    for n in range(count):
        if n % 2:
            recipient = Recipient.for_member(verified_member(f"m{n}.{article.pk}@example.com"))
        else:
            recipient = confirmed_guest(f"g{n}.{article.pk}@example.com")
        start_following(recipient, article.pk)
    for _ in range(3):
        comment_on(article)
    return article


def test_the_digest_takes_as_many_queries_for_50_followers_as_for_5(
    mailoutbox, django_assert_max_num_queries
):
    few, many = followers(5), followers(50)
    with CaptureQueriesContext(connection) as queries:
        assert send_digests.call(article_id=few.pk) == 5
    with django_assert_max_num_queries(len(queries)):
        assert send_digests.call(article_id=many.pk) == 50
    assert len(mailoutbox) == 55
