"""Telling moderators about held comments, by email through the task queue."""

from datetime import timedelta
from itertools import batched

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.tasks import default_task_backend, task
from django.urls import reverse
from django.utils import timezone

from forum.core.mail import send_email
from forum.site_settings.models import ModeratorEmail, SiteSettings

from .models import Comment

DIGEST_DELAY = timedelta(hours=1)
DIGEST_QUEUED = "comments:moderator-digest-queued"
DIGEST_LIMIT = 100  # comments named in one email; the rest are counted, with the queue's link


def announce_held_comments(comment_ids: list[int]) -> None:
    """Queue the moderators' email about comments just sent to the queue: held at post time,
    hidden by reader reports, or edited into needing a look. Called once the change commits."""
    settings = SiteSettings.current()
    if settings.moderator_email == ModeratorEmail.IMMEDIATE:
        email_moderators.enqueue(comment_ids=comment_ids)
    elif settings.moderator_email == ModeratorEmail.HOURLY:
        if not default_task_backend.supports_defer:
            # This backend runs tasks at once (development, tests): nothing to wait for.
            email_moderators.enqueue(comment_ids=None)
            return
        # One digest queued at a time, whichever request holds a comment first. The flag lasts
        # until the digest runs (which also clears it), and the digest names every comment held
        # meanwhile. Asking the database instead ("is another held comment waiting?") misses
        # comments held at the same moment, and stalls for good once a digest fails.
        if cache.add(DIGEST_QUEUED, True, timeout=DIGEST_DELAY.total_seconds()):
            email_moderators.using(run_after=timezone.now() + DIGEST_DELAY).enqueue(
                comment_ids=None
            )


def moderator_addresses() -> list[str]:
    """Superusers and the Moderators group, if they can sign in to the admin to act."""
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name="Moderators"), is_active=True, is_staff=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


@task
def email_moderators(comment_ids: list[int] | None) -> int:
    """Email every moderator about held comments not announced yet: the ones given, or all of
    them (the hourly digest). The email names the first `DIGEST_LIMIT` and counts the rest, and
    all of them count as announced. Returns how many comments the email announced."""
    if comment_ids is None:
        cache.delete(DIGEST_QUEUED)  # comments held from now on need the next digest
    held = Comment.objects.filter(status=Comment.Status.PENDING, moderators_told=None)
    if comment_ids is not None:
        held = held.filter(pk__in=comment_ids)
    held_ids = list(held.order_by("created", "pk").values_list("pk", flat=True))
    to = moderator_addresses()
    if not held_ids or not to:
        return 0
    named = Comment.objects.filter(pk__in=held_ids[:DIGEST_LIMIT]).order_by("created", "pk")
    admin = django_settings.SITE_URL
    queue_url = admin + reverse("admin:comments_comment_changelist") + "?status=pending"
    items = [
        {
            "comment": comment,
            "url": admin + reverse("admin:comments_comment_change", args=[comment.pk]),
        }
        for comment in named.select_related("article", "user")
    ]
    # Sent here, then marked: a failed send leaves the comments for the next digest.
    send_email(
        "held_comments",
        to=to,
        from_a_task=True,
        context={
            "items": items,
            "queue_url": queue_url,
            "total": len(held_ids),
            "more": len(held_ids) - len(items),
        },
    )
    now = timezone.now()
    for batch in batched(held_ids, 500, strict=False):  # a long queue in a few bounded statements
        Comment.objects.filter(pk__in=batch, moderators_told=None).update(moderators_told=now)
    return len(held_ids)
