"""The signed links in reader mail, one salt per purpose, each with an age limit.

A confirmation link says which address it confirms; a following link (for a guest who asked
to follow without commenting) names the address and the article; the settings and
unsubscribe links name the `Recipient`. Nothing is stored for a link: a used confirmation
link finds the address confirmed and says so.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from forum.comments.models import normalize_email

from .models import Kind, Recipient

CONFIRM = "notifications.confirm"
FOLLOW = "notifications.follow"
MANAGE = "notifications.manage"
PROOF = "notifications.proof"
PROOF_COOKIE = "fg_notify"
PROOF_AGE = timedelta(days=365)

MAX_AGE = {
    CONFIRM: timedelta(days=7),
    FOLLOW: timedelta(days=7),
    # Settings and unsubscribe links sit in old mail: they last a year and a bit.
    MANAGE: timedelta(days=400),
}
EVERYTHING = "all"  # the unsubscribe link that stops every kind


class BadLink(Exception):
    """Why a link cannot be used: `reason` is "invalid" or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _dumps(payload: dict, purpose: str) -> str:
    return signing.dumps(payload, salt=purpose, compress=False)


def _loads(token: str, purpose: str) -> dict:
    try:
        payload = signing.loads(token, salt=purpose, max_age=MAX_AGE[purpose])
    except signing.SignatureExpired:
        raise BadLink("expired") from None
    except signing.BadSignature:
        raise BadLink("invalid") from None
    if not isinstance(payload, dict):
        raise BadLink("invalid")
    return payload


def recipient_token(recipient: Recipient, purpose: str) -> str:
    return _dumps({"r": recipient.pk}, purpose)


def open_recipient_token(token: str, purpose: str) -> Recipient:
    payload = _loads(token, purpose)
    pk = payload.get("r")
    recipient = Recipient.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if recipient is None:
        raise BadLink("invalid")
    return recipient


def follow_token(email: str, article_id: int) -> str:
    return _dumps({"e": normalize_email(email), "a": article_id}, FOLLOW)


def open_follow_token(token: str) -> tuple[str, int]:
    """(address, article id) of a guest's link to follow a discussion."""
    payload = _loads(token, FOLLOW)
    email, article_id = payload.get("e"), payload.get("a")
    if not isinstance(email, str) or not isinstance(article_id, int):
        raise BadLink("invalid")
    return email, article_id


def absolute(path: str) -> str:
    """An absolute link for mail: always from SITE_URL, never from a request."""
    return settings.SITE_URL + path


def link(name: str, *args) -> str:
    return absolute(reverse(f"notifications:{name}", args=args))


def confirm_url(recipient: Recipient) -> str:
    return link("confirm", recipient_token(recipient, CONFIRM))


def settings_url(recipient: Recipient) -> str:
    return link("settings", recipient_token(recipient, MANAGE))


def unsubscribe_url(recipient: Recipient, kind: str) -> str:
    """The link (and List-Unsubscribe target) that stops one kind, or everything."""
    if kind != EVERYTHING:
        kind = Kind(kind).value
    return link("unsubscribe", recipient_token(recipient, MANAGE), kind)


def unfollow_url(follow) -> str:
    """The link in a digest that stops following that one discussion."""
    return link("unfollow", recipient_token(follow.recipient, MANAGE), follow.article_id)


def proven_address(request) -> str:
    """The address this browser proved it reads (it pressed the button of a link mailed
    there), or "": a guest's "Notify me" from this browser for that address needs no mail."""
    raw = request.COOKIES.get(PROOF_COOKIE)
    if not raw:
        return ""
    try:
        signer = signing.get_cookie_signer(salt=PROOF)
        return signer.unsign(raw, max_age=PROOF_AGE)
    except signing.BadSignature:
        return ""


def prove_address(response, address: str) -> None:
    """Remember in this browser that it proved `address` (see `proven_address`)."""
    response.set_cookie(
        PROOF_COOKIE,
        signing.get_cookie_signer(salt=PROOF).sign(normalize_email(address)),
        max_age=int(PROOF_AGE.total_seconds()),
        secure=not settings.DEBUG,
        httponly=True,
        samesite="Lax",
    )
