from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "forum.privacy"
    verbose_name = "Privacy"
