"""Workflows that span models: posting, editing, deleting and reporting a comment, and the
moderators' trust and bans."""

import ipaddress
import uuid
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import pluralize
from django.utils import timezone

from forum.core.locks import serialize
from forum.notifications.services import comment_posted, comments_published
from forum.site_settings.models import SiteSettings

from .models import (
    REPLY_GONE,
    STORED_PREFIX,
    AuditEntry,
    Ban,
    Comment,
    CommentNotAllowed,
    Report,
    TrustedCommenter,
    normalize_email,
    truncate_ip,
)
from .moderation import Submission, check_content, exempt, moderate
from .notifications import announce_held_comments

__all__ = [
    "CommentNotAllowed",
    "submit_comment",
    "edit_comment",
    "delete_comment",
    "report_comment",
    "trust_commenter",
    "ban_commenter",
]

GUEST_REPORTS_PER_HOUR = 5


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
    notify: bool = False,
    follow: bool = False,
    proven_email: str = "",
    settings: SiteSettings | None = None,
) -> Comment:
    """Place a new comment in its thread and run the moderation rules on it: it is published,
    held or marked as spam, or refused with `CommentNotAllowed` and not stored.

    `notify` (a guest's "Notify me of replies by email") and `follow` ("Notify me of new
    comments on this article") are what the writer asked for (forum.notifications);
    `proven_email` is the address the writer's browser proved it reads, if any.

    Posting the same form twice (same `token`) returns the first comment instead of
    making a second.
    """
    settings = settings or SiteSettings.current()
    # A form posted again (a double click, or Back and post) is not looked up first: the
    # flood and duplicate rules, or the unique token, stop it, and then it is found below.
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
        notify=notify and not member,
    )
    parent = None
    if parent_id is not None:
        parent = (
            Comment.objects.filter(pk=parent_id, article=article)
            .only("pk", "article_id", "depth", "thread_id", "status", "deleted")
            .first()
        )
        if parent is None:
            raise CommentNotAllowed(REPLY_GONE)
        parent.check_reply(depth_limit=settings.comment_depth)
    comment.place(parent)
    comment.render()
    try:
        verdict = moderate(
            comment,
            article=article,
            submission=Submission(ip=ip, form_issued=form_issued, honeypot=honeypot),
            settings=settings,
        )
    except CommentNotAllowed:
        # The same form sent twice at once: the other request stored it meanwhile, and the
        # flood or duplicate rule now sees it. The reader should land on their comment.
        if token and (existing := Comment.objects.filter(token=token).first()):
            return existing
        raise
    comment.status, comment.status_reasons = verdict.status, verdict.reasons
    try:
        with transaction.atomic():
            comment.save()
            AuditEntry.record_post(comment)
            if comment.status == Comment.Status.APPROVED:
                if comment.parent_id is None:
                    # A new thread: nothing of it is cached yet; it takes the next number.
                    Comment.objects.refresh_article(article.pk, published=1, threads=[])
                    Comment.objects.number_new_thread(comment)
                else:
                    Comment.objects.refresh_article(
                        article.pk, published=1, threads=[comment.thread_id]
                    )
                comments_published([comment.pk])
            elif comment.status == Comment.Status.PENDING:
                transaction.on_commit(partial(announce_held_comments, [comment.pk]))
            comment_posted(comment, notify=notify, follow=follow, proven=proven_email)
    except IntegrityError:
        # The same form posted twice at once: the other request stored it first.
        if token and (existing := Comment.objects.filter(token=token).first()):
            return existing
        raise
    return comment


def edit_comment(*, comment: Comment, body: str, settings: SiteSettings | None = None) -> Comment:
    """Change the text. The new text meets the rules about content again: a published comment
    edited to carry a blocked word becomes spam, and one given links or watched words goes
    back to the queue (and the moderators are told)."""
    settings = settings or SiteSettings.current()
    with transaction.atomic():
        comment.body = body
        comment.edited = timezone.now()
        comment.save(update_fields=["body", "edited"])
        verdict = check_content(comment, settings=settings)
        worse = verdict.status == Comment.Status.SPAM or (
            verdict.status == Comment.Status.PENDING and comment.is_public
        )
        if worse and not exempt(comment, article=comment.article):
            comment.set_status(verdict.status, reason="edited: " + "; ".join(verdict.reasons))
        else:
            Comment.objects.refresh_article(
                comment.article_id, published=0, threads=[comment.thread_id]
            )
    return comment


def delete_comment(*, comment: Comment, by=None) -> None:
    """The writer's delete (`by` is the member, or None for a guest): logged as a removal;
    the comment is then gone entirely, or leaves a placeholder if replies hang from it."""
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk).set_status(
            Comment.Status.REMOVED, by=by, reason="deleted by its writer"
        )
        if comment.replies.exists():
            comment.body = ""
            comment.deleted = timezone.now()
            comment.save(update_fields=["body", "deleted"])
        else:
            comment.delete()
        if not changed:
            Comment.objects.refresh_article(
                comment.article_id, published=0, threads=[comment.thread_id]
            )


def report_comment(
    *,
    comment: Comment,
    reason: str,
    note: str = "",
    user=None,
    ip: str | None = None,
    settings: SiteSettings | None = None,
) -> Report:
    """A reader reports a published comment. At the site's threshold of open reports the
    comment is hidden (back to pending) until a moderator decides.

    A member reports a comment once; a guest once per network, and at most
    GUEST_REPORTS_PER_HOUR times an hour. The checks run inside the transaction that stores
    the report, with the comment's row locked and a guest's network serialised, so reports
    sent at the same instant cannot all pass them.
    """
    settings = settings or SiteSettings.current()
    member = user is not None and user.is_authenticated
    ip = truncate_ip(ip)
    if not member and ip is None:
        raise CommentNotAllowed("Please sign in to report this comment.")
    with transaction.atomic():
        # FOR NO KEY UPDATE: a reply being stored meanwhile (whose foreign key takes a key-share
        # lock on this row at commit) is not made to wait, so the two cannot deadlock.
        comment = Comment.objects.select_for_update(no_key=True).get(pk=comment.pk)
        if not comment.is_public or comment.deleted:
            raise CommentNotAllowed(
                "This comment is no longer shown, so there is nothing to report."
            )
        if member and comment.user_id == user.pk:
            raise CommentNotAllowed("This is your own comment: you can edit or delete it instead.")
        if not member:
            serialize(f"guest-reports:{ip}")
            hour_ago = timezone.now() - timedelta(hours=1)
            sent = Report.objects.filter(user=None, ip=ip, created__gte=hour_ago).count()
            if sent >= GUEST_REPORTS_PER_HOUR:
                raise CommentNotAllowed(
                    f"Guests can send {GUEST_REPORTS_PER_HOUR} reports an hour from one "
                    "network. Please try again later, or sign in to report."
                )
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    comment=comment,
                    user=user if member else None,
                    ip=ip,
                    reason=reason,
                    note=note[:500],
                )
        except IntegrityError:
            # One report per member, or per guest network, on each comment.
            raise CommentNotAllowed(
                "You have already reported this comment. A moderator will look at it."
            ) from None
        Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
        comment.refresh_from_db(fields=["report_count"])
        if comment.report_count >= settings.report_threshold:
            comment.set_status(
                Comment.Status.PENDING,
                reason=f"hidden after {comment.report_count} reader "
                f"report{pluralize(comment.report_count)}",
                action=AuditEntry.Action.HIDDEN,
            )
    return report


def trust_commenter(*, comment: Comment, by) -> TrustedCommenter:
    """A moderator vouches for the commenter: their comments are published without waiting."""
    member = comment.user_id is not None
    with transaction.atomic():
        trust, created = TrustedCommenter.objects.get_or_create(
            user_id=comment.user_id if member else None,
            email="" if member else comment.email,
            defaults={"created_by": by},
        )
        if created:
            AuditEntry.objects.create(
                comment=comment,
                actor=by,
                action=AuditEntry.Action.TRUSTED,
                reason=f"{comment.author_name} trusted by {by}",
            )
    return trust


def ban_commenter(
    *,
    comment: Comment,
    by,
    email: bool = True,
    account: bool = True,
    network: bool = False,
    expires=None,
    reason: str = "",
    remove_comments: bool = False,
) -> list[Ban]:
    """Ban the writer of `comment` by the chosen means (an active ban that already does so is
    kept, not doubled); optionally remove all the comments the bans reach."""
    targets = []
    if email and comment.email:
        targets.append({"email": comment.email})
    if account and comment.user_id:
        targets.append({"user_id": comment.user_id})
    if network and comment.ip:
        address = ipaddress.ip_address(comment.ip)
        targets.append({"ip_range": f"{address}/{STORED_PREFIX[address.version]}"})
    bans = []
    with transaction.atomic():
        for target in targets:
            ban = Ban.objects.active().filter(**target, expires=expires).first()
            if ban is None:
                ban = Ban.objects.create(**target, expires=expires, reason=reason, created_by=by)
                log_ban(ban, by=by, comment=comment)
            bans.append(ban)
        if remove_comments and bans:
            reached = Comment.objects.none()
            for ban in bans:
                reached |= ban.comments()
            reached.set_status(Comment.Status.REMOVED, by=by, reason=f"commenter banned by {by}")
    return bans


def log_ban(ban: Ban, *, by, comment: Comment | None = None) -> None:
    until = f" until {timezone.localtime(ban.expires):%Y-%m-%d %H:%M}" if ban.expires else ""
    AuditEntry.objects.create(
        comment=comment,
        actor=by,
        action=AuditEntry.Action.BANNED,
        reason=f"banned {ban.target}{until} by {by}" + (f": {ban.reason}" if ban.reason else ""),
    )
