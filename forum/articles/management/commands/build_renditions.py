"""Make the srcset renditions of stored images that have none (or, with --force, all).

Saving an image makes its renditions, and the articles app's data migration made them for
the images stored before; this command is for the rest: media restored from a backup, or
every image again after the widths in forum/articles/renditions.py change.

    python manage.py build_renditions [--force]
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from forum.articles.renditions import FIELDS, build_missing


class Command(BaseCommand):
    help = "Make the missing image renditions (all of them again with --force)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Make every image's renditions again."
        )

    def handle(self, *args, force=False, **options):
        for label, image_field, record_field, widths in FIELDS:
            with transaction.atomic():
                done, unreadable = build_missing(
                    apps.get_model(label), image_field, record_field, widths=widths, force=force
                )
            self.stdout.write(f"{label}.{image_field}: {done} image(s) given renditions.")
            for name in unreadable:
                self.stderr.write(f"  could not read {name}; it has no renditions.")
