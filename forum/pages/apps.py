from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "forum.pages"
    verbose_name = "Standing pages"
