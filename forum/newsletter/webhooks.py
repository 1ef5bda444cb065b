"""Bounces and complaints reported by the mail provider: `POST /newsletter/bounces/`.

The provider (or a small relay that reads its notifications) POSTs JSON:

    {"events": [
        {"type": "bounce", "email": "ana@example.org", "bounce_type": "hard",
         "message_id": "<issue-3.reader-7@frameandgrain.example>",
         "detail": "550 5.1.1 user unknown", "at": "2026-11-30T07:02:11Z"},
        {"type": "complaint", "email": "ben@example.org"},
        {"type": "delivered", "email": "cy@example.org"}
    ]}

- `type`: "bounce", "complaint" or "delivered"; any other type is ignored (and counted).
- `email`: the address the mail went to. Unknown addresses are counted and left alone.
- `bounce_type`: "hard" stops all mail to the address at once; "soft" (and anything else, or
  nothing: a bounce we cannot place is not taken as final) counts towards
  `NEWSLETTER_SOFT_BOUNCE_LIMIT`.
- `message_id` (optional): the Message-ID of our mail, as `rendering.message_id` wrote it; the
  delivery it names is marked bounced, and a second report about it counts once.
- `detail`, `at` (optional): kept with the delivery and the subscription change.
- A complaint (the reader pressed "spam") stops all mail at once, like a hard bounce.
- "delivered" says the reader's server took a mail: soft bounces start counting again from
  zero, so an address that failed once a year ago is not stopped by two more.

The body is signed with `NEWSLETTER_WEBHOOK_SECRET` in the header

    X-Newsletter-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of f"{t}.{body}">

(several v1= may be given while a secret is rotated). A request more than five minutes from
our clock is refused, so a captured request cannot be replayed later. Answers: 200 with counts
by outcome; 400 for a missing or wrong signature or a body that is not the JSON above; 413 over
1 MB; 503 while no secret is set (nothing can be verified, so nothing is recorded).
"""

import hashlib
import hmac
import json
import logging
import time

from django.conf import settings
from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import rendering, services
from .models import Delivery, normalise_email

SIGNATURE_HEADER = "X-Newsletter-Signature"
TOLERANCE_SECONDS = 5 * 60
MAX_BODY_BYTES = 1_000_000

logger = logging.getLogger(__name__)


class BadSignature(Exception):
    pass


def signature(body: bytes, *, secret: str, timestamp: int) -> str:
    """The header value that signs `body` at `timestamp`: what the sender computes."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(body: bytes, header: str, *, secret: str, now: float) -> None:
    """Raise BadSignature unless `header` signs `body` with `secret` within the tolerance."""
    if not header:
        raise BadSignature("missing signature")
    pairs = [part.strip().partition("=") for part in header.split(",")]
    timestamps = [value for key, _, value in pairs if key == "t"]
    given = [value for key, _, value in pairs if key == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isascii() or not timestamps[0].isdigit():
        raise BadSignature("malformed signature")
    if not given:
        raise BadSignature("malformed signature")
    timestamp = int(timestamps[0])
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise BadSignature("timestamp too far from now")
    expected = signature(body, secret=secret, timestamp=timestamp).partition("v1=")[2]
    # Every candidate is compared, in constant time, so timing tells nothing about a match.
    if not [value for value in given if hmac.compare_digest(value.encode(), expected.encode())]:
        raise BadSignature("wrong signature")


def find_delivery(message_id, email: str) -> Delivery | None:
    """The delivery a Message-ID names, if it went to `email`."""
    ids = rendering.parse_message_id(message_id) if isinstance(message_id, str) else None
    if ids is None:
        return None
    issue_id, subscriber_id = ids
    return (
        Delivery.objects.filter(
            issue_id=issue_id, subscriber_id=subscriber_id, subscriber__email=email
        )
        .only("pk", "status")
        .first()
    )


def record_event(event) -> str:
    """Apply one event; the outcome it is counted under."""
    if not isinstance(event, dict):
        return "invalid"
    kind = event.get("type")
    if kind not in {"bounce", "complaint", "delivered"}:
        return "ignored"
    email = event.get("email")
    if not isinstance(email, str) or "@" not in email:
        return "invalid"
    email = normalise_email(email)
    if kind == "delivered":
        return "recorded" if services.record_delivery(email=email) else "unknown_address"
    if kind == "complaint":
        bounce = services.Bounce.COMPLAINT
    elif event.get("bounce_type") == "hard":
        bounce = services.Bounce.HARD
    else:
        bounce = services.Bounce.SOFT
    detail = str(event.get("detail") or "")[:1000]
    at = event.get("at")
    if isinstance(at, str) and parse_datetime(at):
        detail = f"{detail} (at {at})".strip()
    delivery = find_delivery(event.get("message_id"), email)
    # A repeated report about one message counts once; a permanent failure reported after a
    # temporary one (providers report each retry) still counts.
    already = delivery is not None and delivery.status == Delivery.Status.BOUNCED
    if already and (bounce == services.Bounce.SOFT or delivery.error.startswith(f"{bounce}:")):
        return "duplicate"
    subscriber = services.record_bounce(email=email, kind=bounce, detail=detail, delivery=delivery)
    return "recorded" if subscriber is not None else "unknown_address"


@csrf_exempt
@require_POST
def bounces(request):
    secret = settings.NEWSLETTER_WEBHOOK_SECRET
    if not secret:
        return JsonResponse({"error": "NEWSLETTER_WEBHOOK_SECRET is not set"}, status=503)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return JsonResponse({"error": "body too large"}, status=413)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "body too large"}, status=413)
    try:
        verify(body, request.headers.get(SIGNATURE_HEADER, ""), secret=secret, now=time.time())
    except BadSignature as error:
        # Worth a look in the logs: a provider with the wrong secret, or someone guessing.
        logger.warning("Bounce webhook refused: %s", error)
        return JsonResponse({"error": str(error)}, status=400)
    try:
        events = json.loads(body)["events"]
    except (ValueError, TypeError, KeyError):
        events = None
    if not isinstance(events, list):
        return JsonResponse({"error": 'expected {"events": [...]}'}, status=400)
    counts = dict.fromkeys(("recorded", "duplicate", "unknown_address", "ignored", "invalid"), 0)
    for event in events:
        counts[record_event(event)] += 1
    return JsonResponse(counts)
