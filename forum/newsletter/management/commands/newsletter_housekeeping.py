"""Daily newsletter housekeeping (cron): forget sign-ups nobody confirmed."""

from django.core.management.base import BaseCommand

from forum.newsletter import services


class Command(BaseCommand):
    help = (
        f"Forget sign-ups not confirmed within {services.UNCONFIRMED_KEPT.days} days and "
        "sign-up attempts older than a day. Run it daily."
    )

    def handle(self, *args, **options):
        deleted = services.purge_unconfirmed()
        self.stdout.write(
            f"Purged sign-ups older than {services.UNCONFIRMED_KEPT.days} days that were never "
            f"confirmed: {deleted:,} address{'' if deleted == 1 else 'es'} with nothing else "
            "deleted, and sign-up attempts older than a day."
        )
