from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "forum.notifications"
    verbose_name = "Reader notifications"
