"""The ledger is kept per address: someone known both as a guest and as a member (one
address, two records) hears of a comment once."""

import pytest

from forum.comments.models import Comment
from forum.notifications.models import Notice, Recipient
from forum.notifications.services import start_following
from forum.notifications.tasks import send_digests, tell_readers
from tests import factories

from .conftest import confirmed_guest, verified_member

pytestmark = pytest.mark.django_db


def published(article, **fields):
    return factories.create_comment(article=article, status=Comment.Status.APPROVED, **fields)


def test_a_reply_and_a_follow_under_two_records_of_one_address_send_one_mail(mailoutbox):
    article = factories.create_article()
    guest = confirmed_guest("ana@example.com")
    member = Recipient.for_member(verified_member("Ana@Example.com"))
    asked = published(article, email="ana@example.com", notify=True, notify_confirmed=True)
    start_following(member, article.pk)
    answer = published(article, parent=asked, email="bo@example.com", body="Try Rodinal.")

    tell_readers.call(comment_ids=[answer.pk])
    send_digests.call(article_id=article.pk)

    [mail] = mailoutbox
    assert mail.to == ["ana@example.com"]
    assert Notice.objects.get().address == "ana@example.com"
    assert guest.notices.count() + member.notices.count() == 1


def test_two_records_following_one_discussion_get_one_digest(mailoutbox):
    article = factories.create_article()
    start_following(confirmed_guest("ana@example.com"), article.pk)
    start_following(Recipient.for_member(verified_member("ana@example.com")), article.pk)
    published(article, email="bo@example.com", body="Stand development, an hour.")

    send_digests.call(article_id=article.pk)

    assert [mail.to for mail in mailoutbox] == [["ana@example.com"]]
