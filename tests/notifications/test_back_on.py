"""Turning "New comments in discussions I follow" back on, by any route, starts each followed
discussion afresh: what came while it was off is not sent all at once."""

import pytest
from django.test import Client

from forum.comments.models import Comment
from forum.notifications import tokens
from forum.notifications.models import Recipient
from forum.notifications.services import start_following
from forum.notifications.tasks import send_digests
from tests import factories

from .conftest import verified_member

pytestmark = pytest.mark.django_db


def settings_page(client, recipient):
    return client.post(
        tokens.settings_url(recipient).removeprefix(tokens.absolute("")),
        {"replies": "on", "following": "on"},
    )


def follow_button(client, recipient):
    client.force_login(recipient.user)
    return client.post(tokens.link("follow", recipient.follows.get().article_id))


@pytest.mark.parametrize("route", [settings_page, follow_button])
def test_what_came_while_following_was_off_is_not_sent(route, mailoutbox):
    article = factories.create_article()
    recipient = Recipient.for_member(verified_member("ana@example.com"))
    start_following(recipient, article.pk)
    recipient.stop(["following"])
    missed = factories.create_comment(
        article=article, status=Comment.Status.APPROVED, body="Sent while she was away."
    )
    send_digests.call(article_id=article.pk)

    route(Client(), recipient)
    send_digests.call(article_id=article.pk)

    assert Recipient.objects.get().following is True
    assert mailoutbox == []
    assert recipient.follows.get().after == missed.pk
