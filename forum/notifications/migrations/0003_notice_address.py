from django.db import migrations, models
from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower


def fill_addresses(apps, schema_editor):
    """Each notice's address from its recipient: a guest's, or the member's account address.
    Where one address was told twice about a comment (as a guest and as a member), the later
    notice goes: the ledger keeps one per address."""
    Notice = apps.get_model("notifications", "Notice")
    Recipient = apps.get_model("notifications", "Recipient")
    theirs = Recipient.objects.filter(pk=OuterRef("recipient_id")).annotate(
        address=Coalesce("email", "user__email")
    )
    Notice.objects.update(address=Lower(Subquery(theirs.values("address")[:1])))
    twice = (
        Notice.objects.values("address", "comment_id")
        .annotate(count=Count("pk"), first=Min("pk"))
        .filter(count__gt=1)
    )
    for row in twice:
        Notice.objects.filter(address=row["address"], comment_id=row["comment_id"]).exclude(
            pk=row["first"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_follow_confirmed"),
    ]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="address",
            field=models.EmailField(
                default="", help_text="Where the mail went, in lower case.", max_length=254
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_addresses, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="notice", name="notice_once"),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.UniqueConstraint(
                fields=("address", "comment"), name="notice_once_per_address"
            ),
        ),
    ]
