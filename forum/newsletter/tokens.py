"""The signed links in newsletter mail, one kind per purpose.

A token is the subscriber's id signed with the site's secret and a salt naming its purpose,
so a confirmation token cannot open the preference page and the other way round. Tokens
carry their time and expire. A confirmation token also carries the subscriber's
`confirm_key`, which changes when the link is used: the same link then reads as used.
"""

from datetime import timedelta

from django.core import signing

from .models import Subscriber

CONFIRM = "newsletter.confirm"
MANAGE = "newsletter.manage"

MAX_AGE = {
    CONFIRM: timedelta(days=7),
    # Preference and unsubscribe links sit in old mail; they last a year and a bit.
    MANAGE: timedelta(days=400),
}


class BadToken(Exception):
    """Why a link cannot be used: `reason` is "invalid", "expired" or "used". A used link
    still names its `subscriber`, so its page can say whether the subscription stands."""

    def __init__(self, reason: str, subscriber: Subscriber | None = None):
        super().__init__(reason)
        self.reason = reason
        self.subscriber = subscriber


def make_token(subscriber: Subscriber, purpose: str) -> str:
    payload = {"s": subscriber.pk}
    if purpose == CONFIRM:
        payload["k"] = subscriber.confirm_key
    return signing.dumps(payload, salt=purpose, compress=False)


def open_token(token: str, purpose: str) -> Subscriber:
    """The subscriber a link is for, or BadToken saying why not."""
    try:
        payload = signing.loads(token, salt=purpose, max_age=MAX_AGE[purpose])
    except signing.SignatureExpired:
        raise BadToken("expired") from None
    except signing.BadSignature:
        raise BadToken("invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise BadToken("invalid")
    subscriber = Subscriber.objects.filter(pk=payload["s"]).first()
    if subscriber is None:
        raise BadToken("invalid")
    if purpose == CONFIRM and payload.get("k") != subscriber.confirm_key:
        raise BadToken("used", subscriber)
    return subscriber
