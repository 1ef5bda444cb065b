"""Let the "Moderators" group change the moderation settings (word lists, limits, mode), not
the rest of the site settings."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = ["change_moderation_settings"]


def give_moderators(apps, schema_editor):
    # Permissions are normally created after migrate; make sure this one exists now.
    app_config = apps.get_app_config("site_settings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="site_settings", codename__in=MODERATORS)
    )


def take_back(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="site_settings", codename__in=MODERATORS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("site_settings", "0003_moderation_settings"),
        ("comments", "0005_moderators_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="sitesettings",
            options={
                "permissions": [
                    ("change_moderation_settings", "Can change the moderation settings")
                ],
                "verbose_name": "site settings",
                "verbose_name_plural": "site settings",
            },
        ),
        migrations.RunPython(give_moderators, take_back),
    ]
