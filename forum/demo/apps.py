from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo magazine and seeded discussions (`seed_demo`, `seed_thread`,
    `ensure_demo_admin`): no models, only commands and their content."""

    name = "forum.demo"
    verbose_name = "Demo content"
