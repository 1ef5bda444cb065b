"""The privacy page's generated part: how long each thing is kept, read from the settings
that decide it, so the page stays true when a setting changes (the editors' text above it
cannot know)."""

from django import template
from django.conf import settings

from forum.newsletter.services import UNCONFIRMED_KEPT
from forum.privacy.links import LINK_LIFETIME

register = template.Library()


@register.inclusion_tag("privacy/what_we_store.html", takes_context=True)
def what_we_store(context):
    return {
        "user": context.get("user"),
        "ip_days": settings.IP_RETENTION_DAYS,
        "unconfirmed_days": UNCONFIRMED_KEPT.days,
        "link_hours": int(LINK_LIFETIME.total_seconds() // 3600),
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
        # Mail goes through the task queue; only the database queue keeps a copy of each.
        "mail_queue_keeps": settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."),
    }
