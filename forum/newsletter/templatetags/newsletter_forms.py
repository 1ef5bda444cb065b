"""The sign-up form of the footer and the article's community panel, and the newsletter
section of a member's account page."""

from django import template
from django.core.cache import cache

from ..forms import SubscribeForm
from ..models import Newsletter, Subscription
from ..views import member_subscriber

register = template.Library()

DEFAULT_CACHE_KEY = "newsletter:default-description"
# The footer is on every page: its sentence is read from the cache, not one query per page.
DEFAULT_CACHE_SECONDS = 300


def default_description() -> str | None:
    """What the default newsletter sends and how often; None if no newsletter is offered."""
    cached = cache.get(DEFAULT_CACHE_KEY)
    if cached is None:
        newsletter = Newsletter.default()
        cached = (newsletter.description if newsletter else None,)
        cache.set(DEFAULT_CACHE_KEY, cached, DEFAULT_CACHE_SECONDS)
    return cached[0]


@register.inclusion_tag("includes/newsletter_form.html", takes_context=True)
def newsletter_signup(context, place: str):
    """A sign-up form for the default newsletter; `place` keeps its field ids apart from the
    other forms of the page. A member's address is not filled in: pages never show it (a
    member subscribes in one click from their account page, which the form links to)."""
    user = context.get("user")
    return {
        "form": SubscribeForm(auto_id=f"{place}-nl-%s"),
        "member": user is not None and user.is_authenticated,
        "place": place,
        "description": default_description(),
        "with_name": place != "footer",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("newsletter/member_section.html", takes_context=True)
def member_newsletters(context):
    """Each newsletter offered to readers, and whether the signed-in member receives it."""
    user = context["user"]
    subscriber = member_subscriber(user)
    statuses = {}
    if subscriber is not None:
        statuses = dict(subscriber.subscriptions.values_list("newsletter_id", "status"))
    rows = [
        (newsletter, statuses.get(newsletter.pk) == Subscription.Status.CONFIRMED)
        for newsletter in Newsletter.objects.public()
    ]
    return {
        "rows": rows,
        "can_receive": subscriber is None or subscriber.can_receive,
        "csrf_token": context.get("csrf_token"),
    }
