"""What the Support pages show on a fresh `make run`: a monthly goal, and a dozen readers' gifts
from this month and last, so that `/support/` has a goal bar partly filled and
`/support/supporters/` a list.

Every gift goes the way a reader's does: `start_donation` opens it at the dev provider's
checkout, then the dev provider's own events (payment, renewal, cancellation, refund), signed
as it signs them, are taken in by `receive_event` and acted on by `process_event`, dated in the
story by the times the events carry. Their receipts go where the site's mail goes (var/mail/
under `make run`). A gift is known by its donor's address, so running `seed_demo` again makes
nothing twice; the goal is set only on a demo that had no gifts yet, and the reading meter is
left off. Nothing is made when the site takes real money (a provider other than `dev`).
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from forum.donations import providers, services
from forum.donations.models import Donation, month_start
from forum.site_settings.models import SiteSettings

GOAL = 400  # a month, in whole units of the site's first currency


@dataclass(frozen=True)
class Gift:
    name: str
    email: str
    amount: int  # minor units
    monthly: bool = False
    last_month: bool = False  # given last month (a monthly gift renews this month)
    at: float = 0.5  # how far through its month (this month: through the days so far)
    public: bool = False
    message: str = ""
    approved: bool = True  # its message, by an editor
    refunded: bool = False
    cancelled: bool = False  # a monthly gift cancelled this month, before it renewed


GIFTS = [
    Gift(
        "Priya Raman",
        "priya.raman@example.org",
        1000,
        at=0.15,
        public=True,
        message="For the Kinder Scout piece. I have crossed that plateau in fog a dozen times "
        "and never once thought to carry a medium-format camera.",
    ),
    Gift(
        "Gareth Llewellyn",
        "g.llewellyn@example.net",
        500,
        monthly=True,
        last_month=True,
        at=0.2,
        public=True,
        message="A fiver a month for the best darkroom writing I know. Keep the chemistry coming.",
    ),
    Gift("Hannah Okafor", "hannah.okafor@example.com", 4000, at=0.3),
    Gift(
        "Tomás Ferreira",
        "tomas.ferreira@example.org",
        300,
        monthly=True,
        last_month=True,
        at=0.35,
        public=True,
    ),
    Gift(
        "Ines Lindqvist",
        "ines.lindqvist@example.net",
        1000,
        last_month=True,
        at=0.5,
        public=True,
        message="From Gothenburg, where I print every issue's pictures on the office printer. "
        "Sorry, office.",
    ),
    Gift(
        "Sophie Marchetti",
        "sophie.marchetti@example.com",
        1000,
        monthly=True,
        last_month=True,
        at=0.6,
        public=True,
        message="Moving house and tightening the belt for a while. I will be back.",
        cancelled=True,
    ),
    Gift(
        "Wilf Harrington", "wilf.harrington@example.org", 5000, last_month=True, at=0.8, public=True
    ),
    Gift(
        "Lena Vogt",
        "lena.vogt@example.net",
        1500,
        at=0.45,
        public=True,
        message="Thank you for the guide to scanning negatives at home.",
        refunded=True,
    ),
    Gift(
        "Aiko Tanabe",
        "aiko.tanabe@example.com",
        500,
        monthly=True,
        at=0.55,
        public=True,
        message="Gone monthly after the X100 retrospective. Mine is scuffed, loved and going "
        "nowhere.",
    ),
    Gift("Declan Moss", "declan.moss@example.org", 300, at=0.65),
    Gift(
        "Bea Castellanos",
        "bea.castellanos@example.net",
        500,
        at=0.75,
        public=True,
        message="For the cameras you lend to new writers. Someone lent me mine once.",
    ),
    Gift(
        "Ruth Achterberg",
        "ruth.achterberg@example.com",
        500,
        at=0.85,
        public=True,
        message="I bought my first rangefinder because of the M6 essay. My bank manager is "
        "less grateful than I am.",
        approved=False,
    ),
    Gift("Joel Fairbairn", "joel.fairbairn@example.org", 5000, at=0.9),
]


def seed_donations() -> int:
    """The demo's gifts (and, on a demo without any yet, its monthly goal). Returns how many
    gifts are new."""
    if settings.DONATIONS_PROVIDER != "dev":
        return 0
    fresh = not Donation.objects.exists()
    now = timezone.now()
    made = sum(seed_gift(gift, now=now) for gift in GIFTS)
    site = SiteSettings.current()
    if fresh and made and site.donation_goal == 0:
        site.donation_goal = GOAL
        site.save(update_fields=["donation_goal"])
    return made


def moment(share: float, *, last_month: bool, now: datetime) -> datetime:
    """`share` of the way through last month, or through this month's days so far."""
    this_month = month_start(now)
    if last_month:
        start = month_start(this_month - timedelta(days=1))
        return start + (this_month - start) * share
    return this_month + (now - this_month) * share


def seed_gift(gift: Gift, *, now: datetime) -> bool:
    if Donation.objects.for_email(gift.email).exists():
        return False
    currency = settings.DONATIONS_CURRENCIES[0]
    origin = settings.SITE_URL
    donation, _ = services.start_donation(
        kind=Donation.Kind.MONTHLY if gift.monthly else Donation.Kind.ONE_OFF,
        amount=gift.amount,
        currency=currency,
        name=gift.name,
        email=gift.email,
        message=gift.message,
        public=gift.public,
        success_url=origin + unquote(reverse("donations:thanks", args=["{donation}"])),
        cancel_url=origin + reverse("donations:support") + "?cancelled={donation}",
    )
    paid_at = moment(gift.at, last_month=gift.last_month, now=now)
    Donation.objects.filter(pk=donation.pk).update(created_at=paid_at - timedelta(minutes=3))
    for event in providers.dev_payment_events(donation, checkout_id=donation.checkout_id):
        deliver(event, at=paid_at)
    donation.refresh_from_db()
    later = moment(gift.at, last_month=False, now=now)
    if gift.monthly and gift.last_month and not gift.cancelled:
        deliver(providers.dev_renewal_event(donation), at=later)
    if gift.cancelled:
        deliver(providers.dev_cancel_event(donation), at=later)
    if gift.refunded:
        refund = providers.dev_refund_event(donation.payments.get())
        deliver(refund, at=min(paid_at + timedelta(hours=2), now))
    if donation.message_status == Donation.Message.WAITING and gift.approved:
        # What an editor's "Approve message" in the admin does.
        Donation.objects.filter(pk=donation.pk).set_message_status(Donation.Message.APPROVED)
    return True


def deliver(event: dict, *, at: datetime) -> None:
    """Take in one of the dev provider's events, dated `at` in the story, as the webhook does
    (signed, verified, stored once), and act on it and on any event that waited for it."""
    stamp = int(at.timestamp())
    event["created"] = stamp
    obj = event["data"]["object"]
    if obj["object"] == "invoice":
        obj["status_transitions"]["paid_at"] = stamp
    elif obj["object"] == "subscription":
        obj["canceled_at"] = stamp
    body = json.dumps(event).encode()
    stored = services.receive_event(
        provider=providers.DevProvider.name,
        body=body,
        headers={providers.DEV_SIGNATURE_HEADER: providers.dev_sign(body)},
    )
    services.process_event(stored.pk)
    services.retry_waiting_events()
