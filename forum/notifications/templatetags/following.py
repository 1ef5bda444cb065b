"""The article page's "Follow this discussion" box.

The article page has fixed query counts, and what it shows must not depend on which member
reads it beyond what the comment section already knows. So the box costs no query: a guest
gets the form that mails a follow link; a member gets a link to the follow page, which the
page's script swaps for the right button (Follow, or Stop following) fetched from there."""

from django import template

from ..forms import FollowForm

register = template.Library()


@register.inclusion_tag("notifications/follow_box.html", takes_context=True)
def follow_box(context, article, *, open: bool):  # noqa: A002 (as the discussion names it)
    user = context["user"]
    return {
        "article": article,
        "user": user,
        "open": open,
        "form": None if user.is_authenticated else FollowForm(),
        "csrf_token": context.get("csrf_token"),
    }
