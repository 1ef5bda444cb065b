from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "forum.wordpress"
    label = "wordpress"
    verbose_name = "WordPress import"
