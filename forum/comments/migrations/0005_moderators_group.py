"""Create the "Moderators" group: they work the comment queue and read the audit log."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = ["view_comment", "change_comment", "view_auditentry"]


def create_group(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="comments", codename__in=MODERATORS)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_audit_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
