"""The link a guest is mailed to reach their data.

A guest has no password: having the mailbox is the proof. The link names a `GuestLink` row
(not the address, which would then sit in the link, in browser history and in server logs),
signed with a salt for this purpose alone and good for `LINK_LIFETIME`. An erasure deletes the
address's rows, so its links stop working at once.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import normalize_email
from forum.core.locks import serialize
from forum.core.mail import send_email

from .models import LINK_LIFETIME, GuestLink

SALT = "forum.privacy.guest-link"
LINKS_PER_NETWORK_PER_HOUR = 5
LINKS_PER_ADDRESS_PER_DAY = 3


class LinkRefused(Exception):
    """Too many requests from one network; the message is for the reader."""


class BadLink(Exception):
    """Why a link cannot be used: `reason` is "invalid" or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def request_guest_link(*, email: str, network: str | None) -> None:
    """Mail a link to `email`'s data if anything is stored under it (nobody else's address
    is mailed), within the limits: per network (LinkRefused, said to the reader), per address
    (silent). The reader's answer is the same either way, so it never says what is stored."""
    from .services import holds_anything

    email = normalize_email(email)
    with transaction.atomic():
        if network is not None:
            serialize(f"privacy-link:{network}")
            hour_ago = timezone.now() - timedelta(hours=1)
            if (
                GuestLink.objects.filter(network=network, at__gte=hour_ago).count()
                >= LINKS_PER_NETWORK_PER_HOUR
            ):
                raise LinkRefused(
                    "Too many links have been asked for from your network in the last hour. "
                    "Please try again later."
                )
        day_ago = timezone.now() - timedelta(days=1)
        sent = GuestLink.objects.filter(email=email, at__gte=day_ago).count()
        link = GuestLink.objects.create(email=email, network=network)
        if sent < LINKS_PER_ADDRESS_PER_DAY and holds_anything(email):
            transaction.on_commit(lambda: send_guest_link(link))


def send_guest_link(link: GuestLink) -> None:
    send_email(
        "privacy_link",
        to=[link.email],
        context={"url": guest_url(link), "hours": int(LINK_LIFETIME.total_seconds() // 3600)},
    )


def make_token(link: GuestLink) -> str:
    return signing.dumps({"l": link.pk}, salt=SALT, compress=False)


def guest_url(link: GuestLink) -> str:
    return settings.SITE_URL + reverse("privacy:guest", args=[make_token(link)])


def open_token(token: str) -> GuestLink:
    """The link's row (with the address), or BadLink saying why not."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_LIFETIME)
    except signing.SignatureExpired:
        raise BadLink("expired") from None
    except signing.BadSignature:
        raise BadLink("invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("l"), int):
        raise BadLink("invalid")
    link = GuestLink.objects.filter(pk=payload["l"]).first()
    if link is None:
        raise BadLink("invalid")  # erased since, or forgotten
    return link
