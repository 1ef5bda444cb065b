"""`{% reading_meter article %}`: the reading meter's place on the article page."""

from django import template

from ..meter import count_reading

register = template.Library()


@register.inclusion_tag("donations/meter.html", takes_context=True)
def reading_meter(context, article):
    """Counts the article for this reader and, past the month's free articles, shows the
    invitation to support the magazine (see forum/donations/meter.py)."""
    request = context["request"]
    meter = count_reading(request, article)
    return {
        "invites": meter is not None and meter.invites,
        "free": meter.free if meter else 0,
        "back": request.get_full_path(),
        "site_name": context.get("site_name"),
        "csrf_token": context.get("csrf_token"),
    }
