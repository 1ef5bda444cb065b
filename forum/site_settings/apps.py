from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    name = "forum.site_settings"
    verbose_name = "Site settings"
