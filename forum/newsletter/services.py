"""Joining, confirming, changing and leaving newsletters; bounces; purging stale sign-ups.

Views, the admin, the bounce webhook and imports call these, so each change is decided and
recorded in one place. The sign-up answer never depends on whether an address is known:
`request_subscription` returns nothing a view could show differently.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from forum.core.locks import serialize
from forum.core.mail import send_email

from . import tokens
from .models import (
    Delivery,
    Newsletter,
    SignupAttempt,
    Source,
    Subscriber,
    Subscription,
    new_key,
    normalise_email,
)

CONFIRMED = Subscription.Status.CONFIRMED
PENDING = Subscription.Status.PENDING
UNSUBSCRIBED = Subscription.Status.UNSUBSCRIBED

SIGNUPS_PER_NETWORK_PER_HOUR = 10
# Confirmation mails one address may be sent in a day, however often it is entered.
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
UNCONFIRMED_KEPT = timedelta(days=30)


class SignupRefused(Exception):
    """A sign-up that is not taken; the message is for the reader."""


def manage_url(subscriber: Subscriber) -> str:
    token = tokens.make_token(subscriber, tokens.MANAGE)
    return settings.SITE_URL + reverse("newsletter:manage", args=[token])


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The RFC 8058 one-click address: a POST unsubscribes from everything, a GET asks."""
    token = tokens.make_token(subscriber, tokens.MANAGE)
    return settings.SITE_URL + reverse("newsletter:unsubscribe", args=[token])


def confirm_url(subscriber: Subscriber) -> str:
    token = tokens.make_token(subscriber, tokens.CONFIRM)
    return settings.SITE_URL + reverse("newsletter:confirm", args=[token])


def check_signup_rate(*, network: str | None) -> None:
    """At most `SIGNUPS_PER_NETWORK_PER_HOUR` sign-ups from one network. The limit per address
    is silent (see `request_subscription`): telling would say the address is known."""
    if network is None:
        return
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = SignupAttempt.objects.filter(network=network, at__gte=hour_ago).count()
    if recent >= SIGNUPS_PER_NETWORK_PER_HOUR:
        raise SignupRefused(
            "Too many sign-ups have come from your network in the last hour. Please try "
            "again later; your address is kept below."
        )


def request_subscription(
    *,
    email: str,
    name: str = "",
    newsletters: Iterable[Newsletter] | None = None,
    source: str = Source.FORM,
    network: str | None = None,
) -> None:
    """Someone asked for `newsletters` (the default one if None) at `email`: record it and mail
    one confirmation link if anything now waits for confirmation. A confirmed subscription
    stays confirmed (no downgrade). Raises SignupRefused over the network's rate limit."""
    email = normalise_email(email)
    wanted = list(newsletters) if newsletters is not None else [Newsletter.default()]
    wanted = [newsletter for newsletter in wanted if newsletter is not None]
    with transaction.atomic():
        serialize(f"newsletter-signup:{network}")
        check_signup_rate(network=network)
        SignupAttempt.objects.create(email=email, network=network)
        serialize(f"newsletter-address:{email}")
        # The name is taken from a new address only: anyone can type an address that is
        # already on the list, and the name goes into every mail its reader gets.
        subscriber, _ = Subscriber.objects.get_or_create(
            email=email, defaults={"name": name.strip()}
        )
        waiting = False
        for newsletter in wanted:
            subscription = _subscription(subscriber, newsletter, source=source, network=network)
            if subscription.status == UNSUBSCRIBED:
                Subscription.objects.filter(pk=subscription.pk).set_status(
                    PENDING, source=source, network=network
                )
                waiting = True
            elif subscription.status == PENDING:
                waiting = True
        if waiting and subscriber.can_receive and _may_send_confirmation(subscriber):
            subscriber.confirmation_sent_at = timezone.now()
            subscriber.save(update_fields=["confirmation_sent_at"])
            transaction.on_commit(lambda: send_confirmation(subscriber))


def request_manage_link(*, email: str, network: str | None = None) -> None:
    """Someone asked for the preference page's link at `email`: mail it if the address is
    known, within the same limits as sign-ups (per network: SignupRefused; per address: silent),
    so the answer never says whether it is."""
    email = normalise_email(email)
    with transaction.atomic():
        serialize(f"newsletter-signup:{network}")
        check_signup_rate(network=network)
        SignupAttempt.objects.create(email=email, network=network)
        subscriber = Subscriber.objects.filter(email=email).first()
        if subscriber is not None and _may_send_confirmation(subscriber):
            transaction.on_commit(lambda: send_manage_link(subscriber))


def send_manage_link(subscriber: Subscriber) -> None:
    send_email(
        "newsletter_manage_link",
        to=[subscriber.email],
        context={"subscriber": subscriber, "manage_url": manage_url(subscriber)},
    )


def _subscription(
    subscriber, newsletter, *, source, network, status=PENDING, note=""
) -> Subscription:
    """The subscriber's subscription to `newsletter`, made (and recorded) in `status` if new."""
    subscription, created = Subscription.objects.get_or_create(
        subscriber=subscriber, newsletter=newsletter, defaults={"status": status}
    )
    if created:
        subscription.changes.create(status=status, source=source, network=network, note=note[:300])
        if status == CONFIRMED:
            subscription.confirmed_at = subscription.created_at
            subscription.save(update_fields=["confirmed_at"])
    return subscription


def _may_send_confirmation(subscriber: Subscriber) -> bool:
    day_ago = timezone.now() - timedelta(days=1)
    asked = SignupAttempt.objects.filter(email=subscriber.email, at__gte=day_ago).count()
    return asked <= CONFIRMATIONS_PER_ADDRESS_PER_DAY


def send_confirmation(subscriber: Subscriber) -> None:
    pending = subscriber.subscriptions.filter(status=PENDING).select_related("newsletter")
    send_email(
        "newsletter_confirm",
        to=[subscriber.email],
        context={
            "subscriber": subscriber,
            "newsletters": [subscription.newsletter for subscription in pending],
            "confirm_url": confirm_url(subscriber),
            "days": tokens.MAX_AGE[tokens.CONFIRM].days,
        },
    )


def confirm_subscriber(*, subscriber: Subscriber, network: str | None = None) -> list[Newsletter]:
    """The confirmation link was used: what waited is confirmed, and the link is spent.
    Returns the newsletters confirmed."""
    with transaction.atomic():
        changed = subscriber.subscriptions.filter(status=PENDING).set_status(
            CONFIRMED, source=Source.LINK, network=network
        )
        subscriber.confirm_key = new_key()
        subscriber.save(update_fields=["confirm_key"])
    return [subscription.newsletter for subscription in changed]


def set_subscriptions(
    *,
    subscriber: Subscriber,
    wanted: Iterable[Newsletter],
    source: str = Source.PREFERENCES,
    network: str | None = None,
) -> None:
    """The preference page (or staff) chose exactly `wanted` among the offered newsletters.
    Whoever holds the page's link has shown they read the address's mail, so a newsletter
    ticked there is confirmed at once."""
    wanted_ids = {newsletter.pk for newsletter in wanted}
    with transaction.atomic():
        for newsletter in Newsletter.objects.public():
            if newsletter.pk in wanted_ids:
                _subscription(
                    subscriber, newsletter, source=source, network=network, status=CONFIRMED
                )
        offered = subscriber.subscriptions.filter(newsletter__is_public=True)
        offered.filter(newsletter__in=wanted_ids).set_status(
            CONFIRMED, source=source, network=network
        )
        offered.exclude(newsletter__in=wanted_ids).exclude(status=UNSUBSCRIBED).set_status(
            UNSUBSCRIBED, source=source, network=network
        )


def add_subscriptions(
    *,
    subscriber: Subscriber,
    newsletters: Iterable[Newsletter],
    status: str = CONFIRMED,
    source: str,
    note: str = "",
    network: str | None = None,
) -> None:
    """Staff put the address on `newsletters` in `status` (confirmed when they vouch for the
    reader's consent, pending when the reader is to confirm): made if new, moved otherwise,
    each change recorded with `note`. A confirmed subscription is never moved back to pending.
    """
    with transaction.atomic():
        for newsletter in newsletters:
            subscription = _subscription(
                subscriber, newsletter, source=source, network=network, status=status, note=note
            )
            if subscription.status != CONFIRMED:
                Subscription.objects.filter(pk=subscription.pk).set_status(
                    status, source=source, network=network, note=note
                )


def unsubscribe(
    *,
    subscriber: Subscriber,
    newsletters: Iterable[Newsletter] | None = None,
    source: str,
    network: str | None = None,
    note: str = "",
) -> int:
    """Leave `newsletters`, or every newsletter if None. Returns how many subscriptions ended."""
    subscriptions = subscriber.subscriptions.exclude(status=UNSUBSCRIBED)
    if newsletters is not None:
        subscriptions = subscriptions.filter(newsletter__in=list(newsletters))
    return len(subscriptions.set_status(UNSUBSCRIBED, source=source, network=network, note=note))


def subscribe_member(*, user, newsletter: Newsletter) -> Subscriber:
    """A signed-in member joins with one click: their address is verified already (allauth
    requires it to sign in), so the subscription is confirmed at once."""
    email = normalise_email(user.email)
    with transaction.atomic():
        serialize(f"newsletter-address:{email}")
        subscriber, _ = Subscriber.objects.get_or_create(
            email=email, defaults={"name": user.public_name, "user": user}
        )
        if subscriber.user_id is None:
            subscriber.user = user
            subscriber.save(update_fields=["user"])
        subscription = _subscription(
            subscriber, newsletter, source=Source.ACCOUNT, network=None, status=CONFIRMED
        )
        Subscription.objects.filter(pk=subscription.pk).set_status(CONFIRMED, source=Source.ACCOUNT)
    return subscriber


class Bounce:
    HARD = "hard"
    SOFT = "soft"
    COMPLAINT = "complaint"
    KINDS = (HARD, SOFT, COMPLAINT)


def record_bounce(
    *, email: str, kind: str, detail: str = "", delivery: Delivery | None = None
) -> Subscriber | None:
    """A mail to `email` bounced or was reported as spam. A hard bounce or a complaint stops
    all mail to the address at once (every subscription ends, recorded as a bounce); soft
    bounces are counted and stop mail at `NEWSLETTER_SOFT_BOUNCE_LIMIT`. Unknown addresses
    are ignored. Returns the subscriber."""
    if kind not in Bounce.KINDS:
        raise ValueError(f"unknown bounce kind {kind!r}")
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().filter(email=normalise_email(email)).first()
        )
        if subscriber is None:
            return None
        if delivery is not None:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.BOUNCED, error=f"{kind}: {detail}"[:2000]
            )
        if kind == Bounce.SOFT:
            subscriber.soft_bounces += 1
            subscriber.save(update_fields=["soft_bounces"])
            if subscriber.soft_bounces < settings.NEWSLETTER_SOFT_BOUNCE_LIMIT:
                return subscriber
            detail = f"{subscriber.soft_bounces} soft bounces. {detail}".strip()
            status = Subscriber.Status.BOUNCED
        else:
            status = (
                Subscriber.Status.COMPLAINED
                if kind == Bounce.COMPLAINT
                else Subscriber.Status.BOUNCED
            )
        # A complaint is the stronger record (the reader asked us to stop): a bounce that
        # comes in after it leaves it standing.
        if subscriber.status != Subscriber.Status.COMPLAINED:
            subscriber.status = status
            subscriber.save(update_fields=["status"])
        unsubscribe(subscriber=subscriber, source=Source.BOUNCE, note=f"{kind}: {detail}")
    return subscriber


def record_delivery(*, email: str) -> Subscriber | None:
    """The reader's server took a mail (the provider said so): soft bounces count from zero
    again, so only failures in a row stop an address, not a few spread over years. Unknown
    addresses are ignored. Returns the subscriber."""
    subscriber = Subscriber.objects.with_email(email).first()
    if subscriber is not None and subscriber.soft_bounces:
        Subscriber.objects.filter(pk=subscriber.pk).update(soft_bounces=0)
        subscriber.soft_bounces = 0
    return subscriber


def purge_unconfirmed(*, now=None) -> int:
    """Forget sign-ups nobody confirmed within `UNCONFIRMED_KEPT`, and old sign-up attempts.
    An address with nothing else is deleted; otherwise its stale requests end, recorded.
    Returns how many subscribers were deleted."""
    now = now or timezone.now()
    cutoff = now - UNCONFIRMED_KEPT
    # Waiting since before the cutoff: a request made again later (or mailed again) is fresh.
    stale = Q(status=PENDING, changed_at__lt=cutoff) & ~Q(
        subscriber__confirmation_sent_at__gte=cutoff
    )
    with transaction.atomic():
        SignupAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()
        only_stale = Subscriber.objects.filter(subscriptions__in=Subscription.objects.filter(stale))
        only_stale = only_stale.exclude(subscriptions__in=Subscription.objects.exclude(stale))
        only_stale = only_stale.exclude(deliveries__isnull=False).distinct()
        deleted = Subscriber.objects.filter(pk__in=list(only_stale.values_list("pk", flat=True)))
        count = deleted.count()
        deleted.delete()
        Subscription.objects.filter(stale).set_status(UNSUBSCRIBED, source=Source.PURGE)
    return count
