"""Refuse to run the site without its production secrets."""

from django.conf import settings
from django.core.checks import Error, Warning, register, run_checks
from django.core.exceptions import ImproperlyConfigured


def missing_settings_message() -> str:
    """What to set, or "" when nothing is missing."""
    if not settings.MISSING_SETTINGS:
        return ""
    return f"Set {' and '.join(settings.MISSING_SETTINGS)}, or DJANGO_DEBUG=1 for development."


@register(deploy=True)
def check_required_settings(app_configs, **kwargs):
    """`check --deploy` names what is missing; the servers refuse to start without it."""
    message = missing_settings_message()
    return [Error(message, id="forum.E001")] if message else []


# Deployment checks of other apps that must stop a server too (a provider that would take no
# money, or none at all); each app owns its check, this only asks them.
SERVING_TAGS = ["donations"]


def refuse_to_start_without_required_settings() -> None:
    """wsgi.py and asgi.py call this, so gunicorn and runserver stop with the message."""
    if message := missing_settings_message():
        raise ImproperlyConfigured(message)
    errors = run_checks(tags=SERVING_TAGS, include_deployment_checks=True)
    if errors := [error for error in errors if error.is_serious()]:
        raise ImproperlyConfigured(" ".join(f"{error.msg} {error.hint or ''}" for error in errors))


@register()
def check_sessions_are_shared(app_configs, **kwargs):
    """Sessions in a cache that lives inside each process: a reader is signed out whenever the
    next request reaches another worker (cache), or stays signed in on one after signing out on
    another (cached_db)."""
    shared = settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    if settings.SESSION_STORE in {"cache", "cached_db"} and not shared:
        return [
            Warning(
                f"DJANGO_SESSION_ENGINE={settings.SESSION_STORE} with a cache inside each process.",
                hint="Set CACHE_URL=redis://… so that every worker shares the sessions.",
                id="forum.W002",
            )
        ]
    return []
