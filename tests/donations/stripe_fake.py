"""Stripe's side, for the Stripe provider's tests: its network, its signatures, its events.

`FakeStripeHTTP` stands in for the network under the official `stripe` package, so that the
package still builds every request (form-encoded parameters, headers, retries) and parses
every answer as it would with Stripe. `stripe_signature` signs a body with Stripe's documented
scheme, and the `*_event` builders return events in the shapes of Stripe's API reference for
the pinned API version (an invoice names its subscription under
`parent.subscription_details`, no longer at the top).
"""

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import stripe

WEBHOOK_SECRET = "whsec_test_frame_and_grain"
SECRET_KEY = "sk_test_frame_and_grain"


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    params: dict  # the form-encoded body, flat: {"line_items[0][quantity]": "1", ...}


class FakeStripeHTTP(stripe.HTTPClient):
    """Records each request and answers with canned JSON: a session with a URL for the two
    endpoints the site uses. `failures` answers the next requests with an error instead: an
    HTTP status (Stripe's 500), or an exception (a network that is down)."""

    name = "fake"

    def __init__(self):
        super().__init__()
        self.requests: list[Request] = []
        self.failures: list[int | Exception] = []

    def request(self, method, url, headers, post_data=None):
        body = post_data.decode() if isinstance(post_data, bytes) else post_data or ""
        self.requests.append(
            Request(method.upper(), urlsplit(url).path, dict(headers), dict(parse_qsl(body)))
        )
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            error = {"error": {"type": "api_error", "message": "Something went wrong."}}
            return json.dumps(error), failure, {}
        return json.dumps(self.answer(urlsplit(url).path)), 200, {}

    def answer(self, path: str) -> dict:
        if path == "/v1/checkout/sessions":
            session_id = f"cs_test_{secrets.token_hex(12)}"
            return {
                "id": session_id,
                "object": "checkout.session",
                "status": "open",
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            }
        if path == "/v1/billing_portal/sessions":
            return {
                "id": f"bps_{secrets.token_hex(12)}",
                "object": "billing_portal.session",
                "url": f"https://billing.stripe.com/p/session/test_{secrets.token_hex(12)}",
            }
        return {"error": {"type": "invalid_request_error", "message": f"No fake for {path}."}}

    def request_stream(self, method, url, headers, post_data=None):
        raise AssertionError("the donations code never streams from Stripe")

    def close(self):
        pass


def network_down() -> stripe.APIConnectionError:
    return stripe.APIConnectionError("Could not connect to Stripe (the test's network).")


def stripe_signature(body: bytes, *, secret: str = WEBHOOK_SECRET, timestamp=None) -> str:
    """The `Stripe-Signature` header Stripe sends with `body`: `t=<unix time>,v1=<hex>`,
    where v1 is the HMAC-SHA256 of "<t>.<body>" keyed with the endpoint's signing secret."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    signed = f"{timestamp}.".encode() + body
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def post_stripe_event(client, event: dict, *, signature: str | None = None, body=None):
    """POST `event` to the Stripe webhook as Stripe does: JSON, signed with the test secret
    unless `signature` (a whole header value, or "" for none) is given."""
    body = json.dumps(event).encode() if body is None else body
    header = stripe_signature(body) if signature is None else signature
    return client.post(
        "/support/webhook/stripe/",
        body,
        content_type="application/json; charset=utf-8",
        headers={"Stripe-Signature": header} if header else {},
    )


def stripe_id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


def event(type_: str, obj: dict) -> dict:
    return {
        "id": stripe_id("evt"),
        "object": "event",
        "api_version": stripe.api_version,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


def checkout_completed_event(donation, *, session_id, customer, **mode) -> dict:
    """`checkout.session.completed` for the session opened for `donation`: pass
    payment_intent=... for a one-off gift, subscription=... and invoice=... for a monthly."""
    monthly = "subscription" in mode
    session = {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": donation.amount,
        "amount_total": donation.amount,
        "client_reference_id": str(donation.pk),
        "created": int(time.time()) - 60,
        "currency": donation.currency.lower(),
        "customer": customer,
        "customer_details": {"email": donation.email, "name": donation.name},
        "customer_email": donation.email,
        "invoice": None,
        "livemode": False,
        "metadata": {"donation": str(donation.pk)},
        "mode": "subscription" if monthly else "payment",
        "payment_intent": None,
        "payment_status": "paid",
        "status": "complete",
        "submit_type": "donate",
        "subscription": None,
        "url": None,
        **mode,
    }
    return event("checkout.session.completed", session)


def invoice(donation, *, subscription, customer, reason="subscription_create", **fields) -> dict:
    """A month's invoice of a monthly gift, as the current API version shapes it."""
    now = int(time.time())
    return {
        "id": stripe_id("in"),
        "object": "invoice",
        "amount_due": donation.amount,
        "amount_paid": donation.amount,
        "amount_remaining": 0,
        "attempt_count": 1,
        "billing_reason": reason,
        "collection_method": "charge_automatically",
        "created": now - 5,
        "currency": donation.currency.lower(),
        "customer": customer,
        "customer_email": donation.email,
        "last_finalization_error": None,
        "livemode": False,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {
                "metadata": {"donation": str(donation.pk)},
                "subscription": subscription,
            },
        },
        "status": "paid",
        "status_transitions": {"finalized_at": now - 5, "paid_at": now, "voided_at": None},
        "total": donation.amount,
        **fields,
    }


def subscription_deleted_event(donation) -> dict:
    now = int(time.time())
    return event(
        "customer.subscription.deleted",
        {
            "id": donation.subscription_id,
            "object": "subscription",
            "cancel_at_period_end": False,
            "canceled_at": now,
            "cancellation_details": {"comment": None, "feedback": None, "reason": None},
            "customer": donation.customer_id,
            "ended_at": now,
            "metadata": {"donation": str(donation.pk)},
            "status": "canceled",
        },
    )


def charge_refunded_event(*, payment_intent, amount, currency) -> dict:
    return event(
        "charge.refunded",
        {
            "id": stripe_id("ch"),
            "object": "charge",
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": amount,
            "captured": True,
            "currency": currency.lower(),
            "paid": True,
            "payment_intent": payment_intent,
            "refunded": True,
            "status": "succeeded",
        },
    )


def payment_failed_event(donation, *, payment_intent) -> dict:
    return event(
        "payment_intent.payment_failed",
        {
            "id": payment_intent,
            "object": "payment_intent",
            "amount": donation.amount,
            "currency": donation.currency.lower(),
            "last_payment_error": {
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
                "type": "card_error",
            },
            "metadata": {"donation": str(donation.pk)},
            "status": "requires_payment_method",
        },
    )


def invoice_payment_paid_event(invoice: dict, *, payment_intent: str) -> dict:
    """The link between a month's invoice and the payment intent that paid it, which neither
    the invoice nor the charge carries in the current API version."""
    return event(
        "invoice_payment.paid",
        {
            "id": stripe_id("inpay"),
            "object": "invoice_payment",
            "amount_paid": invoice["amount_paid"],
            "amount_requested": invoice["amount_due"],
            "created": invoice["created"],
            "currency": invoice["currency"],
            "invoice": invoice["id"],
            "is_default": True,
            "livemode": False,
            "payment": {"type": "payment_intent", "payment_intent": payment_intent},
            "status": "paid",
            "status_transitions": invoice["status_transitions"],
        },
    )
