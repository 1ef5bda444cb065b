"""Payment providers behind one small interface, chosen by `DONATIONS_PROVIDER`.

A provider does three things for the site: opens a hosted checkout for a donation, gives a
monthly donor a page to manage or cancel their gift, and verifies the events it sends to
`/support/webhook/<name>/`. What the events mean is decided once, in `services.py`, on
Stripe's event shapes (`checkout.session.completed`, `invoice.paid`, ...): the dev provider
sends the same shapes, so both go through the same code.

- `dev` (the default, offline): the checkout is a page of this site that looks like a hosted
  one, with no card fields. Its "Pay" sends the events to the webhook over HTTP, from a
  thread, signed with a secret derived from SECRET_KEY, as a real provider would.
- `stripe`: Stripe Checkout, the Customer Portal, and Stripe's signed webhooks, through the
  official `stripe` package. Every call to Stripe's network goes through `StripeProvider.client`.
"""

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from .models import Donation

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE = 300  # seconds an event's signed timestamp may be old


class BadSignature(Exception):
    """The webhook's body is not signed by the provider (or too old): answered with 400."""


class ProviderUnavailable(Exception):
    """The provider could not open a checkout or portal (down, unreachable, or it refused
    the site's keys). Its message is for the reader: nothing was charged."""

    def __init__(
        self,
        message="The payment provider could not be reached. Please try again in a minute; "
        "nothing was charged.",
    ):
        super().__init__(message)


@dataclass(frozen=True)
class Checkout:
    id: str  # the provider's name for the checkout session
    url: str  # where the reader goes to pay


class Provider(ABC):
    name = ""
    label = ""

    @abstractmethod
    def create_checkout(self, donation: Donation, *, success_url: str, cancel_url: str) -> Checkout:
        """Open a hosted checkout for `donation`; raises ProviderUnavailable if the provider
        cannot be reached."""

    @abstractmethod
    def manage_url(self, donation: Donation, *, return_url: str) -> str:
        """Where a monthly donor manages or cancels `donation` (made fresh on each call)."""

    @abstractmethod
    def verify(self, body: bytes, headers) -> dict:
        """The event in `body` as a dict (Stripe's shape) if signed by this provider; raises
        BadSignature otherwise."""


# The dev provider ------------------------------------------------------------------------

DEV_SIGNATURE_HEADER = "Dev-Signature"


def dev_secret() -> str:
    return salted_hmac("forum.donations.dev-webhook", "secret", algorithm="sha256").hexdigest()


def dev_sign(body: bytes, *, timestamp: int | None = None, secret: str | None = None) -> str:
    """The `Dev-Signature` header for `body`: `t=<unix time>,v1=<HMAC-SHA256 of "t.body">`,
    the scheme Stripe uses, with the dev provider's own secret."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(
        (secret or dev_secret()).encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    )
    return f"t={timestamp},v1={mac.hexdigest()}"


def dev_id(prefix: str) -> str:
    return f"{prefix}_dev_{secrets.token_hex(8)}"


class DevProvider(Provider):
    name = "dev"
    label = "Dev checkout (no money moves)"

    def create_checkout(self, donation, *, success_url, cancel_url):
        checkout_id = dev_id("cs")
        token = signing.dumps(
            {"d": donation.pk, "cs": checkout_id, "ok": success_url, "no": cancel_url},
            salt="donations.dev-checkout",
        )
        return Checkout(checkout_id, reverse("donations:dev-checkout", args=[token]))

    def manage_url(self, donation, *, return_url):
        token = signing.dumps({"d": donation.pk, "back": return_url}, salt="donations.dev-portal")
        return reverse("donations:dev-portal", args=[token])

    def verify(self, body, headers):
        header = headers.get(DEV_SIGNATURE_HEADER, "")
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        try:
            timestamp = int(parts["t"])
        except (KeyError, ValueError):
            raise BadSignature("no signature") from None
        expected = dev_sign(body, timestamp=timestamp).partition("v1=")[2]
        if not hmac.compare_digest(expected.encode(), parts.get("v1", "").encode()):
            raise BadSignature("the signature does not match")
        if abs(time.time() - timestamp) > SIGNATURE_TOLERANCE:
            raise BadSignature("the signature is too old")
        try:
            event = json.loads(body)
        except ValueError:
            raise BadSignature("the body is not JSON") from None
        if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
            raise BadSignature("not an event")
        return event


def dev_event(type_: str, obj: dict) -> dict:
    """An event in Stripe's shape, as the dev provider sends it."""
    return {
        "id": dev_id("evt"),
        "object": "event",
        "type": type_,
        "created": int(time.time()),
        "data": {"object": obj},
    }


# What the dev provider says when something happens at its pages, in Stripe's shapes. A
# monthly gift's first invoice is announced before its checkout, as Stripe may do, so that the
# waiting-event path is used every time.


def dev_derived_id(prefix: str, checkout_id: str) -> str:
    """The id of what one checkout makes (its payment, subscription, first invoice), the same
    every time: a second "Pay" on the same checkout names the same payment, so it is
    recorded once, as with a real provider, where a checkout takes one payment."""
    digest = hashlib.sha256(f"{prefix}:{checkout_id}".encode()).hexdigest()[:16]
    return f"{prefix}_dev_{digest}"


def dev_payment_events(donation: Donation, *, checkout_id: str) -> list[dict]:
    """ "Pay" pressed at the checkout of `donation`."""
    customer = donation.customer_id or dev_derived_id("cus", checkout_id)
    currency = donation.currency.lower()
    session = {
        "id": checkout_id,
        "object": "checkout.session",
        "customer": customer,
        "client_reference_id": str(donation.pk),
        "metadata": {"donation": str(donation.pk)},
        "amount_total": donation.amount,
        "currency": currency,
        "payment_status": "paid",
    }
    if not donation.is_monthly:
        session.update(mode="payment", payment_intent=dev_derived_id("pi", checkout_id))
        return [dev_event("checkout.session.completed", session)]
    subscription = dev_derived_id("sub", checkout_id)
    session.update(mode="subscription", subscription=subscription)
    return [
        dev_renewal_event(
            donation, subscription=subscription, invoice=dev_derived_id("in", checkout_id)
        ),
        dev_event("checkout.session.completed", session),
    ]


def dev_renewal_event(
    donation: Donation, *, subscription: str | None = None, invoice: str | None = None
) -> dict:
    """A month of a monthly gift charged (the first, or the next). The subscription is named
    where Stripe's current API puts it, with the metadata the checkout gave it."""
    subscription = subscription or donation.subscription_id
    invoice = {
        "id": invoice or dev_id("in"),
        "object": "invoice",
        "parent": {
            "type": "subscription_details",
            "subscription_details": {
                "subscription": subscription,
                "metadata": {"donation": str(donation.pk)},
            },
        },
        "amount_paid": donation.amount,
        "currency": donation.currency.lower(),
        "charge": dev_id("ch"),
        "status_transitions": {"paid_at": int(time.time())},
    }
    return dev_event("invoice.paid", invoice)


def dev_failure_event(donation: Donation) -> dict:
    """ "Fail" pressed at the checkout: the card was declined."""
    intent = {
        "id": dev_id("pi"),
        "object": "payment_intent",
        "metadata": {"donation": str(donation.pk)},
        "last_payment_error": {"message": "Your card was declined (the dev provider's Fail)."},
    }
    return dev_event("payment_intent.payment_failed", intent)


def dev_cancel_event(donation: Donation) -> dict:
    """The donor cancelled a monthly gift at the provider's portal."""
    subscription = {
        "id": donation.subscription_id,
        "object": "subscription",
        "customer": donation.customer_id,
        "metadata": {"donation": str(donation.pk)},
        "status": "canceled",
        "canceled_at": int(time.time()),
    }
    return dev_event("customer.subscription.deleted", subscription)


def dev_refund_event(payment) -> dict:
    """The magazine refunded `payment` in full at the provider."""
    charge = {
        "id": payment.charge_id or dev_id("ch"),
        "object": "charge",
        "payment_intent": payment.provider_id if payment.provider_id.startswith("pi_") else None,
        "invoice": payment.provider_id if payment.provider_id.startswith("in_") else None,
        "amount": payment.amount,
        "amount_refunded": payment.amount,
        "currency": payment.currency.lower(),
        "refunded": True,
    }
    return dev_event("charge.refunded", charge)


def dev_is_live() -> bool:
    """The dev provider's pages and webhook answer only on a site that uses it: elsewhere its
    events (signed with a key derived from SECRET_KEY) must not move a gift."""
    return settings.DONATIONS_PROVIDER == "dev"


def dev_webhook_url() -> str:
    """Where the dev provider posts its events: the site's own webhook at SITE_URL, never at
    an address taken from a request (a Host header can name any port of this machine)."""
    return settings.SITE_URL + reverse("donations:webhook", args=["dev"])


def dev_send(url: str, events: list[dict], *, attempts: int = 5) -> None:
    """POST `events` to the webhook at `url`, one after the other, from a thread: the reader's
    request returns first, as with a real provider, so the return page may say "confirming…"
    for a moment. Each event is retried with back-off until it is answered 200."""

    def deliver():
        for event in events:
            body = json.dumps(event).encode()
            for attempt in range(attempts):
                request = urllib.request.Request(  # noqa: S310 (the site's own webhook)
                    url,
                    data=body,
                    method="POST",
                    headers={
                        "Content-Type": "application/json",
                        DEV_SIGNATURE_HEADER: dev_sign(body),
                    },
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                        if answer.status == 200:
                            break
                except OSError as error:
                    logger.warning("dev provider: %s to %s failed: %s", event["type"], url, error)
                time.sleep(0.2 * 2**attempt)

    threading.Thread(target=deliver, name="dev-provider-webhook", daemon=True).start()


# Stripe ----------------------------------------------------------------------------------

STRIPE_SIGNATURE_HEADER = "Stripe-Signature"
STRIPE_TIMEOUT = (5, 15)  # seconds to connect, to answer: a reader is waiting at "Donate"
# A request Stripe answers with a 409 or 5xx, or that the network drops, is sent again (with
# the same idempotency key, so never twice in effect). The package's client makes none unless
# told.
STRIPE_RETRIES = 2


class StripeProvider(Provider):
    name = "stripe"
    label = "Stripe"
    http_client = None  # tests put a stand-in for Stripe's network here, and only here

    def client(self):
        import stripe

        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            http_client=self.http_client or stripe.RequestsClient(timeout=STRIPE_TIMEOUT),
            max_network_retries=STRIPE_RETRIES,
        )

    def create_checkout(self, donation, *, success_url, cancel_url):
        """A Checkout Session: payment mode for a one-off gift, subscription mode for a monthly
        one. The donation's pk travels in the session's metadata (and in the payment intent's
        or the subscription's, where the later events find it). The idempotency key is the
        donation's own, so a request the client retries, or a second call for the same
        donation, returns the first session instead of opening another."""
        reference = {"donation": str(donation.pk)}
        price = {
            "currency": donation.currency.lower(),
            "unit_amount": donation.amount,
            "product_data": {"name": "Gift to Frame & Grain"},
        }
        params = {
            "mode": "payment",
            # Stripe takes "donate" in subscription mode too since API version 2024-11-20.
            "submit_type": "donate",
            "line_items": [{"price_data": price, "quantity": 1}],
            "customer_email": donation.email,
            "client_reference_id": str(donation.pk),
            "metadata": reference,
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        if donation.is_monthly:
            price["product_data"] = {"name": "Monthly gift to Frame & Grain"}
            price["recurring"] = {"interval": "month"}
            params.update(mode="subscription", subscription_data={"metadata": reference})
        else:
            params["payment_intent_data"] = {"metadata": reference}
        session = self._call(
            "open a checkout for",
            donation,
            lambda client: client.v1.checkout.sessions.create(
                params, {"idempotency_key": stripe_idempotency_key(donation, "checkout")}
            ),
        )
        return Checkout(session.id, session.url)

    def manage_url(self, donation, *, return_url):
        """A Customer Portal session for the donor, where the magazine's portal settings (in
        Stripe's dashboard) let them change their card or cancel."""
        portal = self._call(
            "open the portal for",
            donation,
            lambda client: client.v1.billing_portal.sessions.create(
                {"customer": donation.customer_id, "return_url": return_url}
            ),
        )
        return portal.url

    def _call(self, doing: str, donation, request):
        import stripe

        try:
            return request(self.client())
        except stripe.StripeError as error:
            logger.error("stripe: could not %s donation %s: %r", doing, donation.pk, error)
            raise ProviderUnavailable() from error

    def verify(self, body, headers):
        """The event, if Stripe signed `body` with STRIPE_WEBHOOK_SECRET no longer ago than
        Stripe's own tolerance, as the plain dict Stripe sent."""
        import stripe

        header = headers.get(STRIPE_SIGNATURE_HEADER)
        if not header:
            raise BadSignature("no signature")
        if not settings.STRIPE_WEBHOOK_SECRET:
            raise BadSignature("no webhook secret is configured")
        try:
            stripe.WebhookSignature.verify_header(
                body, header, settings.STRIPE_WEBHOOK_SECRET, stripe.Webhook.DEFAULT_TOLERANCE
            )
            event = json.loads(body)
        except stripe.SignatureVerificationError as error:
            raise BadSignature(error.user_message or "the signature does not match") from None
        except ValueError:  # not UTF-8, or not JSON
            raise BadSignature("the body is not JSON") from None
        if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
            raise BadSignature("not an event")
        return event


def stripe_idempotency_key(donation: Donation, action: str) -> str:
    """One key per donation and action. The creation time is in it because Stripe keeps keys
    for a day per account, and a test database that starts again at pk 1 must not meet the
    sessions of the last one."""
    return f"frame-and-grain-{action}-{donation.pk}-{donation.created_at.timestamp():.6f}"


PROVIDERS = {provider.name: provider for provider in (DevProvider(), StripeProvider())}


def get(name: str | None = None) -> Provider:
    """The provider called `name`, by default the one `DONATIONS_PROVIDER` names."""
    return PROVIDERS[name or settings.DONATIONS_PROVIDER]
