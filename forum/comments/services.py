"""Workflows that span models: posting, editing and deleting a comment."""

import uuid
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from forum.site_settings.models import SiteSettings

from .models import AuditEntry, Comment, normalize_email, truncate_ip
from .moderation import CommentNotAllowed, Submission, moderate
from .notifications import announce_held_comment

__all__ = ["CommentNotAllowed", "submit_comment", "edit_comment", "delete_comment"]


def submit_comment(
    *,
    article,
    body: str,
    user=None,
    name: str = "",
    email: str = "",
    website: str = "",
    parent_id: int | None = None,
    token: uuid.UUID | None = None,
    ip: str | None = None,
    user_agent: str = "",
    form_issued: float | None = None,
    honeypot: str = "",
    settings: SiteSettings | None = None,
) -> Comment:
    """Place a new comment in its thread and run the moderation rules on it: it is published,
    held or marked as spam, or refused with `CommentNotAllowed` and not stored.

    Posting the same form twice (same `token`) returns the first comment instead of
    making a second.
    """
    settings = settings or SiteSettings.current()
    if token and (existing := Comment.objects.filter(token=token).first()):
        return existing
    if not article.accepts_comments(close_after_days=settings.close_comments_after_days):
        raise CommentNotAllowed("Comments on this article are closed.")
    member = user is not None and user.is_authenticated
    comment = Comment(
        article=article,
        body=body,
        user=user if member else None,
        name=(user.public_name if member else name)[:80],
        email=normalize_email(user.email if member else email),
        website="" if member else website,
        token=token,
        ip=truncate_ip(ip),
        user_agent=(user_agent or "")[:300],
    )
    if parent_id is not None:
        parent = (
            Comment.objects.filter(
                pk=parent_id, article=article, status=Comment.Status.APPROVED, deleted=None
            )
            .only("pk", "depth", "thread_id")
            .first()
        )
        if parent is None:
            raise CommentNotAllowed(
                "The comment you are replying to is no longer available. "
                "You can post yours as a new comment instead."
            )
        if parent.depth >= settings.comment_depth:
            raise CommentNotAllowed(
                "This conversation is as deep as replies can go here. "
                "Reply further up the thread or post a new comment."
            )
        comment.parent_id, comment.thread_id, comment.depth = (
            parent.pk,
            parent.thread_id,
            parent.depth + 1,
        )
    comment.render()
    verdict = moderate(
        comment,
        article=article,
        submission=Submission(ip=ip, form_issued=form_issued, honeypot=honeypot),
        settings=settings,
    )
    comment.status, comment.status_reasons = verdict.status, verdict.reasons
    try:
        with transaction.atomic():
            comment.save()
            if comment.thread_id is None:
                comment.thread_id = comment.pk
                Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
            AuditEntry.objects.create(
                comment=comment,
                action=AuditEntry.Action.POSTED,
                new_status=comment.status,
                reason="; ".join(verdict.reasons),
            )
            if comment.status == Comment.Status.APPROVED:
                Comment.objects.refresh_article(article.pk)
            elif comment.status == Comment.Status.PENDING:
                transaction.on_commit(partial(announce_held_comment, comment, settings=settings))
    except IntegrityError:
        # The same form posted twice at once: the other request stored it first.
        if token and (existing := Comment.objects.filter(token=token).first()):
            return existing
        raise
    return comment


def edit_comment(*, comment: Comment, body: str) -> Comment:
    with transaction.atomic():
        comment.body = body
        comment.edited = timezone.now()
        comment.save(update_fields=["body", "edited"])
        Comment.objects.refresh_article(comment.article_id)
    return comment


def delete_comment(*, comment: Comment) -> None:
    """The writer's delete: gone entirely, or a placeholder if replies hang from it."""
    with transaction.atomic():
        if comment.replies.exists():
            comment.body = ""
            comment.deleted = timezone.now()
            comment.status = Comment.Status.REMOVED
            comment.status_reasons = [*comment.status_reasons, "deleted by its writer"]
            comment.save(update_fields=["body", "deleted", "status", "status_reasons"])
        else:
            comment.delete()
        Comment.objects.refresh_article(comment.article_id)
