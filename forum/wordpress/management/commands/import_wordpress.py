"""Import a WordPress export: `manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--dry-run]`.

A progress bar on stderr while it works, then a summary on stdout: what was created, updated,
left unchanged or skipped, per kind, and every problem with the WordPress id it concerns.
Running it again with the same file creates nothing twice. See forum/wordpress/importer.py.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forum.core.progress import ProgressBar
from forum.wordpress.importer import Import, Summary
from forum.wordpress.wxr import WXRError

KINDS = [
    ("author", "Authors"),
    ("category", "Categories"),
    ("tag", "Tags"),
    ("post", "Posts"),
    ("comment", "Comments"),
    ("picture", "Pictures"),
]
COLUMNS = ["created", "matched", "updated", "unchanged", "failed"]


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools › Export, WXR 1.1 or 1.2): authors, categories, tags, "
        "published posts with their pictures, and every comment in its thread. Safe to run "
        "again: nothing is created twice and what changed in WordPress is brought over."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress's Tools › Export wrote.")
        parser.add_argument(
            "--media-dir",
            help="A copy of the old site's wp-content/uploads folder, where the pictures are "
            "looked for. Pictures not found there are left out and listed.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and report what would happen; write nothing. (On SQLite, "
            "nobody can post a comment while it runs.)",
        )

    def handle(self, *args, export, media_dir=None, dry_run=False, **options):
        path = Path(export)
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"There is no folder {media_dir} (--media-dir).")
        started = time.monotonic()
        bar = None

        def progress(posts: int, comments: int) -> None:
            nonlocal bar
            if bar is None:
                summary = work.summary
                bar = ProgressBar(
                    self.stderr,
                    label="Importing",
                    total=summary.posts_total + summary.comments_total,
                    unit="posts and comments",
                )
            bar.note = f"{posts:,} posts, {comments:,} comments"
            bar.advance(posts + comments - bar.done)

        self.stderr.write(f"Reading {path}…")
        work = Import(path, media_dir=media_dir, dry_run=dry_run, on_progress=progress)
        try:
            summary = work.run()
        except WXRError as error:
            raise CommandError(str(error)) from None
        if bar is not None:
            bar.close()
        self.report(summary, seconds=time.monotonic() - started)

    def report(self, summary: Summary, *, seconds: float) -> None:
        write = self.stdout.write
        if summary.dry_run:
            write(self.style.WARNING("Dry run: nothing was written. This is what would happen."))
        write(
            f"{summary.source or 'The export'} (WXR {summary.version}): "
            f"{summary.posts_total:,} posts and {summary.comments_total:,} comments read "
            f"in {seconds:.1f} s."
        )
        columns = [c for c in COLUMNS if any(summary.counts.get(k, {}).get(c) for k, _ in KINDS)]
        columns = columns or ["created"]
        write("")
        write(f"{'':12}" + "".join(f"{c:>11}" for c in columns))
        for kind, label in KINDS:
            counts = summary.counts.get(kind, {})
            write(f"{label:12}" + "".join(f"{counts.get(c, 0):>11,}" for c in columns))
        for kind, label in KINDS:
            for what, n in summary.counts.get(kind, {}).items():
                if what not in COLUMNS:
                    write(f"{label}: {n:,} {what}.")
        for why, n in sorted(summary.skipped.items()):
            write(f"Skipped: {n:,} {why}.")
        if summary.problem_count:
            write("")
            write(self.style.WARNING(f"{summary.problem_count:,} problems:"))
            for problem in summary.problems:
                write(f"  - {problem}")
            if summary.problem_count > len(summary.problems):
                write(f"  … and {summary.problem_count - len(summary.problems):,} more.")
