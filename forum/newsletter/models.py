"""Who receives which newsletter, what was sent and to whom.

A `Subscriber` is one address. A `Subscription` joins it to one `Newsletter` and moves between
pending, confirmed and unsubscribed; every move goes through `SubscriptionQuerySet.set_status`,
which records it with its source (`SubscriptionChange`). An `Issue` about to be sent is frozen
into one `Delivery` per confirmed subscriber: those rows are the ledger that lets a sender that
died resume with nobody skipped and nobody sent twice (see sending.py).
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from forum.core.html import render_markdown


def new_key() -> str:
    return secrets.token_urlsafe(16)


class Source(models.TextChoices):
    """Where a change of subscription came from: the consent record."""

    FORM = "form", "Sign-up form"
    LINK = "link", "Confirmation link"
    ACCOUNT = "account", "Member's account page"
    ONE_CLICK = "one-click", "One-click unsubscribe"
    PREFERENCES = "preferences", "Preference page"
    ADMIN = "admin", "Staff, in the admin"
    BOUNCE = "bounce", "Bounce or complaint"
    IMPORT = "import", "Import"
    PURGE = "purge", "Never confirmed (purged)"


DEFAULT_DESCRIPTION_KEY = "newsletter:default-description"
DEFAULT_DESCRIPTION_SECONDS = 300


class NewsletterQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Newsletter(models.Model):
    """One list readers can join. The first public one (by position) is the default, which
    the footer and article forms subscribe to."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(
        max_length=300,
        help_text="What arrives and how often, shown beside the sign-up form.",
    )
    is_public = models.BooleanField(
        "offered to readers",
        default=True,
        help_text="Shown on the sign-up and preference pages. Untick for a list that staff "
        "fill themselves.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower comes first; the first offered one is the default."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(DEFAULT_DESCRIPTION_KEY)

    def delete(self, *args, **kwargs):
        cache.delete(DEFAULT_DESCRIPTION_KEY)
        return super().delete(*args, **kwargs)

    @classmethod
    def default(cls) -> "Newsletter | None":
        return cls.objects.public().first()

    @classmethod
    def default_description(cls) -> str | None:
        """What the default newsletter sends and how often (None if none is offered), for
        the footer of every page: from the cache, which saving or deleting any newsletter
        clears (in this process at once; other workers' local caches within five minutes)."""
        cached = cache.get(DEFAULT_DESCRIPTION_KEY)
        if cached is None:
            newsletter = cls.default()
            cached = (newsletter.description if newsletter else None,)
            cache.set(DEFAULT_DESCRIPTION_KEY, cached, DEFAULT_DESCRIPTION_SECONDS)
        return cached[0]


class SubscriberQuerySet(models.QuerySet):
    def with_email(self, email: str):
        return self.filter(email=normalise_email(email))


def normalise_email(email: str) -> str:
    return email.strip().lower()


class Subscriber(models.Model):
    """One address, whatever it subscribes to. `status` says whether mail may go to it at all:
    a hard bounce or a complaint stops everything."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained"

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscribers",
        help_text="The member this address belongs to, if any.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    soft_bounces = models.PositiveSmallIntegerField(
        default=0, help_text="Temporary failures since the last delivered issue."
    )
    confirm_key = models.CharField(
        max_length=32,
        default=new_key,
        editable=False,
        help_text="Makes each confirmation link work once: changed when it is used.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def can_receive(self) -> bool:
        return self.status == self.Status.ACTIVE


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscription.Status.CONFIRMED)

    def set_status(self, status: str, *, source: str, network: str | None = None, note: str = ""):
        """The only way a subscription's status changes: each row that changes gets a
        `SubscriptionChange`. Rows already in `status` are left alone (and unrecorded).
        Returns the subscriptions that changed."""
        now = timezone.now()
        with transaction.atomic():
            changing = list(self.select_for_update().exclude(status=status))
            for subscription in changing:
                subscription.changes.create(
                    previous=subscription.status,
                    status=status,
                    source=source,
                    network=network,
                    note=note[:300],
                    at=now,
                )
            if changing:
                fields = {"status": status, "changed_at": now}
                if status == Subscription.Status.CONFIRMED:
                    fields["confirmed_at"] = now
                Subscription.objects.filter(pk__in=[s.pk for s in changing]).update(**fields)
        return changing


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="one_subscription_per_newsletter"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"], name="subscription_audience")]

    def __str__(self):
        return f"{self.subscriber} → {self.newsletter}"


class SubscriptionChange(models.Model):
    """One change of one subscription, with where it came from: the consent record."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="changes")
    previous = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=12, choices=Subscription.Status)
    source = models.CharField(max_length=12, choices=Source)
    network = models.GenericIPAddressField(
        null=True, blank=True, help_text="The network the change came from, not the reader."
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.previous or 'new'} → {self.status} ({self.get_source_display()})"


class SignupAttempt(models.Model):
    """A sign-up form sent: the rate limits per network and per address count these. Rows
    older than a day are deleted by `services.purge_unconfirmed`."""

    email = models.EmailField()
    network = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["network", "at"], name="signup_attempt_network"),
            models.Index(fields=["email", "at"], name="signup_attempt_email"),
        ]

    def __str__(self):
        return f"{self.email} at {self.at:%Y-%m-%d %H:%M}"


class IssueQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=Issue.Status.SENT)


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    subject = models.CharField(max_length=150)
    intro = models.TextField(
        blank=True,
        help_text="Markdown. The editor's letter at the top of the issue. Readers whose name "
        "we know are greeted first (“Hello Ana,”), so the letter need not open with one.",
    )
    intro_html = models.TextField(editable=False, blank=True)
    articles = models.ManyToManyField(
        "articles.Article",
        blank=True,
        related_name="newsletter_issues",
        help_text="Listed under the letter, newest first, with title, standfirst and picture.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    send_at = models.DateTimeField(
        null=True, blank=True, help_text="When a scheduled issue goes out."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        self.intro_html = render_markdown(self.intro)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsletter:issue", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.SCHEDULED}


class Delivery(models.Model):
    """One issue to one subscriber: the sending ledger. Made when the audience is frozen,
    unique per issue and subscriber, and moved on as the sender works."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Handed to the mail server"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        CANCELLED = "cancelled", "Cancelled"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_per_issue")
        ]
        indexes = [models.Index(fields=["issue", "status", "id"], name="delivery_ledger")]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"
