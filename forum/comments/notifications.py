"""Telling moderators about held comments, by email through the task queue."""

from datetime import timedelta

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.tasks import default_task_backend, task
from django.urls import reverse
from django.utils import timezone

from forum.core.mail import send_email
from forum.site_settings.models import ModeratorEmail, SiteSettings

from .models import Comment

DIGEST_DELAY = timedelta(hours=1)


def announce_held_comment(comment: Comment, *, settings: SiteSettings) -> None:
    """Queue the moderators' email about a comment just held (after the post commits)."""
    if settings.moderator_email == ModeratorEmail.IMMEDIATE:
        email_moderators.enqueue(comment_ids=[comment.pk])
    elif settings.moderator_email == ModeratorEmail.HOURLY:
        waiting = Comment.objects.filter(status=Comment.Status.PENDING, moderators_told=None)
        if waiting.exclude(pk=comment.pk).exists():
            return  # the digest for the earlier ones is already queued and will include it
        digest = email_moderators
        if default_task_backend.supports_defer:
            digest = email_moderators.using(run_after=timezone.now() + DIGEST_DELAY)
        digest.enqueue(comment_ids=None)


def moderator_addresses() -> list[str]:
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name="Moderators"), is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


@task
def email_moderators(comment_ids: list[int] | None) -> int:
    """Email every moderator about held comments not announced yet: the ones given, or all of
    them (the hourly digest). Returns how many comments the email named."""
    held = Comment.objects.filter(status=Comment.Status.PENDING, moderators_told=None)
    if comment_ids is not None:
        held = held.filter(pk__in=comment_ids)
    held = list(held.select_related("article", "user").order_by("created", "pk")[:100])
    to = moderator_addresses()
    if not held or not to:
        return 0
    admin = django_settings.SITE_URL
    queue_url = admin + reverse("admin:comments_comment_changelist") + "?status=pending"
    items = [
        {
            "comment": comment,
            "url": admin + reverse("admin:comments_comment_change", args=[comment.pk]),
        }
        for comment in held
    ]
    send_email(
        "held_comments",
        to=to,
        context={"items": items, "queue_url": queue_url, "total": len(items)},
    )
    Comment.objects.filter(pk__in=[comment.pk for comment in held]).update(
        moderators_told=timezone.now()
    )
    return len(held)
