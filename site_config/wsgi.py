"""WSGI entry point for gunicorn (`make serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")

application = get_wsgi_application()

from forum.core.checks import refuse_to_start_without_required_settings  # noqa: E402

refuse_to_start_without_required_settings()
