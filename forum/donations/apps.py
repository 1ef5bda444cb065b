from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "forum.donations"

    def ready(self):
        from . import checks  # noqa: F401  (registers the provider check)
