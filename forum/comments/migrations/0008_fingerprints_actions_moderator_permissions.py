"""Fill in what the moderation rules need for existing comments, and let moderators ban."""

import hashlib

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = [
    "view_comment",
    "change_comment",
    "view_auditentry",
    "view_ban",
    "add_ban",
    "change_ban",
    "delete_ban",
    "view_report",
    "view_trustedcommenter",
    "add_trustedcommenter",
    "delete_trustedcommenter",
]


def forwards(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for comment in Comment.objects.filter(fingerprint="").only("pk", "body").iterator():
        text = " ".join(comment.body.casefold().split())
        Comment.objects.filter(pk=comment.pk).update(
            fingerprint=hashlib.sha256(text.encode()).hexdigest()
        )
    AuditEntry = apps.get_model("comments", "AuditEntry")
    AuditEntry.objects.filter(old_status="", actor=None).update(action="posted")

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


class Migration(migrations.Migration):
    dependencies = [("comments", "0007_moderation_bans_reports_trust")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
