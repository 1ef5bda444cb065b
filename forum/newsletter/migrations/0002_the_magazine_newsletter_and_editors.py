"""Create the default newsletter (the thrice-weekly magazine), and let the "Editors" group
write and send issues and look after subscribers."""

from django.db import migrations

from forum.core.permissions import grant

EDITORS = [
    f"{action}_{model}"
    for model in ("newsletter", "issue", "subscriber", "subscription")
    for action in ("add", "change", "view")
] + ["view_delivery", "view_subscriptionchange"]


def create_newsletter(apps, schema_editor):
    Newsletter = apps.get_model("newsletter", "Newsletter")
    Newsletter.objects.get_or_create(
        slug="magazine",
        defaults={
            "name": "The Frame & Grain newsletter",
            "description": "New articles, a reader's photograph and the best of the comments, "
            "on Monday, Wednesday and Friday mornings.",
            "position": 0,
        },
    )


def give_editors(apps, schema_editor):
    grant(apps, app_label="newsletter", group="Editors", codenames=EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_newsletters_subscribers_issues_deliveries"),
        ("articles", "0002_editors_and_authors_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_newsletter, migrations.RunPython.noop),
        migrations.RunPython(give_editors, migrations.RunPython.noop),
    ]
