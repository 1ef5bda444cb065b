"""What the moderation tools show on a fresh `make run`: word lists, a small queue (a held
comment, a spam comment, a reported one) and a ban, placed by `seed_demo`."""

from datetime import timedelta

from django.utils import timezone

from forum.comments.models import AuditEntry, Ban, Comment, Report
from forum.comments.services import report_comment
from forum.site_settings.models import SiteSettings

BLOCKED_WORDS = "casino\nviagra\npayday loan\ncrypto giveaway"
WATCHED_WORDS = "idiot\nstupid\nscam"
# (name, email, text, status, reasons, reports): what a moderator finds in the demo queue.
QUEUE = [
    (
        "Lens Deals Daily",
        "offers@lensdeals.example",
        "Great article! Cheap lenses at https://lensdeals.example/m6, "
        "https://lensdeals.example/summicron and https://lensdeals.example/sale today only.",
        Comment.Status.PENDING,
        ["3 links", "first comment from this email"],
        0,
    ),
    (
        "Lucky Spin",
        "win@lucky-spin.example",
        "Photographers love our cаsino bonus, claim it now.",
        Comment.Status.SPAM,
        ["blocked word: casino"],
        0,
    ),
    (
        "Tomasz Wiater",
        "tomasz.wiater@example.com",
        "Anyone who still shoots film in 2026 is frankly wasting everyone's time and money.",
        Comment.Status.APPROVED,
        ["demo content"],
        2,
    ),
]


def seed_moderation(article) -> None:
    """Set the word lists unless some are set already; add the queue and the ban to
    `article` once."""
    settings = SiteSettings.current()
    if not (settings.blocked_words or settings.watched_words):
        settings.blocked_words, settings.watched_words = BLOCKED_WORDS, WATCHED_WORDS
        settings.save()
    if article is None or Comment.objects.filter(email="offers@lensdeals.example").exists():
        return
    moment = timezone.now() - timedelta(hours=3)
    for name, email, text, status, reasons, reports in QUEUE:
        moment += timedelta(minutes=40)
        comment = Comment(
            article=article, name=name, email=email, body=text, status=status,
            status_reasons=reasons, created=moment, ip="198.51.100.0",
        )  # fmt: skip
        comment.place(None)
        comment.save()
        AuditEntry.record_post(comment)
        for n in range(reports):
            # As readers report: two guests on networks of their own.
            report_comment(
                comment=comment, reason=Report.Reason.ABUSIVE, ip=f"203.0.11{n}.7",
                note="Rude to everyone who replied." if n == 0 else "",
            )  # fmt: skip
    Ban.objects.create(
        email="win@lucky-spin.example",
        reason="Casino links on every article",
        expires=timezone.now() + timedelta(days=90),
    )
    Comment.objects.refresh_article(article.pk)
    Comment.objects.number_published_threads(article.pk)
