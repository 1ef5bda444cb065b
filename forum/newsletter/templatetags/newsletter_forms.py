"""The sign-up form of the footer and the article's community panel, and the newsletter
section of a member's account page."""

from django import template

from ..forms import SubscribeForm
from ..models import Newsletter, Subscription
from ..views import member_subscriber

register = template.Library()


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
        # The footer is on every page: the sentence comes from the cache, not a query.
        "description": Newsletter.default_description(),
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
