"""Site settings read once per request: see `SiteSettings.current()`."""

from asgiref.sync import iscoroutinefunction
from django.utils.decorators import sync_and_async_middleware

from .models import read_once


@sync_and_async_middleware
def settings_read_once_per_request(get_response):
    """Scope `SiteSettings.current()` to the request: one query, forgotten when it ends."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            with read_once():
                return await get_response(request)

    else:

        def middleware(request):
            with read_once():
                return get_response(request)

    return middleware
