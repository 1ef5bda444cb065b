"""Giving: starting a donation, taking in the provider's events, and what each one means.

The site never decides that money came: the provider's webhook does. `receive_event` verifies
and stores each event once (keyed on the provider's event id), and `process_webhook_event` (a
task) acts on it. Events are read in Stripe's shapes, which the dev provider copies. An event
that names something the site has not heard of yet (an `invoice.paid` that overtook its
`checkout.session.completed`) waits and is tried again: after every event that is processed,
by the task later where the task backend can defer, and by `donations_housekeeping`.
"""

import logging
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from forum.core.locks import serialize
from forum.core.mail import send_email

from . import providers
from .models import Donation, LinkRequest, Payment, WebhookEvent, normalise_email

logger = logging.getLogger(__name__)

Status = Donation.Status
DONATIONS_PER_NETWORK_PER_HOUR = 10
LINKS_PER_NETWORK_PER_HOUR = 10
LINKS_PER_ADDRESS_PER_DAY = 3
MANAGE_LINK_DAYS = 30
# How often, and how long after it came, a waiting event is tried again before it is failed.
WAITING_GIVES_UP_AFTER = timedelta(days=3)


class DonationRefused(Exception):
    """A donation or link request that is not taken; the message is for the reader."""


class NotYet(Exception):
    """The event names a donation or payment the site has not heard of yet: try again later."""


class NotOurs(Exception):
    """The event is about something this site never started (another product on the same
    provider account): stored, and ignored."""


GIVE_UP_AFTER_ATTEMPTS = 20  # an event whose processing keeps breaking off is failed, logged


# Starting -------------------------------------------------------------------------------


def _check_rate(model, *, network: str | None, limit: int) -> None:
    if network is None:
        return
    since = timezone.now() - timedelta(hours=1)
    field = "created_at" if model is Donation else "at"
    if model.objects.filter(network=network, **{f"{field}__gte": since}).count() >= limit:
        raise DonationRefused(
            "Too many requests have come from your network in the last hour. Please try "
            "again later; what you typed is kept below."
        )


def start_donation(
    *,
    kind: str,
    amount: int,
    currency: str,
    name: str,
    email: str,
    message: str = "",
    public: bool = False,
    user=None,
    network: str | None = None,
    success_url: str,
    cancel_url: str,
) -> tuple[Donation, str]:
    """Record a donation waiting for payment and open its provider's checkout. Returns the
    donation and the URL to send the reader to. `success_url` and `cancel_url` may hold
    `{donation}`, replaced by a signed reference to it. Raises DonationRefused over the
    network's limit."""
    with transaction.atomic():
        serialize(f"donation-start:{network}")
        _check_rate(Donation, network=network, limit=DONATIONS_PER_NETWORK_PER_HOUR)
        donation = Donation.objects.create(
            provider=settings.DONATIONS_PROVIDER,
            kind=kind,
            amount=amount,
            currency=currency,
            name=name.strip(),
            email=email,
            message=message.strip(),
            public=public,
            message_status=Donation.Message.WAITING if public and message.strip() else "none",
            user=user if user is not None and user.is_authenticated else None,
            network=network,
        )
    reference = return_token(donation)
    checkout = providers.get(donation.provider).create_checkout(
        donation,
        success_url=success_url.replace("{donation}", reference),
        cancel_url=cancel_url.replace("{donation}", reference),
    )
    Donation.objects.filter(pk=donation.pk).update(checkout_id=checkout.id)
    donation.checkout_id = checkout.id
    return donation, checkout.url


def return_token(donation: Donation) -> str:
    """What the return page's URL carries: which donation, for the browser that began it."""
    return signing.dumps(donation.pk, salt="donations.return")


def donation_from_return_token(token: str) -> Donation | None:
    try:
        pk = signing.loads(token, salt="donations.return", max_age=timedelta(days=2))
    except signing.BadSignature:
        return None
    return Donation.objects.filter(pk=pk).first()


# Manage links -----------------------------------------------------------------------------


def manage_token(donation: Donation) -> str:
    """The manage link's token: names one of the donor's gifts (not their address, which a
    URL would show to every log it passes), and with it the donor."""
    return signing.dumps(donation.pk, salt="donations.manage")


def donor_email_from_manage_token(token: str) -> str | None:
    """The donor's address, if `token` is ours, for that purpose, and younger than
    MANAGE_LINK_DAYS; None otherwise. Raises signing.SignatureExpired for an old one, so the
    page can say so."""
    try:
        pk = signing.loads(token, salt="donations.manage", max_age=timedelta(days=MANAGE_LINK_DAYS))
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return Donation.objects.filter(pk=pk).values_list("email", flat=True).first()


def manage_url(donation: Donation) -> str:
    return settings.SITE_URL + reverse("donations:manage", args=[manage_token(donation)])


def request_manage_link(*, email: str, network: str | None = None) -> None:
    """ "Email me my link": mail the manage link to `email` if it has a monthly gift that runs,
    within limits per network (DonationRefused) and per address (silent), so that the answer
    never says whether the address has given."""
    email = normalise_email(email)
    with transaction.atomic():
        serialize(f"donation-link:{network}")
        _check_rate(LinkRequest, network=network, limit=LINKS_PER_NETWORK_PER_HOUR)
        day_ago = timezone.now() - timedelta(days=1)
        recent = LinkRequest.objects.filter(email=email, at__gte=day_ago).count()
        LinkRequest.objects.create(email=email, network=network)
        if recent < LINKS_PER_ADDRESS_PER_DAY and Donation.objects.for_email(email).manageable():
            transaction.on_commit(lambda: send_manage_link(email))


def send_manage_link(email: str) -> None:
    gifts = list(Donation.objects.for_email(email).manageable())
    if not gifts:  # cancelled since it was asked for
        return
    send_email(
        "donation_manage_link",
        to=[email],
        context={"gifts": gifts, "manage_url": manage_url(gifts[0]), "days": MANAGE_LINK_DAYS},
    )


# Webhooks ---------------------------------------------------------------------------------


def receive_event(*, provider: str, body: bytes, headers) -> WebhookEvent:
    """Verify an event (providers.BadSignature if it is not signed) and store it once; a new
    one is processed by a task after the commit. A redelivered event is returned as stored."""
    event = providers.get(provider).verify(body, headers)
    lookup = {"provider": provider, "event_id": str(event["id"])[:255]}
    # A redelivery is answered from a read, without queueing behind the writers (SQLite).
    if (stored := WebhookEvent.objects.filter(**lookup).first()) is not None:
        if stored.status == WebhookEvent.Status.RECEIVED:  # its processing broke off: again
            transaction.on_commit(lambda: process_webhook_event.enqueue(stored.pk))
        return stored
    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(
                **lookup, type=str(event["type"])[:100], payload=event
            )
    except IntegrityError:  # delivered twice at once: the other request stored it
        return WebhookEvent.objects.get(**lookup)
    transaction.on_commit(lambda: process_webhook_event.enqueue(stored.pk))
    return stored


@task
def process_webhook_event(event_pk: int) -> str:
    """Act on a stored event; then, if it was processed, on the events that waited for it."""
    status = process_event(event_pk)
    if status == WebhookEvent.Status.PROCESSED:
        retry_waiting_events()
    elif (
        status == WebhookEvent.Status.WAITING and process_webhook_event.get_backend().supports_defer
    ):
        attempts = WebhookEvent.objects.get(pk=event_pk).attempts
        later = timezone.now() + timedelta(seconds=min(60 * 2**attempts, 6 * 3600))
        process_webhook_event.using(run_after=later).enqueue(event_pk)
    return status


def process_event(event_pk: int) -> str:
    """Act on the event once, in one transaction with marking it done. Returns its status."""
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if event.status not in (WebhookEvent.Status.RECEIVED, WebhookEvent.Status.WAITING):
            return event.status
        handler = HANDLERS.get(event.type)
        event.attempts += 1
        if handler is None:
            event.status = WebhookEvent.Status.IGNORED
        else:
            try:
                with transaction.atomic():
                    handler(event.provider, event.payload["data"]["object"], event.payload)
            except NotYet as waiting:
                gave_up = timezone.now() - event.received_at > WAITING_GIVES_UP_AFTER
                event.status = (
                    WebhookEvent.Status.FAILED if gave_up else WebhookEvent.Status.WAITING
                )
                event.error = str(waiting)
                if gave_up:
                    logger.error("donations: gave up on %s: %s", event, waiting)
            except NotOurs as other:
                event.status = WebhookEvent.Status.IGNORED
                event.error = str(other)
            except (KeyError, TypeError, ValueError) as error:
                event.status = WebhookEvent.Status.FAILED
                event.error = f"{type(error).__name__}: {error}"
                logger.exception("donations: could not process %s", event)
            except Exception as error:  # the database, say: left RECEIVED, to be tried again
                event.error = f"{type(error).__name__}: {error}"
                logger.exception("donations: processing %s broke off", event)
                if event.attempts >= GIVE_UP_AFTER_ATTEMPTS:
                    event.status = WebhookEvent.Status.FAILED
            else:
                event.status = WebhookEvent.Status.PROCESSED
                event.error = ""
        if event.status not in (WebhookEvent.Status.WAITING, WebhookEvent.Status.RECEIVED):
            event.processed_at = timezone.now()
        event.save(update_fields=["status", "attempts", "error", "processed_at"])
        return event.status


def retry_waiting_events() -> int:
    """Try every waiting event again, and every one whose processing broke off (still
    RECEIVED), oldest first, until a round processes none. Returns how many were processed."""
    done = 0
    while True:
        waiting = WebhookEvent.objects.filter(
            status__in=[WebhookEvent.Status.WAITING, WebhookEvent.Status.RECEIVED]
        )
        processed = sum(
            process_event(pk) == WebhookEvent.Status.PROCESSED
            for pk in waiting.order_by("received_at", "pk").values_list("pk", flat=True)
        )
        done += processed
        if not processed:
            return done


ABANDONED_AFTER = timedelta(days=1)


def tidy_up(*, now=None) -> tuple[int, int, int]:
    """Give up on waiting events older than WAITING_GIVES_UP_AFTER (logged), mark checkouts
    left pending for ABANDONED_AFTER as abandoned, and forget link requests older than a day.
    Returns (events still waiting, donations abandoned, link requests deleted)."""
    now = now or timezone.now()
    stale = WebhookEvent.objects.filter(
        status=WebhookEvent.Status.WAITING, received_at__lt=now - WAITING_GIVES_UP_AFTER
    )
    for event in stale:
        logger.error("donations: gave up on %s: %s", event, event.error)
    stale.update(status=WebhookEvent.Status.FAILED, processed_at=now)
    still = WebhookEvent.objects.filter(status=WebhookEvent.Status.WAITING).count()
    abandoned = Donation.objects.filter(
        status=Status.PENDING, created_at__lt=now - ABANDONED_AFTER
    ).update(status=Status.ABANDONED)
    forgotten, _ = LinkRequest.objects.filter(at__lt=now - timedelta(days=1)).delete()
    return still, abandoned, forgotten


# What each event means. Each handler gets the provider's name, the event's object and the
# whole event, runs inside the event's transaction, and raises NotYet for what it cannot
# place yet.


def _when(timestamp) -> datetime:
    return datetime.fromtimestamp(int(timestamp), tz=UTC) if timestamp else timezone.now()


def _locked(provider: str, **lookup) -> Donation | None:
    return Donation.objects.select_for_update().filter(provider=provider, **lookup).first()


def _by_checkout(provider: str, session: dict) -> Donation:
    donation = _locked(provider, checkout_id=session["id"])
    reference = (session.get("metadata") or {}).get("donation") or session.get(
        "client_reference_id"
    )
    if donation is None and reference and str(reference).isdigit():
        donation = _locked(provider, pk=int(reference))
    if donation is None:
        raise NotYet(f"no donation for checkout {session['id']}")
    return donation


def _by_subscription(provider: str, subscription_id: str | None, metadata: dict) -> Donation:
    """The monthly gift of a subscription. One the site has not heard of yet waits if its
    metadata names a gift of ours (its checkout's event is on the way), and is not ours
    otherwise."""
    donation = _locked(provider, subscription_id=subscription_id) if subscription_id else None
    if donation is None:
        if not str((metadata or {}).get("donation", "")).isdigit():
            raise NotOurs(f"subscription {subscription_id} is not a gift of ours")
        raise NotYet(f"no donation for subscription {subscription_id}")
    return donation


def _invoice_metadata(invoice: dict) -> dict:
    """The metadata of an invoice's subscription (ours carry the gift's id), where the API
    version at hand puts it."""
    details = (invoice.get("parent") or {}).get("subscription_details") or invoice.get(
        "subscription_details"
    )
    return (details or {}).get("metadata") or {}


def _invoice_subscription(invoice: dict) -> str | None:
    """An invoice's subscription, where the API version at hand puts it."""
    if invoice.get("subscription"):
        subscription = invoice["subscription"]
        return subscription["id"] if isinstance(subscription, dict) else subscription
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return details.get("subscription")


def record_payment(
    donation: Donation,
    *,
    provider_id: str,
    amount: int,
    currency: str,
    paid_at: datetime,
    charge_id: str = "",
) -> Payment | None:
    """A charge for `donation` went through: its payment, once per provider id, with a receipt
    mailed after the commit. Returns the new payment, or None if it was known."""
    payment, created = Payment.objects.get_or_create(
        donation=donation,
        provider_id=provider_id,
        defaults={
            "amount": amount,
            "currency": currency.upper(),
            "paid_at": paid_at,
            "charge_id": charge_id or "",
        },
    )
    if not created:
        return None
    if donation.first_paid_at is None:
        donation.first_paid_at = paid_at
    donation.failure = ""
    transaction.on_commit(lambda: send_receipt.enqueue(payment.pk))
    return payment


def checkout_completed(provider: str, session: dict, event: dict) -> None:
    donation = _by_checkout(provider, session)
    donation.checkout_id = donation.checkout_id or session["id"]
    donation.customer_id = session.get("customer") or donation.customer_id
    if session.get("mode") == "subscription":
        donation.subscription_id = session.get("subscription") or donation.subscription_id
        donation.move_to(Status.ACTIVE)
    elif session.get("payment_status") == "paid":
        record_payment(
            donation,
            provider_id=session.get("payment_intent") or session["id"],
            amount=session["amount_total"],
            currency=session["currency"],
            paid_at=_when(event.get("created")),
        )
        donation.move_to(Status.PAID)
    donation.save()


def checkout_expired(provider: str, session: dict, event: dict) -> None:
    donation = _by_checkout(provider, session)
    if donation.status == Status.PENDING and donation.move_to(Status.ABANDONED):
        donation.save(update_fields=["status"])


def payment_failed(provider: str, intent: dict, event: dict) -> None:
    """A one-off payment was declined. The reader may try again at the same checkout."""
    reference = (intent.get("metadata") or {}).get("donation")
    donation = _locked(provider, pk=int(reference)) if str(reference).isdigit() else None
    if donation is None:  # a monthly gift's first invoice, or another product's payment
        raise NotOurs(f"payment {intent.get('id')} names no gift of ours")
    error = intent.get("last_payment_error") or {}
    donation.failure = (error.get("message") or "The payment was declined.")[:255]
    if donation.status == Status.PENDING:
        donation.move_to(Status.FAILED)
    donation.save(update_fields=["failure", "status"])


def invoice_paid(provider: str, invoice: dict, event: dict) -> None:
    """A month of a monthly gift was paid (the first month, or a renewal)."""
    donation = _by_subscription(
        provider, _invoice_subscription(invoice), _invoice_metadata(invoice)
    )
    if invoice.get("amount_paid"):
        paid_at = (invoice.get("status_transitions") or {}).get("paid_at") or event.get("created")
        record_payment(
            donation,
            provider_id=invoice["id"],
            amount=invoice["amount_paid"],
            currency=invoice["currency"],
            paid_at=_when(paid_at),
            charge_id=invoice.get("charge") or invoice.get("payment_intent") or "",
        )
    donation.move_to(Status.ACTIVE)  # not once cancelled: a late month is money, not a restart
    donation.save()


def invoice_payment_paid(provider: str, invoice_payment: dict, event: dict) -> None:
    """Which payment intent (or charge) paid a month. Since Stripe's API version 2025-03-31 an
    invoice no longer names it, nor a charge its invoice: this event is the only link, and
    without it a refund of a month would find no payment."""
    paid_by = invoice_payment.get("payment") or {}
    charge = paid_by.get("payment_intent") or paid_by.get("charge")
    payment = (
        Payment.objects.select_for_update()
        .filter(donation__provider=provider, provider_id=invoice_payment["invoice"])
        .first()
    )
    if payment is None:
        raise NotYet(f"no payment for invoice {invoice_payment['invoice']}")
    if charge and not payment.charge_id:
        payment.charge_id = charge
        payment.save(update_fields=["charge_id"])


def invoice_payment_failed(provider: str, invoice: dict, event: dict) -> None:
    """A month could not be charged; the provider tries again, and cancels if it keeps failing."""
    try:
        donation = _by_subscription(
            provider, _invoice_subscription(invoice), _invoice_metadata(invoice)
        )
    except NotYet:  # a first month declined at the checkout: the reader is told there
        raise NotOurs("a failed first month of a gift not begun") from None
    error = (invoice.get("last_finalization_error") or {}).get("message")
    donation.failure = (error or "This month's payment did not go through.")[:255]
    donation.save(update_fields=["failure"])


def subscription_deleted(provider: str, subscription: dict, event: dict) -> None:
    donation = _by_subscription(provider, subscription["id"], subscription.get("metadata"))
    if donation.cancelled_at is None:
        donation.move_to(Status.CANCELLED)
        donation.cancelled_at = _when(subscription.get("canceled_at") or event.get("created"))
        donation.save(update_fields=["status", "cancelled_at"])


def charge_refunded(provider: str, charge: dict, event: dict) -> None:
    """Money went back: the payment shows it, and a gift refunded in full leaves the
    supporters page and the month's total."""
    names = [name for name in (charge.get("payment_intent"), charge.get("invoice")) if name]
    payment = (
        Payment.objects.select_for_update()
        .filter(donation__provider=provider)
        .filter(Q(charge_id=charge["id"]) | Q(charge_id__in=names) | Q(provider_id__in=names))
        .select_related("donation")
        .first()
    )
    if payment is None:
        raise NotYet(f"no payment for charge {charge['id']}")
    # The event carries the running total refunded; a late one with a smaller total is older.
    refunded = min(int(charge.get("amount_refunded") or 0), payment.amount)
    if refunded <= payment.refunded_amount:
        return
    payment.refunded_amount = refunded
    payment.refunded_at = _when(event.get("created"))
    payment.save(update_fields=["refunded_amount", "refunded_at"])
    donation = payment.donation
    if payment.is_refunded and donation.move_to(Status.REFUNDED):  # one-off gifts only
        donation.save(update_fields=["status"])


HANDLERS = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.async_payment_succeeded": checkout_completed,
    "checkout.session.expired": checkout_expired,
    "payment_intent.payment_failed": payment_failed,
    "invoice.paid": invoice_paid,
    "invoice_payment.paid": invoice_payment_paid,
    "invoice.payment_failed": invoice_payment_failed,
    "customer.subscription.deleted": subscription_deleted,
    "charge.refunded": charge_refunded,
}


# Receipts ---------------------------------------------------------------------------------


@task
def send_receipt(payment_pk: int) -> bool:
    """Mail the receipt for a payment, once: the row is claimed before the mail is sent."""
    claimed = Payment.objects.filter(pk=payment_pk, receipt_sent_at__isnull=True).update(
        receipt_sent_at=timezone.now()
    )
    if not claimed:
        return False
    payment = Payment.objects.select_related("donation").get(pk=payment_pk)
    donation = payment.donation
    try:
        send_email(
            "donation_receipt",
            to=[donation.email],
            context={
                "payment": payment,
                "donation": donation,
                "manage_url": manage_url(donation) if donation.is_monthly else "",
                "days": MANAGE_LINK_DAYS,
            },
            from_a_task=True,
        )
    except Exception:
        # Not sent: unclaimed, so that `donations_housekeeping` sends it later.
        Payment.objects.filter(pk=payment_pk).update(receipt_sent_at=None)
        logger.exception("donations: the receipt of payment %s was not sent", payment_pk)
        raise
    return True


def send_unsent_receipts(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Send the receipts whose mail failed (or whose task was lost). Returns how many."""
    since = timezone.now() - older_than
    unsent = Payment.objects.filter(receipt_sent_at__isnull=True, paid_at__lt=since)
    sent = 0
    for pk in unsent.values_list("pk", flat=True):
        with suppress(Exception):  # logged by send_receipt; the next run tries again
            sent += send_receipt.call(pk)
    return sent
