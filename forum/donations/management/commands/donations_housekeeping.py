"""Donations housekeeping (cron, hourly): events that waited, checkouts nobody finished."""

from django.core.management.base import BaseCommand

from forum.donations import services


class Command(BaseCommand):
    help = (
        "Try again the provider events that arrived before what they name, mark checkouts "
        f"left for {services.ABANDONED_AFTER.days} day as abandoned, and forget link requests "
        "older than a day, and send receipts whose mail failed. Run it hourly."
    )

    def handle(self, *args, **options):
        done = services.retry_waiting_events()
        still, abandoned, forgotten = services.tidy_up()
        receipts = services.send_unsent_receipts()
        self.stdout.write(
            f"Events processed after waiting: {done:,}; still waiting: {still:,}. "
            f"Checkouts marked abandoned: {abandoned:,}. Link requests forgotten: {forgotten:,}. "
            f"Receipts sent that had failed: {receipts:,}."
        )
