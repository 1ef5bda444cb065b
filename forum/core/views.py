from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return render(request, "robots.txt", {"sitemap": sitemap}, content_type="text/plain")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, for one)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@require_safe
@never_cache
def healthz(request):
    """For the proxy and for monitoring: is this app server up, and can it reach the database
    and the cache? 200 when all three, else 503 naming what is unreachable; no versions,
    hosts or secrets. One `SELECT 1` and one cache PING, and no session, so it stays cheap."""
    checks = {"database": database_reachable(), "cache": cache_reachable()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{part: "ok" if ok else "unreachable" for part, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_reachable() -> bool:
    """Redis answers a PING; a cache inside this process is always there."""
    return getattr(cache, "reachable", lambda: True)()
