"""The size of the moderation queue, for the admin's header and front page."""

from dataclasses import dataclass

from django import template

from forum.comments.models import Comment

register = template.Library()


@dataclass
class Queue:
    held: int
    reported: int
    waiting: int


@register.simple_tag(takes_context=True)
def moderation_queue(context) -> Queue | None:
    """What waits for a moderator (held comments, and published ones readers reported), or
    None for someone who may not see comments. Counted once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (
        user.has_perm("comments.view_comment") or user.has_perm("comments.change_comment")
    ):
        return None
    if not hasattr(request, "_moderation_queue"):
        request._moderation_queue = Queue(**Comment.objects.waiting().queue_counts())
    return request._moderation_queue
