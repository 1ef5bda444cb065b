"""Daily (cron): clear network addresses older than the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from forum.privacy.retention import BATCH_SIZE, forget_old_ip_addresses


class Command(BaseCommand):
    help = (
        "Clear every stored network address older than DJANGO_IP_RETENTION_DAYS (90 by "
        "default), end sign-in sessions idle that long, delete the task queue's finished rows "
        "that old and expired privacy links. "
        "Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Rows changed per transaction."
        )

    def handle(self, *args, batch_size, **options):
        cleared = forget_old_ip_addresses(batch_size=batch_size)
        self.stdout.write(
            f"Network addresses older than {settings.IP_RETENTION_DAYS} days cleared: "
            + ", ".join(f"{label} {count:,}" for label, count in cleared.items())
            + "."
        )
