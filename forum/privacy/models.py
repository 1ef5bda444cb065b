"""The privacy tools' own records: the links mailed to guests, and the log of every export and
erasure.

Neither keeps an address longer than it must. A `GuestLink` holds the address it was mailed to
until the link expires (`forget_old_ip_addresses` deletes it after that, and an erasure at
once). A `PrivacyRequest` never holds the address: only a keyed hash of it (`address_hash`), so
staff can check whether an address was erased without the log keeping what was erased.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from forum.comments.models import account_field, normalize_email

# How long a link mailed to a guest opens their data.
LINK_LIFETIME = timedelta(hours=24)


def address_hash(email: str) -> str:
    """The log's name for an address: keyed with the site's secret, so the log cannot be
    turned back into addresses by hashing a list of them without the secret."""
    return salted_hmac(
        "forum.privacy.address", normalize_email(email), algorithm="sha256"
    ).hexdigest()


class GuestLink(models.Model):
    """A guest asked for a link to their data: mailed to `email`; the rate limits per network
    and per address count these rows."""

    email = models.EmailField()
    network = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["network", "at"], name="privacy_link_network"),
            models.Index(fields=["email", "at"], name="privacy_link_email"),
        ]

    def __str__(self):
        return f"Link asked for at {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_expired(self) -> bool:
        return self.at < timezone.now() - LINK_LIFETIME


class PrivacyRequest(models.Model):
    """One export or erasure, by whom and how: the record the magazine keeps of having
    answered a request about personal data."""

    class Action(models.TextChoices):
        EXPORT = "export", "Export"
        ERASURE = "erasure", "Erasure"

    class Via(models.TextChoices):
        MEMBER = "member", "The member, signed in"
        LINK = "link", "A link mailed to the address"
        STAFF = "staff", "Staff, in the admin"

    class Comments(models.TextChoices):
        ANONYMISE = "anonymise", "Anonymised"
        REMOVE = "remove", "Removed"

    action = models.CharField(max_length=10, choices=Action)
    via = models.CharField("asked through", max_length=10, choices=Via)
    address_hash = models.CharField(
        max_length=64,
        db_index=True,
        help_text="A keyed hash of the address, never the address: search with the address.",
    )
    by = account_field(help_text="The staff member who did it; empty for the person.")
    comments = models.CharField(
        "their comments", max_length=10, choices=Comments, blank=True, help_text="Erasures only."
    )
    counts = models.JSONField(default=dict, blank=True, help_text="What was found or changed.")
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "privacy request"
        permissions = [
            ("handle_privacy_requests", "Can export and erase the data of an email address"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.get_via_display().lower()})"
