"""Reader notifications: who asked for what, and telling them when a comment is published.

The comments app calls `comment_posted` (a reader ticked a box) and `comments_published` (a
comment went public, at once or on approval); everything else happens in tasks, after the
change commits, so posting a comment costs one queued task.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from forum.comments.models import Comment

from . import tokens
from .models import Follow, Recipient
from .tasks import send_confirmation, tell_readers

# A guest who asks again for an address not yet confirmed gets a new confirmation mail only
# when the last one's link has expired: one mail, not one per comment.
CONFIRM_AGAIN_AFTER = tokens.MAX_AGE[tokens.CONFIRM]


def comment_posted(comment: Comment, *, notify: bool = False, follow: bool = False) -> None:
    """What a reader asked for when posting `comment` (a guest: "Notify me of replies by
    email"; anyone: "Notify me of new comments on this article"). A guest's address gets one
    confirmation mail the first time, and nothing else until it is confirmed. Nothing is
    done for a comment treated as spam: its address is not the writer's to give."""
    if comment.status == Comment.Status.SPAM or not (notify or follow):
        return
    if comment.user_id:
        recipient = Recipient.for_member(comment.user)
    else:
        recipient = Recipient.for_guest(comment.email)
        ask_to_confirm(recipient)
    if follow:
        start_following(recipient, comment.article_id)


def ask_to_confirm(recipient: Recipient) -> bool:
    """Mail a guest's address its confirmation link, unless it is confirmed or a link sent
    lately still works. True if a mail was queued."""
    now = timezone.now()
    claimed = (
        Recipient.objects.filter(pk=recipient.pk, confirmed=None, user=None)
        .exclude(confirmation_sent__gt=now - CONFIRM_AGAIN_AFTER)
        .update(confirmation_sent=now)
    )
    if claimed:
        transaction.on_commit(lambda: send_confirmation.enqueue(recipient_id=recipient.pk))
    return bool(claimed)


def confirm(recipient: Recipient) -> bool:
    """Confirm a guest's address (the POST behind the mailed link). False if it already was."""
    return bool(
        Recipient.objects.filter(pk=recipient.pk, confirmed=None).update(confirmed=timezone.now())
    )


def start_following(recipient: Recipient, article_id: int) -> Follow:
    """Follow an article's discussion from now on: comments published so far are not news."""
    latest = Comment.objects.filter(article_id=article_id).aggregate(top=Max("pk"))["top"] or 0
    follow, _ = Follow.objects.get_or_create(
        recipient=recipient, article_id=article_id, defaults={"after": latest}
    )
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
