"""Let the "Editors" group see donations, payments and provider events, and approve
supporters' messages (a donation's change page lets them edit only the donor's name, message
and whether it is shown). Moderators get nothing of donations."""

from django.db import migrations

from forum.core.permissions import grant

EDITORS = ["view_donation", "change_donation", "view_payment", "view_webhookevent"]


def give_editors(apps, schema_editor):
    grant(apps, app_label="donations", group="Editors", codenames=EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0001_donations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(give_editors, migrations.RunPython.noop)]
