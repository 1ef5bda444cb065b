"""What waits for a moderator, for the admin's header and front page."""

from django.utils.functional import SimpleLazyObject

from .models import Comment


def moderation_queue(request) -> dict:
    """`moderation_queue`: how many comments are held, reported and waiting in all, for those
    who may see comments (None for everyone else). Counted once, and only on a page that
    shows it."""

    def counts() -> dict | None:
        user = getattr(request, "user", None)
        if user is None or not (
            user.has_perm("comments.view_comment") or user.has_perm("comments.change_comment")
        ):
            return None
        return Comment.objects.waiting().queue_counts()

    return {"moderation_queue": SimpleLazyObject(counts)}
