"""The demo magazine's reader discussions, placed by `seed_demo`."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from forum.comments.models import AuditEntry, Ban, Comment, Report

from .discussions import AUTHOR, MEMBERS, THREADS

PENDING = "[pending] "


def seed_comments(articles: dict) -> int:
    """Add the demo threads to articles that have no comments yet; return how many were made."""
    made = 0
    for slug, rows in THREADS.items():
        article = articles.get(slug)
        if article is None or article.comments.exists():
            continue
        made += _seed_thread(article, rows)
        Comment.objects.refresh_article(article.pk)
    return made


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
    """Word lists, a small queue (held, spam, reported) and one ban, so the moderation tools
    have something to show on a fresh `make run`."""
    from forum.site_settings.models import SiteSettings

    settings = SiteSettings.current()
    if not (settings.blocked_words or settings.watched_words):
        settings.blocked_words, settings.watched_words = BLOCKED_WORDS, WATCHED_WORDS
        settings.save()
    if article is None or Comment.objects.filter(email="offers@lensdeals.example").exists():
        return
    moment = timezone.now() - timedelta(hours=3)
    for name, email, text, status, reasons, reports in QUEUE:
        moment += timedelta(minutes=40)
        comment = Comment.objects.create(
            article=article, name=name, email=email, body=text, status=status,
            status_reasons=reasons, created=moment, ip="198.51.100.0",
        )  # fmt: skip
        Comment.objects.filter(pk=comment.pk).update(thread=comment, report_count=reports)
        AuditEntry.objects.create(
            comment=comment, action=AuditEntry.Action.POSTED, new_status=status,
            reason="; ".join(reasons), created=moment,
        )  # fmt: skip
        for n in range(reports):
            Report.objects.create(
                comment=comment, reason=Report.Reason.ABUSIVE, ip=f"203.0.11{n}.0",
                note="Rude to everyone who replied." if n == 0 else "",
            )  # fmt: skip
    Ban.objects.create(
        email="win@lucky-spin.example",
        reason="Casino links on every article",
        expires=timezone.now() + timedelta(days=90),
    )
    Comment.objects.refresh_article(article.pk)


def _member(name: str):
    user, created = get_user_model().objects.get_or_create(
        username=slugify(name),
        defaults={"email": MEMBERS[name], "display_name": name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _seed_thread(article, rows) -> int:
    by_ref: dict[str, Comment] = {}
    moment = article.published_at
    for ref, reply_to, who, text in rows:
        moment += timedelta(minutes=37 + 11 * len(by_ref))
        parent = by_ref[reply_to] if reply_to else None
        pending = text.startswith(PENDING)
        comment = Comment(
            article=article,
            parent=parent,
            thread=parent.thread if parent else None,
            depth=parent.depth + 1 if parent else 1,
            body=text.removeprefix(PENDING),
            status=Comment.Status.PENDING if pending else Comment.Status.APPROVED,
            status_reasons=["first comment from this email" if pending else "demo content"],
            created=moment,
        )
        if who == AUTHOR:
            comment.user = article.author.user
            comment.name = article.author.name
            comment.email = comment.user.email if comment.user else "editors@frameandgrain.test"
        elif who.startswith("member:"):
            comment.user = _member(who.removeprefix("member:"))
            comment.name, comment.email = comment.user.public_name, comment.user.email
        else:
            comment.name = who
            comment.email = slugify(who).replace("-", ".") + "@example.com"
        comment.save()
        if parent is None:
            comment.thread = comment
            comment.save(update_fields=["thread"])
        AuditEntry.objects.create(
            comment=comment, action=AuditEntry.Action.POSTED, new_status=comment.status,
            reason=comment.status_reasons[0], created=moment,
        )  # fmt: skip
        by_ref[ref] = comment
    return len(by_ref)
