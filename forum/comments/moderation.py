"""The rules that decide, at post time, what happens to a new comment.

They run in the order of DESIGN.md. The first four refuse the comment outright (nothing is
stored and the reader is told why and what to do); the rest decide its status and say why in
`status_reasons`:

    ban → rate and flood limits → honeypot and form timer → duplicate
        → blocked words (spam) → links (hold) → watched words (hold)
        → unknown commenter (hold) → approve

Staff and the article's author skip them all.
"""

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.defaultfilters import pluralize
from django.utils import timezone

from forum.core.html import visible_text
from forum.core.words import find_words
from forum.site_settings.models import ModerationMode, SiteSettings

from .models import Ban, Comment, CommentNotAllowed, TrustedCommenter, same_commenter

logger = logging.getLogger(__name__)

FORM_MAX_AGE = timedelta(days=2)
DUPLICATE_WINDOW = timedelta(days=1)


class CommentRefused(CommentNotAllowed):
    """A rule refused the comment. `reason` is the rule's short name for the log."""

    def __init__(self, message: str, *, reason: str, renew_form: bool = False):
        super().__init__(message)
        self.reason = reason
        self.renew_form = renew_form


@dataclass
class Verdict:
    status: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class Submission:
    """What arrived with the comment besides its text, for the refusing rules."""

    ip: str | None = None
    form_issued: float | None = None
    honeypot: str = ""


def moderate(
    comment: Comment, *, article, submission: Submission, settings: SiteSettings
) -> Verdict:
    """Run the rules on an unsaved `comment`: refuse it (`CommentRefused`) or give its status."""
    if exemption := exempt(comment, article=article):
        return Verdict(Comment.Status.APPROVED, [exemption])
    try:
        check_ban(comment, ip=submission.ip)
        check_rate(comment, settings=settings)
        check_form(submission, settings=settings)
        check_duplicate(comment)
    except CommentRefused as refusal:
        logger.info("comment refused (%s) from %s", refusal.reason, comment.ip)
        raise
    verdict = check_content(comment, settings=settings)
    if verdict.status == Comment.Status.SPAM:
        return verdict
    held = verdict.reasons
    standing = commenter_standing(comment, settings=settings)
    if standing.hold:
        held.append(standing.reason)
    if held:
        return Verdict(Comment.Status.PENDING, held)
    return Verdict(Comment.Status.APPROVED, [standing.reason])


def exempt(comment: Comment, *, article) -> str:
    """Why the rules do not apply to this commenter ("" if they do)."""
    user = comment.user
    if user is not None and user.is_staff:
        return "staff"
    if user is not None and article.author.user_id == user.pk:
        return "the article's author"
    return ""


def check_content(comment: Comment, *, settings: SiteSettings) -> Verdict:
    """The rules about what the comment says: blocked words make it spam; links and watched
    words hold it. An approved verdict with no reasons means the text passes.

    Words are looked for both in the text as typed and as readers see it on the page, where
    entities and Markdown (`&#99;asino`, `ca**s**ino`) no longer split them."""
    texts = (
        comment.body,
        visible_text(comment.body_html),
        comment.name,
        comment.email,
        comment.website,
    )
    if blocked := find_words(settings.blocked_terms, *texts):
        return Verdict(Comment.Status.SPAM, [f"blocked word: {word}" for word in blocked])
    held = []
    links = count_links(comment.body_html)
    if settings.link_limit and links >= settings.link_limit:
        held.append(f"{links} link{pluralize(links)}")
    held += [f"watched word: {word}" for word in find_words(settings.watched_terms, *texts)]
    return Verdict(Comment.Status.PENDING if held else Comment.Status.APPROVED, held)


# A web address left as text: one the linkifier did not know (a new top-level domain such as
# .shop) or one in `code`. Readers copy them, so they count as links.
BARE_ADDRESS = re.compile(r"(?<![\w.@/-])(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
ANCHOR = re.compile(r"<a\s.*?</a>", re.DOTALL | re.IGNORECASE)


def count_links(body_html: str) -> int:
    """The links in a rendered comment, and the web addresses written in it that are not."""
    anchors = ANCHOR.findall(body_html)
    return len(anchors) + len(BARE_ADDRESS.findall(ANCHOR.sub(" ", body_html)))


def check_ban(comment: Comment, *, ip: str | None) -> None:
    ban = Ban.objects.find(user=comment.user, email=comment.email, ip=ip)
    if ban is not None:
        kind = "account" if ban.user_id else "email" if ban.email else "network"
        raise CommentRefused(ban.message(), reason=f"banned {kind}")


def check_rate(comment: Comment, *, settings: SiteSettings) -> None:
    """At most `rate_limit` comments a minute from one network or account, and
    `flood_seconds` between two comments of one commenter (one query)."""
    now = timezone.now()
    look_back = max(60, settings.flood_seconds) if settings.rate_limit else settings.flood_seconds
    if not look_back:
        return
    same = same_commenter(comment)
    nearby = same | Q(ip=comment.ip) if comment.ip else same
    recent = list(
        Comment.objects.filter(nearby, created__gte=now - timedelta(seconds=look_back))
        .annotate(mine=ExpressionWrapper(same, output_field=BooleanField()))
        .order_by("-created")
        .values_list("created", "ip", "user_id", "mine")[:100]
    )
    if settings.flood_seconds:
        mine = [created for created, _, _, is_mine in recent if is_mine]
        if mine:
            wait = settings.flood_seconds - (now - mine[0]).total_seconds()
            if wait > 0:
                seconds = max(1, round(wait))
                raise CommentRefused(
                    f"You posted a comment a moment ago. Please wait {seconds} more "
                    f"second{pluralize(seconds)} and post again; your text is kept below.",
                    reason="too soon after the last comment",
                )
    if settings.rate_limit:
        minute_ago = now - timedelta(seconds=60)
        last_minute = [row for row in recent if row[0] >= minute_ago]
        from_network = sum(1 for _, ip, _, _ in last_minute if comment.ip and ip == comment.ip)
        from_account = sum(
            1 for _, _, user_id, _ in last_minute if comment.user_id and user_id == comment.user_id
        )
        if max(from_network, from_account) >= settings.rate_limit:
            raise CommentRefused(
                f"Only {settings.rate_limit} comment{pluralize(settings.rate_limit)} a minute "
                "can be posted from one account or network. Please wait a minute and post "
                "again; your text is kept below.",
                reason="rate limit",
            )


def check_form(submission: Submission, *, settings: SiteSettings) -> None:
    """The honeypot field is empty, and the form was neither sent at once nor days later."""
    if submission.honeypot.strip():
        raise CommentRefused(
            "Your comment was not posted because a field meant to catch robots was filled "
            "in (your browser may have filled it by itself). Please post again.",
            reason="honeypot",
        )
    if submission.form_issued is None:
        return
    age = time.time() - submission.form_issued
    if age < settings.min_seconds_to_post:
        raise CommentRefused(
            "That was very quick: robots post the moment a page opens, so we ask people to "
            "take a few seconds. Please check your comment and post it again.",
            reason="form sent too fast",
        )
    if age > FORM_MAX_AGE.total_seconds():
        raise CommentRefused(
            "This page was open for more than two days, so its form has expired. Your text "
            "is kept below; please post it again.",
            reason="form expired",
            renew_form=True,
        )


def check_duplicate(comment: Comment) -> None:
    """The same text again, from the same commenter or network or on the same article."""
    recent = Comment.objects.filter(
        fingerprint=comment.fingerprint, created__gte=timezone.now() - DUPLICATE_WINDOW
    )
    same = Q(article_id=comment.article_id) | Q(email=comment.email)
    if comment.ip:
        same |= Q(ip=comment.ip)
    if recent.filter(same).exists():
        raise CommentRefused(
            "This comment has already been posted. If you meant to add to it, please change "
            "the text; to see yours, reload the article.",
            reason="duplicate",
        )


@dataclass
class Standing:
    hold: bool
    reason: str


def commenter_standing(comment: Comment, *, settings: SiteSettings) -> Standing:
    """Whether the moderation mode and the commenter's record let the comment through."""
    if settings.moderation_mode == ModerationMode.HOLD_ALL:
        return Standing(True, "every comment is held for a moderator")
    if settings.moderation_mode == ModerationMode.PUBLISH_ALL:
        return Standing(False, "comments are published without waiting")
    member = comment.user_id is not None
    who = "account" if member else "email"
    approved = Comment.objects.approved().by_commenter(comment)
    count = approved[: settings.trusted_after].count()
    if count >= settings.trusted_after:
        return Standing(False, f"{count} approved comment{pluralize(count)} before")
    # Asked second: most commenters who come back have the approved comments.
    if TrustedCommenter.vouches_for(user=comment.user if member else None, email=comment.email):
        return Standing(False, "trusted by a moderator")
    if count == 0:
        return Standing(True, f"first comment from this {who}")
    return Standing(
        True, f"{count} of {settings.trusted_after} approved comments needed from this {who}"
    )
