"""The tasks that tell readers: a guest's confirmation mail, reply and approval notices when a
comment is published, and the hourly digest for the followers of a discussion.

Each notice is claimed in the `Notice` ledger before its mail is queued (at most once, never
twice), and each mail goes through `forum.core.mail`, which retries a failed send.
"""

import secrets
from datetime import timedelta
from itertools import batched

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.tasks import default_task_backend, task
from django.utils import timezone
from django.utils.text import Truncator

from forum.articles.models import Article
from forum.comments.models import Comment
from forum.core.mail import render_email, send_email, send_email_message, unsubscribe_headers

from . import tokens
from .models import Follow, Kind, Notice, Recipient, addresses

DIGEST_EVERY = timedelta(hours=1)
QUEUED_TOGETHER = 50  # digests queued in one transaction
DIGEST_LIMIT = 20  # comments quoted in one digest; the rest are counted, with a link
EXCERPT = 600  # characters quoted of each comment in a digest
# A comment written longer ago than this is not news: no notice or digest names it, so the
# ledger can forget notices this old (`forget_notices`) without anyone hearing twice.
NEWS_FOR = timedelta(days=365)
# A held comment older than this no longer holds a digest back (see `move_on`).
HOLD_BACK_FOR = timedelta(days=7)


def due(now) -> Q:
    """The follows that may get a digest at `now`: none was sent them within the hour."""
    return Q(last_sent=None) | Q(last_sent__lte=now - DIGEST_EVERY)


def digest_flag(article_id: int) -> str:
    return f"notifications:digest-queued:{article_id}"


@task
def send_confirmation(recipient_id: int, article_id: int | None = None) -> bool:
    """A guest's address asked something for it that waits: mail the link that confirms it
    (naming the article asked about), unless nothing waits any more."""
    from .services import pending_follows, pending_replies

    recipient = Recipient.objects.filter(pk=recipient_id, user=None).first()
    if recipient is None or not (
        pending_replies(recipient.email).exists() or pending_follows(recipient).exists()
    ):
        return False
    send_email(
        "notify_confirm",
        to=[recipient.email],
        context={
            "confirm_url": tokens.confirm_url(recipient),
            "article": Article.objects.filter(pk=article_id).first(),
        },
        from_a_task=True,
    )
    return True


@task
def tell_readers(comment_ids: list[int], held_ids: list[int] | None = None) -> int:
    """Tell readers about comments just published: the writer of each comment replied to,
    the writers of held comments a moderator approved (`held_ids`), and (by the hourly
    digest) the followers of each article. Only comments still public on a published article are
    told about. Returns how many notices were queued."""
    comments = Comment.objects.filter(
        pk__in=comment_ids,
        status=Comment.Status.APPROVED,
        deleted=None,
        created__gt=timezone.now() - NEWS_FOR,
    ).select_related("article", "user", "parent", "parent__user")
    held = set(held_ids or ())
    told = 0
    articles = set()
    for comment in comments:
        if not comment.article.is_published:
            continue
        articles.add(comment.article_id)
        if comment.pk in held:
            told += tell(comment, Kind.APPROVALS, about=comment)
        parent = comment.parent
        if parent is not None and parent.deleted is None:
            told += tell(parent, Kind.REPLIES, about=comment)
    for article_id in sorted(articles):
        schedule_digest(article_id)
    return told


def writer_recipient(comment: Comment, kind: str) -> Recipient | None:
    """Who wrote `comment`, if they want mail of `kind` about it: a member by their settings
    (on by default), a guest only if they ticked "Notify me" on that comment and confirmed it."""
    if comment.user_id:
        recipient = Recipient.for_member(comment.user) if comment.user.is_active else None
    elif comment.notify and comment.notify_confirmed:
        recipient = Recipient.objects.filter(email=comment.email).first()
    else:
        recipient = None
    return recipient if recipient is not None and recipient.wants(kind) else None


def is_own(recipient: Recipient, address: str, comment: Comment) -> bool:
    """Whether `comment` is the recipient's own: from their account, or from their address."""
    return bool(recipient.user_id and comment.user_id == recipient.user_id) or (
        comment.email == address
    )


def claim(recipient: Recipient, address: str, comment: Comment, kind: str) -> bool:
    """Take the one notice `address` may have about `comment`, whichever of its recipients
    (a guest's and a member's) asks. False if it was taken."""
    try:
        with transaction.atomic():
            Notice.objects.create(
                recipient=recipient, address=address.lower(), comment=comment, kind=kind
            )
    except IntegrityError:
        return False
    return True


def tell(written: Comment, kind: str, *, about: Comment) -> int:
    """Mail the writer of `written` (a reply's parent, or the approved comment itself) about
    `about`, if they asked for `kind`, their address may be mailed, `about` is not their own
    reply, and they were not told about it already."""
    recipient = writer_recipient(written, kind)
    if recipient is None or not (address := recipient.address()):
        return 0
    if kind != Kind.APPROVALS and is_own(recipient, address, about):
        return 0
    if not claim(recipient, address, about, kind):
        return 0
    name = "notify_approved" if kind == Kind.APPROVALS else "notify_reply"
    context = {
        "comment": about,
        "comment_url": tokens.absolute(about.get_absolute_url()),
        "article": about.article,
        "parent": written,
    }
    notify(name, recipient, address, kind, context)
    return 1


def notify(name: str, recipient: Recipient, address: str, kind: str, context: dict) -> None:
    """Queue notification mail `name`, with what every one carries: the ways to stop it (a
    link for that kind and one for everything, and the List-Unsubscribe headers that stop
    that kind in one click) and the reader's settings page."""
    send_personal(render_shared(name, kind, context), address, personal_urls(recipient, kind))


def render_shared(name: str, kind: str, context: dict) -> tuple[str, str, str]:
    """A notification rendered once for everyone it goes to: each reader's own links stand as
    markers (`PERSONAL`, unguessable, so no comment can carry one) for `send_personal`."""
    return render_email(name, {**context, "kind_label": Kind(kind).label, **PERSONAL})


def personal_urls(recipient: Recipient, kind: str, follow: Follow | None = None) -> dict:
    urls = {
        "unsubscribe_url": tokens.unsubscribe_url(recipient, kind),
        "unsubscribe_all_url": tokens.unsubscribe_url(recipient, tokens.EVERYTHING),
        "settings_url": tokens.settings_url(recipient),
    }
    if follow is not None:
        urls["unfollow_url"] = tokens.unfollow_url(follow)
    return urls


def send_personal(rendered: tuple[str, str, str], address: str, urls: dict) -> None:
    """Queue a mail rendered by `render_shared` to one reader, with their own links."""
    subject, text, html = rendered
    for name, url in urls.items():
        text = text.replace(PERSONAL[name], url)
        html = html.replace(PERSONAL[name], url)
    send_email_message.enqueue(
        subject=subject,
        text=text,
        html=html,
        to=[address],
        headers=unsubscribe_headers(urls["unsubscribe_url"]),
    )


_SECRET = secrets.token_hex(8)
PERSONAL = {
    name: f"https://personal.invalid/{_SECRET}/{name}"
    for name in ("unsubscribe_url", "unsubscribe_all_url", "settings_url", "unfollow_url")
}


def schedule_digest(article_id: int) -> None:
    """Queue the digest for the article's followers, if it has any: an hour from now, once
    (whichever comment comes first queues it; the digest names every one published
    meanwhile). A backend that cannot wait (development) sends it at once, and followers told
    within the hour wait for the next comment or for `notifications_housekeeping`."""
    if not Follow.objects.filter(article_id=article_id).exists():
        return
    if not default_task_backend.supports_defer:
        send_digests.enqueue(article_id=article_id)
    elif cache.add(digest_flag(article_id), True, timeout=DIGEST_EVERY.total_seconds()):
        send_digests.using(run_after=timezone.now() + DIGEST_EVERY).enqueue(article_id=article_id)


@task
def send_digests(article_id: int) -> int:
    """Mail each follower of the article who was not sent a digest within the hour the
    comments published since they began following and not yet told to them (not their own).
    In a fixed number of queries plus one queued mail per follower told. Returns how many
    followers were mailed."""
    cache.delete(digest_flag(article_id))  # comments from now on need the next digest
    now = timezone.now()
    waiting = Follow.objects.filter(
        due(now), article_id=article_id, confirmed__isnull=False, recipient__following=True
    )
    # Claimed by stamping: a second digest running at once finds them taken.
    due_ids = list(waiting.values_list("pk", flat=True))
    for batch in batched(due_ids, 500, strict=False):
        waiting.filter(pk__in=batch).update(last_sent=now)
    follows = list(
        Follow.objects.filter(article_id=article_id, last_sent=now).select_related(
            "article", "recipient", "recipient__user"
        )
    )
    if not follows or not follows[0].article.is_published:
        return 0
    start = min(follow.after for follow in follows)
    published = Comment.objects.filter(
        article_id=article_id,
        pk__gt=start,
        status=Comment.Status.APPROVED,
        deleted=None,
        created__gt=now - NEWS_FOR,
    ).select_related("user")
    news = list(published.order_by("pk"))
    if not news:
        return 0
    sendable = addresses([follow.recipient for follow in follows])
    # Told by address: a guest's and a member's recipient with one address are one reader.
    told = {
        pair
        for batch in batched(sorted(set(sendable.values())), 500, strict=False)
        for pair in Notice.objects.filter(
            address__in=batch, comment_id__in=[comment.pk for comment in news]
        ).values_list("address", "comment_id")
    }
    wanted = {}  # follow → the comments it is to be told about
    for follow in follows:
        address = sendable.get(follow.recipient_id)
        if address is None:
            continue
        wanted[follow] = [
            comment
            for comment in news
            if comment.pk > follow.after
            and (address, comment.pk) not in told
            and not is_own(follow.recipient, address, comment)
        ]
        told.update((address, comment.pk) for comment in wanted[follow])
    Notice.objects.bulk_create(
        [
            Notice(
                recipient=follow.recipient,
                address=sendable[follow.recipient_id],
                comment=comment,
                kind=Kind.FOLLOWING,
                created=now,
            )
            for follow, comments in wanted.items()
            for comment in comments
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    # A reply notice may have taken a comment meanwhile: only our own rows count.
    ours = set(
        Notice.objects.filter(
            comment__article_id=article_id, kind=Kind.FOLLOWING, created=now
        ).values_list("recipient_id", "comment_id")
    )
    # The same for every follower: made once, not once a mail.
    article = follows[0].article
    article_url = tokens.absolute(article.get_absolute_url()) + "#comments"
    links = {comment.pk: tokens.absolute(comment.get_absolute_url()) for comment in news}
    for comment in news:
        # What a digest quotes of a comment, for its templates (`comment.excerpt`): made
        # once, where truncating each comment for every follower took half the task's time.
        comment.excerpt = Truncator(comment.body).chars(EXCERPT)
    mailed = 0
    rendered = {}  # the comments a digest names → the digest, rendered once for all of them
    mails = []
    for follow, comments in wanted.items():
        comments = [c for c in comments if (follow.recipient_id, c.pk) in ours]
        if not comments:
            continue
        key = tuple(comment.pk for comment in comments)
        if key not in rendered:
            context = {
                "article": article,
                "article_url": article_url,
                "comments": [(c, links[c.pk]) for c in comments[:DIGEST_LIMIT]],
                "count": len(comments),
                "more": max(0, len(comments) - DIGEST_LIMIT),
            }
            rendered[key] = render_shared("notify_digest", Kind.FOLLOWING, context)
        urls = personal_urls(follow.recipient, Kind.FOLLOWING, follow)
        mails.append((rendered[key], sendable[follow.recipient_id], urls))
        mailed += 1
    for batch in batched(mails, QUEUED_TOGETHER, strict=False):
        # One commit for a few dozen queued mails, not one each (PostgreSQL waits for the
        # disk at every commit); short enough that posting never waits long behind it.
        with transaction.atomic():
            for mail in batch:
                send_personal(*mail)
    move_on(article_id, follows=[follow.pk for follow in follows], seen=news[-1].pk)
    return mailed


def move_on(article_id: int, *, follows: list[int], seen: int) -> None:
    """Start the next digest of these follows after `seen`, or before the article's first
    comment still waiting for a moderator, which may yet be published and is news then
    (unless it waited longer than `HOLD_BACK_FOR`: a comment approved that late is not news,
    and holding back for it would make every digest search from there)."""
    waiting = Comment.objects.filter(
        article_id=article_id,
        status=Comment.Status.PENDING,
        pk__lte=seen,
        created__gt=timezone.now() - HOLD_BACK_FOR,
    ).aggregate(first=Min("pk"))["first"]
    after = seen if waiting is None else waiting - 1
    for batch in batched(follows, 500, strict=False):
        Follow.objects.filter(pk__in=batch, after__lt=after).update(after=after)


def articles_with_news() -> list[int]:
    """The published articles with a follower due a digest (none sent within the hour) and
    a comment for them that is news: public, newer than where their last digest stopped, not
    yet told to them. For `notifications_housekeeping`, which sends the digests that no task
    sent (a backend that cannot wait, a lost task)."""
    now = timezone.now()
    told = Notice.objects.filter(
        recipient_id=OuterRef(OuterRef("recipient_id")), comment_id=OuterRef("pk")
    )
    news = Comment.objects.filter(
        article_id=OuterRef("article_id"),
        pk__gt=OuterRef("after"),
        status=Comment.Status.APPROVED,
        deleted=None,
        created__gt=now - NEWS_FOR,
    ).filter(~Exists(told))
    return list(
        Follow.objects.filter(
            due(now),
            Exists(news),
            confirmed__isnull=False,
            recipient__following=True,
            article__in=Article.objects.published(),
        )
        .values_list("article_id", flat=True)
        .order_by("article_id")
        .distinct()
    )


def forget_notices() -> int:
    """Delete the ledger's notices older than `NEWS_FOR`. Safe: they name comments at least
    that old, which no notice or digest names again. Returns how many were deleted."""
    return Notice.objects.filter(created__lt=timezone.now() - NEWS_FOR).delete()[0]
