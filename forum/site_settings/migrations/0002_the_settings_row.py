from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("site_settings", "SiteSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("site_settings", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
