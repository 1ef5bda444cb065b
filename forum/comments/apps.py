from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "forum.comments"
