"""Giving a group an app's permissions from a data migration, which the apps' migrations share."""

from django.contrib.auth.management import create_permissions


def grant(apps, *, app_label: str, group: str, codenames: list[str]) -> None:
    """Add `app_label`'s permissions named in `codenames` to `group` (made if missing).
    Permissions are normally created after migrate, so they are made here first."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    found, _ = Group.objects.get_or_create(name=group)
    found.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
