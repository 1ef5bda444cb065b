"""Refuse to run the site without its production secrets."""

from django.conf import settings
from django.core.checks import Error, register
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


def refuse_to_start_without_required_settings() -> None:
    """wsgi.py and asgi.py call this, so gunicorn and runserver stop with the message."""
    if message := missing_settings_message():
        raise ImproperlyConfigured(message)
