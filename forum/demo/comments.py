"""The demo magazine's reader discussions (discussions.py), placed by `seed_demo` in their
threads as readers' comments are: `Comment.place`, then `save()`, with the audit row that
posting writes."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from forum.comments.models import AuditEntry, Comment

from .discussions import AUTHOR, MEMBERS, PROFILES, THREADS

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
        Comment.objects.number_published_threads(article.pk)
    return made


def _member(name: str):
    user, created = get_user_model().objects.get_or_create(
        username=slugify(name),
        defaults={"email": MEMBERS[name], "display_name": name, **PROFILES.get(name, {})},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _seed_thread(article, rows) -> int:
    by_ref: dict[str, Comment] = {}
    moment = article.published_at
    # The conversation slows as it goes on, and has all happened by now.
    gaps = [timedelta(minutes=37 + 11 * n) for n in range(len(rows))]
    room = max(timezone.now() - timedelta(minutes=30) - article.published_at, timedelta(hours=1))
    scale = min(1, room / sum(gaps, timedelta())) if rows else 1
    for (ref, reply_to, who, text), gap in zip(rows, gaps, strict=True):
        moment += gap * scale
        pending = text.startswith(PENDING)
        comment = Comment(
            article=article,
            body=text.removeprefix(PENDING),
            status=Comment.Status.PENDING if pending else Comment.Status.APPROVED,
            status_reasons=["first comment from this email" if pending else "demo content"],
            created=moment,
        )
        comment.place(by_ref[reply_to] if reply_to else None)
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
        AuditEntry.record_post(comment)
        by_ref[ref] = comment
    return len(by_ref)
