"""Reader notifications: who asked for what, and telling them when a comment is published.

The comments app calls `comment_posted` (a reader ticked a box) and `comments_published` (a
comment went public, at once or on approval); everything else happens in tasks, after the
change commits, so posting a comment costs one queued task.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from forum.comments.models import Comment, normalize_email

from .models import Follow, LinkRequest, Recipient
from .tasks import send_confirmation, tell_readers

# An address is sent at most one confirmation mail a day, however many times it is given.
CONFIRM_AGAIN_AFTER = timedelta(days=1)
# Links (follow links and confirmations together) mailed to one address in a day, at most:
# whoever asks, the address is not flooded.
MAILS_PER_ADDRESS_PER_DAY = 3
REQUESTS_KEPT_FOR = timedelta(days=1)
# The comments whose asks may still be confirmed: not those treated as spam or removed.
LIVE = (Comment.Status.APPROVED, Comment.Status.PENDING)


def comment_posted(
    comment: Comment, *, notify: bool = False, follow: bool = False, proven: str = ""
) -> None:
    """What a reader asked for when posting `comment` (a guest: "Notify me of replies by
    email"; anyone: "Notify me of new comments on this article"). A member's ask stands at
    once. Anyone can type any address, so a guest's stands only if this browser proved it
    reads the address (`proven`, see `tokens.proven_address`); otherwise it waits, and the
    address is mailed a confirmation (one a day at most) and nothing else for that ask.
    Nothing is done for a comment treated as spam: its address is not the writer's to give."""
    if comment.status == Comment.Status.SPAM or not (notify or follow):
        return
    if comment.user_id:
        if follow:
            follow_now(Recipient.for_member(comment.user), comment.article_id)
        return
    recipient = Recipient.for_guest(comment.email)
    if proven and normalize_email(proven) == comment.email:
        confirm_address(recipient)
        if notify:
            Comment.objects.filter(pk=comment.pk).update(notify_confirmed=True)
            comment.notify_confirmed = True
        if follow:
            follow_now(recipient, comment.article_id)
        return
    waits = notify
    if follow:
        waits |= start_following(recipient, comment.article_id, confirmed=False).confirmed is None
    if waits:
        ask_to_confirm(recipient, comment.article_id, network=comment.ip)


def ask_to_confirm(recipient: Recipient, article_id: int, *, network: str | None = None) -> bool:
    """Mail a guest's address (confirmed or not) the link that confirms what was asked for
    it, unless one went there within the day or the address had its day's mail. True if a
    mail was queued."""
    now = timezone.now()
    if not may_mail(recipient.email):
        return False
    claimed = (
        Recipient.objects.filter(pk=recipient.pk, user=None)
        .exclude(confirmation_sent__gt=now - CONFIRM_AGAIN_AFTER)
        .update(confirmation_sent=now)
    )
    if claimed:
        LinkRequest.objects.create(address=recipient.email, network=network, mailed=True)
        transaction.on_commit(
            lambda: send_confirmation.enqueue(recipient_id=recipient.pk, article_id=article_id)
        )
    return bool(claimed)


def may_mail(address: str) -> bool:
    """Whether `address` may be mailed one more link today (see MAILS_PER_ADDRESS_PER_DAY)."""
    since = timezone.now() - REQUESTS_KEPT_FOR
    sent = LinkRequest.objects.filter(address=address, mailed=True, at__gt=since).count()
    return sent < MAILS_PER_ADDRESS_PER_DAY


def requests_from(network: str | None, within: timedelta) -> int:
    return LinkRequest.objects.filter(network=network, at__gt=timezone.now() - within).count()


def forget_requests() -> int:
    """Delete link requests older than the longest rate limit's window."""
    return LinkRequest.objects.filter(at__lt=timezone.now() - REQUESTS_KEPT_FOR).delete()[0]


def confirm_address(recipient: Recipient) -> bool:
    """A guest's address proved theirs (they pressed a mailed link's button). False if it
    already was."""
    return bool(
        Recipient.objects.filter(pk=recipient.pk, confirmed=None).update(confirmed=timezone.now())
    )


def confirm(recipient: Recipient) -> bool:
    """The confirmation mail's button: the address, and every ask for it still waiting."""
    confirmed = confirm_address(recipient)
    pending_replies(recipient.email).update(notify_confirmed=True)
    pending_follows(recipient).update(confirmed=timezone.now())
    return confirmed


def pending_replies(address: str):
    """A guest's comments whose "Notify me of replies" waits for the address to be confirmed
    (not those treated as spam or removed)."""
    return Comment.objects.filter(
        user=None, email=address, notify=True, notify_confirmed=False, status__in=LIVE, deleted=None
    )


def pending_follows(recipient: Recipient):
    """The follows asked on the comment form for a guest's address and still waiting: only
    where a comment of theirs that asked it still stands (the ask of spam is no ask)."""
    written = Comment.objects.filter(
        article_id=OuterRef("article_id"),
        user=None,
        email=recipient.email,
        status__in=LIVE,
        deleted=None,
    )
    return Follow.objects.filter(recipient=recipient, confirmed=None).filter(Exists(written))


def start_following(recipient: Recipient, article_id: int, *, confirmed: bool = True) -> Follow:
    """Follow an article's discussion from now on: comments published so far are not news.
    `confirmed=False`: a guest's ask that waits for the address to be confirmed."""
    latest = Comment.objects.filter(article_id=article_id).aggregate(top=Max("pk"))["top"] or 0
    now = timezone.now() if confirmed else None
    follow, created = Follow.objects.get_or_create(
        recipient=recipient, article_id=article_id, defaults={"after": latest, "confirmed": now}
    )
    if not created and confirmed and follow.confirmed is None:
        follow.confirmed = now
        follow.save(update_fields=["confirmed"])
    return follow


def follow_now(recipient: Recipient, article_id: int) -> Follow:
    """Follow an article because its reader asked just now (the button, the comment form's
    box, the mailed link): their switch for followed discussions goes back on if it was
    off, or the asking would bring nothing."""
    follow = start_following(recipient, article_id)
    if not recipient.following:
        recipient.following = True
        recipient.save(update_fields=["following"])
    return follow


def stop_following(recipient: Recipient, article_id: int) -> bool:
    return bool(Follow.objects.filter(recipient=recipient, article_id=article_id).delete()[0])


def is_following(user, article_id: int) -> bool:
    return Follow.objects.filter(recipient__user=user, article_id=article_id).exists()


def comments_published(comment_ids: list[int], *, held_ids=()) -> None:
    """Comments just made public: posted and published at once, or approved by a moderator
    (`held_ids`: those that were held, whose writers may want to hear it). Called inside the
    change's transaction; readers are told by one task once it commits."""
    ids, held = list(comment_ids), list(held_ids)
    transaction.on_commit(lambda: tell_readers.enqueue(comment_ids=ids, held_ids=held))
