"""Gifts to the magazine, the payments that make them, and the provider events that say so.

A `Donation` is what a reader chose on `/support/`: an amount in minor units (pence, cents) and
a currency, one-off or monthly. It is confirmed only by its provider's webhook, never by the
reader's return from checkout. Each charge that succeeds is a `Payment` with its own receipt:
one for a one-off gift, one a month for a monthly one. Every webhook the site verifies is kept
as a `WebhookEvent`, unique per provider and event id, so a redelivered event changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone


class Currency(models.TextChoices):
    GBP = "GBP", "Pounds sterling (£)"
    EUR = "EUR", "Euros (€)"
    USD = "USD", "US dollars ($)"


SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def format_amount(minor: int, currency: str) -> str:
    """£5, £5.50, €12, $1,000: whole amounts without pence, thousands separated."""
    symbol = SYMBOLS.get(currency.upper(), currency.upper() + " ")
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{symbol}{whole:,}" + (f".{cents:02d}" if cents else "")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def month_start(when: datetime | None = None) -> datetime:
    """Midnight on the first day of `when`'s month (now by default), in the site's time zone."""
    local = timezone.localtime(when or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(when: datetime | None = None) -> datetime:
    start = month_start(when)
    return month_start(start + timedelta(days=32))


class DonationQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(email=normalise_email(email))

    def monthly(self):
        return self.filter(kind=Donation.Kind.MONTHLY)

    def manageable(self):
        """Monthly gifts that are running: what a donor's manage link shows."""
        return self.monthly().filter(status=Donation.Status.ACTIVE)

    def with_public_message(self):
        """Gifts whose donors asked to be thanked publicly and left a message: the only ones
        whose message an editor can approve or decline."""
        return self.filter(public=True).exclude(message="")

    def set_message_status(self, status: str) -> int:
        """Approve or decline the messages of these gifts that can be (see
        `with_public_message`). Returns how many changed."""
        return (
            self.with_public_message().exclude(message_status=status).update(message_status=status)
        )

    def supporters(self):
        """Who is thanked on `/support/supporters/`: donors who asked to be, with a gift that
        went through and was not refunded, newest first."""
        kept = Payment.objects.filter(donation=OuterRef("pk"), refunded_amount__lt=F("amount"))
        return self.filter(
            Exists(kept),
            public=True,
            status__in=[Donation.Status.PAID, Donation.Status.ACTIVE, Donation.Status.CANCELLED],
            first_paid_at__isnull=False,
        ).order_by("-first_paid_at")


class Donation(models.Model):
    class Kind(models.TextChoices):
        ONE_OFF = "one_off", "One-off"
        MONTHLY = "monthly", "Monthly"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for payment"  # at the checkout, or confirming
        PAID = "paid", "Paid"  # a one-off gift that went through
        ACTIVE = "active", "Monthly, active"
        CANCELLED = "cancelled", "Monthly, cancelled"
        FAILED = "failed", "Payment failed"
        ABANDONED = "abandoned", "Left at the checkout"
        REFUNDED = "refunded", "Refunded"

    class Message(models.TextChoices):
        NONE = "none", "No message"
        WAITING = "waiting", "Waiting for an editor"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Not shown"

    provider = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.ONE_OFF)
    amount = models.PositiveIntegerField(help_text="In minor units: pence, cents.")
    currency = models.CharField(max_length=3, choices=Currency, default=Currency.GBP)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    name = models.CharField(max_length=100)
    email = models.EmailField()
    message = models.TextField(blank=True)
    public = models.BooleanField(
        "thank publicly",
        default=False,
        help_text="The donor asked to be named on the supporters page.",
    )
    message_status = models.CharField(
        "message on the supporters page",
        max_length=10,
        choices=Message,
        default=Message.NONE,
        help_text="A message is shown beside the name only once an editor approves it.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
    )
    network = models.GenericIPAddressField(null=True, blank=True)
    # The provider's names for this gift: its checkout session, its customer and, for a
    # monthly gift, its subscription.
    checkout_id = models.CharField(max_length=255, blank=True)
    customer_id = models.CharField(max_length=255, blank=True)
    subscription_id = models.CharField(max_length=255, blank=True)
    failure = models.CharField(
        max_length=255, blank=True, help_text="Why the last payment failed, as the provider put it."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    first_paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = DonationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "checkout_id"],
                condition=~Q(checkout_id=""),
                name="donation_unique_checkout",
            ),
            models.UniqueConstraint(
                fields=["provider", "subscription_id"],
                condition=~Q(subscription_id=""),
                name="donation_unique_subscription",
            ),
        ]
        indexes = [models.Index(fields=["email", "created_at"], name="donation_email")]

    def __str__(self):
        every = " a month" if self.is_monthly else ""
        return f"{self.amount_display}{every} from {self.name}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def move_to(self, status: str) -> bool:
        """Take `status` if the gift may go there from where it is (see MOVES), without
        saving; returns whether it moved. Events arrive in any order, so a late one never
        undoes a cancellation or a refund, and a payment that arrives after the checkout was
        given up still counts."""
        if status == self.status or status not in MOVES.get(self.status, ()):
            return False
        self.status = status
        return True

    @property
    def is_monthly(self) -> bool:
        return self.kind == self.Kind.MONTHLY

    @property
    def amount_display(self) -> str:
        return format_amount(self.amount, self.currency)

    @property
    def is_confirmed(self) -> bool:
        """The provider has told us the money came (the return page's "Thank you")."""
        return self.first_paid_at is not None

    @property
    def shows_message(self) -> bool:
        return bool(self.message) and self.message_status == self.Message.APPROVED


_S = Donation.Status
# Where a gift may go from each status. A refund ends a one-off gift; a monthly gift's refunded
# months are facts on its payments, and the gift runs (or is cancelled) as before.
MOVES = {
    _S.PENDING: {_S.PAID, _S.ACTIVE, _S.FAILED, _S.ABANDONED},
    _S.FAILED: {_S.PAID, _S.ACTIVE, _S.ABANDONED},
    _S.ABANDONED: {_S.PAID, _S.ACTIVE},
    _S.PAID: {_S.REFUNDED},
    _S.ACTIVE: {_S.CANCELLED},
    _S.CANCELLED: set(),
    _S.REFUNDED: set(),
}


class PaymentQuerySet(models.QuerySet):
    def in_month(self, when: datetime | None = None):
        return self.filter(paid_at__gte=month_start(when), paid_at__lt=next_month_start(when))

    def net_total(self, currency: str) -> int:
        """What these payments brought in `currency`, refunds taken off, in minor units."""
        totals = self.filter(currency=currency).aggregate(
            paid=Coalesce(Sum("amount"), 0), refunded=Coalesce(Sum("refunded_amount"), 0)
        )
        return totals["paid"] - totals["refunded"]


class Payment(models.Model):
    """One charge that went through: the one of a one-off gift, or one month of a monthly
    gift. `provider_id` is the provider's name for it (a payment intent for a one-off gift, an
    invoice for a month); `charge_id` what a refund names, when it differs."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="payments")
    provider_id = models.CharField(max_length=255)
    charge_id = models.CharField(max_length=255, blank=True)
    amount = models.PositiveIntegerField(help_text="In minor units: pence, cents.")
    currency = models.CharField(max_length=3, choices=Currency)
    paid_at = models.DateTimeField(db_index=True)
    refunded_amount = models.PositiveIntegerField(default=0, help_text="In minor units.")
    refunded_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_at"]
        constraints = [
            models.UniqueConstraint(fields=["donation", "provider_id"], name="payment_unique"),
        ]

    def __str__(self):
        return f"{self.receipt_number}: {self.amount_display}"

    @property
    def receipt_number(self) -> str:
        return f"FG-{timezone.localtime(self.paid_at):%Y}-{self.pk:06d}"

    @property
    def amount_display(self) -> str:
        return format_amount(self.amount, self.currency)

    @property
    def is_refunded(self) -> bool:
        return self.refunded_amount >= self.amount


class WebhookEvent(models.Model):
    """A verified event from a provider, stored once (unique per provider and id) before it is
    processed by a task."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        WAITING = "waiting", "Waiting for an earlier event"
        IGNORED = "ignored", "Not one we act on"
        FAILED = "failed", "Failed"

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once"),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="webhook_event_status")]

    def __str__(self):
        return f"{self.provider} {self.type} {self.event_id}"


class LinkRequest(models.Model):
    """ "Email me my link" sent: the limits per network and per address count these."""

    email = models.EmailField()
    network = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.email} at {self.at:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class MonthGoal:
    """This month's gifts against the goal set in Site settings, in the first currency (minor
    units): what the Support page and the admin's totals both show."""

    goal: int
    raised: int
    currency: str

    @classmethod
    def now(cls, goal_units: int) -> "MonthGoal":
        currency = (settings.DONATIONS_CURRENCIES or [Currency.GBP])[0]
        goal = goal_units * 100
        raised = Payment.objects.in_month().net_total(currency) if goal else 0
        return cls(goal=goal, raised=raised, currency=currency)

    @property
    def percent(self) -> int:
        return min(100, max(0, self.raised * 100 // self.goal)) if self.goal else 0

    @property
    def goal_display(self) -> str:
        return format_amount(self.goal, self.currency)

    @property
    def raised_display(self) -> str:
        return format_amount(self.raised, self.currency)
