"""Reply notices and digests through Django's SMTP backend to a real server on 127.0.0.1
(aiosmtpd): they arrive with their unsubscribe headers whole."""

import re
from email import message_from_bytes
from email.policy import default

import pytest

from forum.notifications import tokens
from forum.notifications.models import Recipient
from forum.notifications.services import start_following
from forum.notifications.tasks import send_digests, tell_readers
from tests import factories

from .conftest import confirmed_guest, verified_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _long_site_url(settings):
    """Links long enough that a folding mailer would break the header across lines."""
    settings.SITE_URL = "https://frame-and-grain.magazine.example"


def raw_header(raw: bytes, name: str) -> list[str]:
    """The physical lines of header `name` in a message as it went over the wire."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    found = re.search(rf"^{name}:[^\r\n]*(?:\r\n[ \t][^\r\n]*)*", head, re.M | re.I)
    assert found, f"no {name} header"
    return found.group(0).split("\r\n")


def arrived_whole(received, kind: str, recipient: Recipient) -> str:
    """Check the List-Unsubscribe headers of a received message: one URI, on one line,
    unencoded, stopping `kind` for `recipient`; the message's text part, returned."""
    [line] = raw_header(received.body, "List-Unsubscribe")
    assert "=?" not in line
    url = re.fullmatch(r"List-Unsubscribe: <([^>]+)>", line).group(1)
    assert url.startswith(f"{tokens.absolute('/notifications/unsubscribe/')}")
    token, stops = url.rstrip("/").rsplit("/", 2)[-2:]
    assert stops == kind
    assert tokens.open_recipient_token(token, tokens.MANAGE) == recipient
    assert raw_header(received.body, "List-Unsubscribe-Post") == [
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click"
    ]
    message = message_from_bytes(received.body, policy=default)
    assert message.get_body(("html",)) is not None
    return message.get_body(("plain",)).get_content()


def test_a_reply_notice_arrives_over_smtp_with_its_headers(smtp_server):
    article = factories.create_article(title="A reply by the sea")
    writer = verified_member("ana@example.com")
    parent = factories.create_comment(article=article, user=writer)
    reply = factories.create_comment(article=article, parent=parent, name="Bea", email="b@x.org")
    tell_readers.call(comment_ids=[reply.pk], held_ids=[])
    [received] = smtp_server.messages
    assert received.recipient == "ana@example.com"
    assert received.subject == "Bea replied to your comment on “A reply by the sea”"
    text = arrived_whole(received, "replies", Recipient.for_member(writer))
    assert tokens.absolute(f"/comments/{reply.pk}/") in text


def test_a_digest_arrives_over_smtp_with_its_headers(smtp_server):
    article = factories.create_article(title="Harbour at dawn")
    guest = confirmed_guest("cai@example.com")
    start_following(guest, article.pk)
    comments = [factories.create_comment(article=article) for _ in range(2)]
    assert send_digests.call(article_id=article.pk) == 1
    [received] = smtp_server.messages
    assert received.recipient == "cai@example.com"
    assert received.subject == "2 new comments on “Harbour at dawn”"
    text = arrived_whole(received, "following", guest)
    assert all(tokens.absolute(f"/comments/{c.pk}/") in text for c in comments)
