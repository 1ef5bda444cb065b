"""Who may get reader mail, about what, and what each was already told.

A `Recipient` is an address that may get notifications: a member's (by account: the address
follows their verified email) or a guest's (by email, mailed only once it is confirmed). Its
switches say which kinds they want. `Follow` is a discussion they follow; `Notice` is the
ledger that makes every notification about one comment go to one reader at most once.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.articles.models import Article
from forum.comments.models import Comment, normalize_email


class Kind(models.TextChoices):
    """The kinds of reader mail, each a switch on `Recipient` of the same name."""

    REPLIES = "replies", "Replies to my comments"
    APPROVALS = "approvals", "My held comments published"
    FOLLOWING = "following", "New comments in discussions I follow"


class Recipient(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        help_text="A member: mail goes to their verified address.",
    )
    email = models.EmailField(
        null=True, blank=True, unique=True, help_text="A guest: stored in lower case."
    )
    confirmed = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the guest confirmed the address; nothing is mailed to it before.",
    )
    confirmation_sent = models.DateTimeField(null=True, blank=True, editable=False)
    replies = models.BooleanField(Kind.REPLIES.label, default=True)
    approvals = models.BooleanField(Kind.APPROVALS.label, default=True)
    following = models.BooleanField(Kind.FOLLOWING.label, default=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, email__isnull=True)
                | Q(user__isnull=True, email__isnull=False),
                name="recipient_member_or_guest",
            )
        ]

    def __str__(self):
        return self.email or str(self.user)

    def save(self, *args, **kwargs):
        """Turning "following" back on, by any route, does not send what came while it was
        off: each followed discussion starts again after its latest comment."""
        fields = kwargs.get("update_fields")
        back_on = (
            self.following
            and self.pk is not None
            and (fields is None or "following" in fields)
            and Recipient.objects.filter(pk=self.pk, following=False).exists()
        )
        super().save(*args, **kwargs)
        if back_on:
            latest = Comment.objects.filter(article_id=OuterRef("article_id")).order_by("-pk")
            self.follows.update(after=Coalesce(Subquery(latest.values("pk")[:1]), F("after")))

    @classmethod
    def for_member(cls, user) -> "Recipient":
        return cls.objects.get_or_create(user=user)[0]

    @classmethod
    def for_guest(cls, email: str) -> "Recipient":
        return cls.objects.get_or_create(email=normalize_email(email))[0]

    @property
    def is_member(self) -> bool:
        return self.user_id is not None

    def wants(self, kind: str) -> bool:
        return getattr(self, Kind(kind).value)

    def address(self) -> str | None:
        """Where mail may go now: a guest's address once confirmed; a member's address if
        the account is active and allauth verified that address. None: send nothing."""
        return addresses([self]).get(self.pk)

    def stop(self, kinds=None) -> None:
        """Turn off the kinds given (all of them by default)."""
        for kind in kinds or Kind.values:
            setattr(self, kind, False)
        self.save(update_fields=list(kinds or Kind.values))


class Follow(models.Model):
    """A reader follows an article's discussion: an hourly digest of its new comments."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="follows")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now, editable=False)
    after = models.PositiveBigIntegerField(
        default=0, editable=False, help_text="Comments with a higher id are news to them."
    )
    last_sent = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the address's owner confirmed it: a guest's box ticked on the comment "
        "form waits (no digest) until the confirmation mail's button is pressed.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "article"], name="follow_once")]
        indexes = [models.Index(fields=["article", "last_sent"], name="follow_article_sent")]

    def __str__(self):
        return f"{self.recipient} follows {self.article}"


class Notice(models.Model):
    """One address told about one comment: the row is taken before the mail is queued, and it
    is unique, so nobody hears twice about a comment, whatever kind of mail would name it, and
    whether they are known as a guest, a member or both."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="notices")
    address = models.EmailField(help_text="Where the mail went, in lower case.")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind)
    created = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "comment"], name="notice_once_per_address")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.recipient}"


class LinkRequest(models.Model):
    """Someone asked for a link to be mailed to an address: the follow form, or a guest's
    "Notify me" that needs confirming. The rate limits count these rows (per network, and
    the mail each address may get in a day); `notifications_housekeeping` deletes them after
    a day."""

    address = models.EmailField()
    network = models.GenericIPAddressField(null=True, blank=True)
    mailed = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["network", "at"], name="link_request_network"),
            models.Index(fields=["address", "at"], name="link_request_address"),
        ]

    def __str__(self):
        return f"{self.address} at {self.at:%Y-%m-%d %H:%M}"


def addresses(recipients) -> dict[int, str]:
    """Each recipient's address that mail may go to now (see `Recipient.address`), by id;
    recipients who may get nothing are left out. One query for all the members."""
    from allauth.account.models import EmailAddress

    found = {r.pk: r.email for r in recipients if not r.is_member and r.confirmed}
    members = {r.user_id: r for r in recipients if r.is_member and r.user.is_active}
    if not members:
        return found
    verified = EmailAddress.objects.filter(user_id__in=members, verified=True).values_list(
        "user_id", "email"
    )
    for user_id, address in verified:
        recipient = members[user_id]
        if address.lower() == recipient.user.email.lower():
            found[recipient.pk] = address.lower()
    return found
