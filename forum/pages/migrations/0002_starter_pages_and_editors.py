"""Create the four standing pages with their starter text, and let the "Editors" group
change them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from forum.pages.starter import create_missing_pages

EDITORS = ["add_page", "change_page", "view_page"]


def create_pages(apps, schema_editor):
    create_missing_pages(apps.get_model("pages", "Page"))


def give_editors(apps, schema_editor):
    # Permissions are normally created after migrate; make sure these exist now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=EDITORS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_standing_pages"),
        ("articles", "0002_editors_and_authors_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_pages, migrations.RunPython.noop),
        migrations.RunPython(give_editors, migrations.RunPython.noop),
    ]
