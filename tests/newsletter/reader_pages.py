"""Helpers for the tests of the reader's newsletter pages."""

import re
import time
from html import unescape
from unittest.mock import patch

from django.core import signing

from forum.newsletter import tokens
from forum.newsletter.models import Subscription

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def without_csrf(response) -> str:
    """The page with its per-request CSRF token blanked, for comparing two answers."""
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def main_text(response) -> str:
    """The text inside <main>, tags removed and spaces squeezed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def input_value(response, name: str) -> str | None:
    match = re.search(rf'<input [^>]*name="{re.escape(name)}"[^>]*>', response.content.decode())
    assert match, f"no {name} input"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else None


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in a mail's text that starts with `path_prefix`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", message.body)
    assert match, message.body
    return match.group(1)


def confirm_path(subscriber) -> str:
    return f"/newsletter/confirm/{tokens.make_token(subscriber, tokens.CONFIRM)}/"


def manage_path(subscriber) -> str:
    return f"/newsletter/manage/{tokens.make_token(subscriber, tokens.MANAGE)}/"


def unsubscribe_path(subscriber) -> str:
    return f"/newsletter/unsubscribe/{tokens.make_token(subscriber, tokens.MANAGE)}/"


def statuses(subscriber) -> dict[str, str]:
    """Newsletter slug → status of each of the subscriber's subscriptions."""
    rows = Subscription.objects.filter(subscriber=subscriber).values_list(
        "newsletter__slug", "status"
    )
    return dict(rows)


def last_sources(subscriber) -> dict[str, str]:
    """Newsletter slug → source of the latest recorded change."""
    return {
        subscription.newsletter.slug: subscription.changes.order_by("-at", "-pk").first().source
        for subscription in Subscription.objects.filter(subscriber=subscriber).select_related(
            "newsletter"
        )
    }


def old_token(subscriber, purpose: str, *, days: int) -> str:
    """A token signed `days` ago: the signer's clock is its one seam."""
    then = int(time.time()) - days * 86400
    with patch.object(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then)):
        return tokens.make_token(subscriber, purpose)
