"""Create the four standing pages with their starter text, and let the "Editors" group
change them."""

from django.db import migrations

from forum.core.permissions import grant
from forum.pages.starter import create_missing_pages

EDITORS = ["add_page", "change_page", "view_page"]


def create_pages(apps, schema_editor):
    create_missing_pages(apps.get_model("pages", "Page"))


def give_editors(apps, schema_editor):
    grant(apps, app_label="pages", group="Editors", codenames=EDITORS)


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
