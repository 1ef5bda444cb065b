"""Make the renditions of the images stored before renditions existed, so an existing site
(and a demo seeded earlier) serves srcset after `migrate` alone. `build_renditions` does the
same by hand, for instance after the widths change."""

from django.db import migrations

from forum.articles.renditions import FIELDS, build_missing


def build(apps, schema_editor):
    for label, image_field, record_field, widths in FIELDS:
        build_missing(apps.get_model(label), image_field, record_field, widths=widths)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_image_renditions"),
    ]

    operations = [
        migrations.RunPython(build, migrations.RunPython.noop, elidable=True),
    ]
