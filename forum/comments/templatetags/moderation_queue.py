"""The moderation queue's rows: the comment list's results template asks the comment admin
for them, because a row's cells need the moderator and the list they are in."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def queue_rows(context, changelist, results):
    # The results template gets a fresh context: the request is still on it.
    return changelist.model_admin.queue_rows(context.request, changelist, results)
