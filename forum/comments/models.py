import ipaddress

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from forum.articles.models import Article
from forum.core.html import render_comment


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def refresh_article(self, article_id: int) -> None:
        """Store the article's published-comment count and move its version on.

        The version keys the cached thread, so every change to a comment calls this.
        """
        count = (
            Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.APPROVED)
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        with transaction.atomic():
            # Lock the article first: on PostgreSQL the count is then taken after any other
            # writer has committed, so two comments published at once are both counted.
            list(Article.objects.select_for_update().filter(pk=article_id).values_list("pk"))
            Article.objects.filter(pk=article_id).update(
                comment_count=Coalesce(Subquery(count), 0),
                comment_version=F("comment_version") + 1,
            )


class Comment(models.Model):
    """A reader's comment on an article, at some depth of a thread.

    `thread` is the top-level comment the comment belongs to (itself, for a top-level
    comment), so one page of threads loads in one query.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(Article, related_name="comments", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="replies", on_delete=models.CASCADE
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    depth = models.PositiveSmallIntegerField(default=1, help_text="1 for a top-level comment.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="comments",
        on_delete=models.SET_NULL,
        help_text="Empty for a guest.",
    )
    name = models.CharField(max_length=80, help_text="As given when posting.")
    email = models.EmailField(help_text="Never shown to readers. Stored in lower case.")
    website = models.URLField(max_length=300, blank=True)
    body = models.TextField(help_text="As written: plain text with a little Markdown.")
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    status_reasons = models.JSONField(
        default=list, blank=True, help_text="Why the comment has its status."
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    edited = models.DateTimeField(null=True, blank=True)
    deleted = models.DateTimeField(
        null=True, blank=True, help_text="When its writer deleted it; replies keep their place."
    )
    ip = models.GenericIPAddressField(
        null=True, blank=True, help_text="Truncated: IPv4 to /24, IPv6 to /48."
    )
    user_agent = models.CharField(max_length=300, blank=True)
    token = models.UUIDField(
        null=True, blank=True, unique=True, editable=False, help_text="One per form shown."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            # Top-level comments of an article in id order: paging and permalinks.
            models.Index(fields=["article", "parent"], name="comment_article_parent"),
            models.Index(fields=["thread", "status"], name="comment_thread_status"),
            models.Index(fields=["email", "status"], name="comment_email_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__gte=1), name="comment_depth_positive"),
        ]

    def __str__(self):
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"

    def save(self, *args, update_fields=None, **kwargs):
        self.email = normalize_email(self.email)
        if update_fields is None or "body" in update_fields:
            self.body_html = render_comment(self.body)
            if update_fields is not None:
                update_fields = {*update_fields, "body_html"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("comments:permalink", args=[self.pk])

    @property
    def author_name(self) -> str:
        if self.user_id and self.user:
            return self.user.public_name
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    def editable_until(self, *, edit_window):
        return self.created + edit_window

    def set_status(self, status: str, *, by=None, reason: str = "") -> None:
        """Move to `status` and log the decision (by a person, or by the system if `by` is
        None); update the article's count and cache version."""
        with transaction.atomic():
            old = self.status
            self.status = status
            if reason:
                self.status_reasons = [*self.status_reasons, reason]
            self.save(update_fields=["status", "status_reasons"])
            AuditEntry.objects.create(
                comment=self, actor=by, old_status=old, new_status=status, reason=reason
            )
            Comment.objects.refresh_article(self.article_id)

    def approve(self, *, by=None, reason: str = "") -> None:
        self.set_status(self.Status.APPROVED, by=by, reason=reason)


class AuditEntry(models.Model):
    """One moderation decision: who (a person, or the system at post time), what, when, why."""

    comment = models.ForeignKey(Comment, related_name="audit_entries", on_delete=models.CASCADE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text="Empty when the system decided, by the rules at post time.",
    )
    old_status = models.CharField(
        max_length=10, choices=Comment.Status, blank=True, help_text="Empty for a new comment."
    )
    new_status = models.CharField(max_length=10, choices=Comment.Status)
    reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log entries"

    def __str__(self):
        return f"{self.actor_name}: {self.old_status or 'new'} → {self.new_status}"

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id else "system"


def normalize_email(address: str) -> str:
    """One spelling per address, so finding a returning commenter is an index lookup."""
    return address.strip().lower()


def truncate_ip(address: str | None) -> str | None:
    """Keep the network, not the reader: IPv4 to /24, IPv6 to /48."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
