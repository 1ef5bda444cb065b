"""Let the "Editors" group see donations, payments and provider events, and approve
supporters' messages (a donation's change page lets them edit only the donor's name, message
and whether it is shown). Moderators get nothing of donations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = ["view_donation", "change_donation", "view_payment", "view_webhookevent"]


def give_editors(apps, schema_editor):
    # Permissions are normally created after migrate; make sure these exist now.
    app_config = apps.get_app_config("donations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="donations", codename__in=EDITORS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0001_donations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(give_editors, migrations.RunPython.noop)]
