"""ASGI entry point, for servers that speak ASGI."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")

application = get_asgi_application()

from forum.core.checks import refuse_to_start_without_required_settings  # noqa: E402

refuse_to_start_without_required_settings()
