"""The pages behind the links in reader mail, and the follow button (being built)."""

from django.http import Http404


def _unbuilt(request, *args, **kwargs):
    raise Http404


confirm = settings_page = unsubscribe = unfollow = follow_link = follow = account = _unbuilt
