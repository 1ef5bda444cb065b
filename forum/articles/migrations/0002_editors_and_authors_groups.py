"""Create the "Editors" and "Authors" groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    f"{action}_{model}"
    for model in ("article", "articleimage", "relatedlink", "category", "author", "tag")
    for action in ("add", "change", "delete", "view")
] + ["publish_article"]

AUTHORS = [
    "add_article", "change_article", "view_article",
    "add_articleimage", "change_articleimage", "delete_articleimage", "view_articleimage",
    "add_relatedlink", "change_relatedlink", "delete_relatedlink", "view_relatedlink",
    "add_tag", "view_tag", "view_category", "view_author",
]  # fmt: skip


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Authors", AUTHORS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Authors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
