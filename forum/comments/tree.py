"""One page of an article's discussion: load it in two queries, render it without templates.

A page is a run of top-level threads (THREADS_PER_PAGE of them) with all their replies.
The comments come back in one ordered query, the tree is built in Python, and the HTML is
written by small functions with every reader-written value escaped here or sanitised by
`forum.core.html`. A Django template loop over hundreds of comments would cost far more
than the database does.

The HTML that every reader sees alike is cached, keyed on the article's comment version (moved
on by every change to its comments, and to their writers' names and pictures) and on all else
the HTML shows (`Options`: the article's address and author, the page, order and depth limit).
A reader who wrote comments on the article gets a fresh render with their own controls (Edit,
Delete, the pending notice).
"""

import hashlib
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from html import escape

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from .models import Comment

THREADS_PER_PAGE = 50
CACHE_SECONDS = 24 * 3600
AVATAR_COLOURS = 6
GONE_TEXT = {
    "deleted": "This comment was deleted.",
    Comment.Status.PENDING: "This comment is awaiting moderation.",
    Comment.Status.SPAM: "This comment was removed.",
    Comment.Status.REMOVED: "This comment was removed.",
}


@dataclass(frozen=True)
class Viewer:
    """Who is reading: which comments are theirs, whether they may still edit them, and
    whether they moderate (a moderator's page is theirs alone: never cached or shared)."""

    user_id: int | None = None
    guest_comment_ids: frozenset[int] = frozenset()
    moderator: bool = False
    csrf_token: str = ""  # a moderator's, for the action buttons in their own render

    def owns(self, comment: Comment) -> bool:
        if self.user_id is not None:
            return comment.user_id == self.user_id
        return comment.user_id is None and comment.pk in self.guest_comment_ids

    def sees(self, comment: Comment) -> bool:
        """Whether this viewer is shown the comment in full: published, or their own still
        held; for a moderator, every one, marked with its status; never one its writer
        deleted."""
        if comment.deleted:
            return False
        if self.moderator:
            return True
        return comment.status == Comment.Status.APPROVED or (
            comment.status == Comment.Status.PENDING and self.owns(comment)
        )

    def own_comments(self) -> Q | None:
        """A filter for this viewer's comments, or None for a reader who has written none.

        Held comments among them are shown to the viewer, so a moderator, who is shown every
        held comment where it waits, is given all of them."""
        if self.moderator:
            return Q()
        if self.user_id is not None:
            return Q(user_id=self.user_id)
        if self.guest_comment_ids:
            return Q(pk__in=self.guest_comment_ids, user__isnull=True)
        return None


@dataclass
class Node:
    comment: Comment
    children: list["Node"] = field(default_factory=list)
    shown: bool = False  # in full; otherwise a placeholder kept for its replies


@dataclass(frozen=True)
class Options:
    """Everything about the page that is not about the comments."""

    article_url: str
    article_author_user_id: int | None
    depth_limit: int
    open: bool
    page: int = 1
    newest_first: bool = False
    edit_window: object = None  # a timedelta, for the viewer's own Edit links

    def url(self, **extra) -> str:
        """The article page with this page's parameters (and `extra`): absolute, because the
        thread is also shown at the posting URL when a form comes back with errors."""
        return self.article_url + self.query(**extra)

    def query(self, **extra) -> str:
        return page_query(page=self.page, newest_first=self.newest_first, **extra)

    def digest(self) -> str:
        """What the shared HTML shows of the above, for its cache key: a new address or
        author for the article, or a new depth limit, is a new page, never the old one with
        stale links or badges. (The edit window shapes only a writer's own, uncached view.)"""
        shown = replace(self, edit_window=None)
        return hashlib.blake2b(repr(shown).encode(), digest_size=12).hexdigest()


def page_query(*, page: int = 1, newest_first: bool = False, **extra) -> str:
    """The article page's query string for a page of threads in an order: "" for the first,
    oldest first."""
    params = {}
    if page > 1:
        params["cpage"] = page
    if newest_first:
        params["order"] = "newest"
    params.update(extra)
    return "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""


@dataclass
class ThreadPage:
    html: str
    thread_count: int
    page: int
    has_more: bool


def thread_queryset(article, viewer: Viewer):
    """Top-level comments of the threads this viewer can see, oldest first.

    A thread is shown if its first comment or any reply in it is public, or if the viewer
    has a comment waiting in it. Each test is an index probe per top-level comment.
    """
    replies = Comment.objects.filter(thread_id=OuterRef("pk"))
    shown = Q(status=Comment.Status.APPROVED) | Q(
        Exists(replies.filter(status=Comment.Status.APPROVED))
    )
    own = viewer.own_comments()
    if own is not None:
        shown |= Q(Exists(replies.filter(own, status=Comment.Status.PENDING)))
    return Comment.objects.filter(shown, article=article, parent__isnull=True).order_by("pk")


def page_of(comment: Comment, *, viewer: Viewer | None = None, newest_first: bool = False) -> int:
    """The page of threads that holds `comment`, for permalinks."""
    roots = thread_queryset(comment.article, viewer or Viewer())
    before = (
        roots.filter(pk__gt=comment.thread_id)
        if newest_first
        else roots.filter(pk__lt=comment.thread_id)
    )
    return before.count() // THREADS_PER_PAGE + 1


def load_page(article, *, viewer: Viewer, options: Options) -> ThreadPage:
    """The rendered page of threads, from the cache when the viewer has nothing of their own."""
    personal = viewer.own_comments() is not None and (
        viewer.user_id is None or article.comments.filter(user_id=viewer.user_id).exists()
    )
    key = f"comments:{article.pk}:{article.comment_version}:{options.digest()}"
    if not personal and (cached := cache.get(key)) is not None:
        return cached
    page = _build_page(article, viewer=viewer if personal else Viewer(), options=options)
    if not personal:
        cache.set(key, page, CACHE_SECONDS)
    return page


def _build_page(article, *, viewer: Viewer, options: Options) -> ThreadPage:
    roots = thread_queryset(article, viewer)
    thread_count = roots.count()
    offset = (options.page - 1) * THREADS_PER_PAGE
    page_roots = roots.order_by("-pk" if options.newest_first else "pk")
    page_roots = page_roots[offset : offset + THREADS_PER_PAGE].values("pk")
    comments = (
        Comment.objects.filter(thread_id__in=page_roots)
        .select_related("user")
        .defer("body", "email", "ip", "user_agent", "status_reasons", "token")
        .order_by("pk")
    )
    forest = build_forest(comments, viewer=viewer)
    if options.newest_first:
        forest.reverse()
        first_number = thread_count - offset
    else:
        first_number = offset + 1
    html = render_forest(forest, viewer=viewer, options=options, first_number=first_number)
    return ThreadPage(
        html=html,
        thread_count=thread_count,
        page=options.page,
        has_more=offset + THREADS_PER_PAGE < thread_count,
    )


def build_forest(comments, *, viewer: Viewer) -> list[Node]:
    """Arrange comments (ordered by pk) into threads; drop what the viewer may not see.

    A comment the viewer may not read stays as a placeholder if a reply below it is shown,
    so the conversation keeps its shape.
    """
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for comment in comments:
        node = nodes[comment.pk] = Node(comment)
        node.shown = viewer.sees(comment)
        if comment.parent_id is None:
            roots.append(node)
        elif parent := nodes.get(comment.parent_id):
            parent.children.append(node)
    return [node for node in roots if _prune(node)]


def _prune(node: Node) -> bool:
    """Keep the node if it is shown or has a shown reply; prune its children alike."""
    node.children = [child for child in node.children if _prune(child)]
    return node.shown or bool(node.children)


def render_forest(forest, *, viewer: Viewer, options: Options, first_number: int) -> str:
    step = -1 if options.newest_first else 1
    parts = []
    for index, node in enumerate(forest):
        _render_node(
            node, parts, viewer=viewer, options=options, number=first_number + index * step
        )
    return "".join(parts)


def _render_node(node: Node, parts: list, *, viewer: Viewer, options: Options, number=None):
    comment = node.comment
    marked = viewer.moderator and node.shown and not comment.is_public
    parts.append(
        f'<li class="comment-item"><article id="comment-{comment.pk}" '
        f'class="comment{f" comment--{comment.status}" if marked else ""}" '
        f'data-depth="{comment.depth}">'
    )
    if node.shown:
        _render_comment(comment, parts, viewer=viewer, options=options, number=number)
    else:
        text = GONE_TEXT["deleted" if comment.deleted else comment.status]
        if number is not None:
            parts.append(f'<p class="comment__number">#{number}</p>')
        parts.append(f'<p class="comment__gone">{text}</p>')
    parts.append("</article>")
    if node.children:
        parts.append('<ol class="comment-replies">')
        for child in node.children:
            _render_node(child, parts, viewer=viewer, options=options)
        parts.append("</ol>")
    parts.append("</li>")


def _render_comment(comment: Comment, parts: list, *, viewer, options: Options, number):
    name = escape(comment.author_name)
    created = timezone.localtime(comment.created)
    parts.append('<header class="comment__meta">')
    parts.append(avatar_html(comment))
    parts.append('<p class="comment__byline">')
    if number is not None:
        parts.append(f'<span class="comment__number">#{number}</span> ')
    # In <bdi>: a name written right to left, or with direction controls in it, cannot
    # reorder the date and badges that follow it.
    if comment.website:
        parts.append(
            f'<bdi><a class="comment__author" href="{escape(comment.website)}" '
            f'rel="nofollow ugc noopener">{name}</a></bdi>'
        )
    else:
        parts.append(f'<bdi><span class="comment__author">{name}</span></bdi>')
    if comment.user_id and comment.user_id == options.article_author_user_id:
        parts.append(' <span class="badge">Author</span>')
    parts.append(
        f' <a class="comment__date" href="{escape(options.url())}#comment-{comment.pk}">'
        f'<time datetime="{created.isoformat()}">{_when(created)}</time></a>'
    )
    if comment.edited:
        parts.append(' <span class="comment__edited">edited</span>')
    parts.append("</p></header>")
    mine = viewer.owns(comment)
    if viewer.moderator:
        parts.append(_status_html(comment))
    elif mine and comment.status == Comment.Status.PENDING:
        parts.append(
            '<p class="comment__notice" role="status">Your comment is awaiting moderation.</p>'
        )
    parts.append(f'<div class="comment__text">{comment.body_html}</div>')
    actions = []
    if options.open and comment.accepts_replies(depth_limit=options.depth_limit):
        actions.append(
            f'<a class="comment__reply" href="{escape(options.url(replyto=comment.pk))}#respond" '
            f'data-reply-to="{comment.pk}" data-reply-name="{name}">'
            f'Reply<span class="visually-hidden"> to {name}</span></a>'
        )
    if mine:
        if comment.may_still_be_edited(edit_window=options.edit_window):
            url = reverse("comments:edit", args=[comment.pk])
            actions.append(
                f'<a href="{url}">Edit<span class="visually-hidden"> your comment</span></a>'
            )
        url = reverse("comments:delete", args=[comment.pk])
        actions.append(
            f'<a href="{url}">Delete<span class="visually-hidden"> your comment</span></a>'
        )
    elif comment.is_public and not viewer.moderator:
        url = _report_url_pattern().replace("0", str(comment.pk), 1)
        actions.append(
            f'<a class="comment__report" href="{url}" rel="nofollow">'
            f'Report<span class="visually-hidden"> the comment by {name}</span></a>'
        )
    if actions:
        parts.append('<footer class="comment__actions">' + " ".join(actions) + "</footer>")
    if viewer.moderator:
        parts.append(_moderation_html(comment, viewer=viewer, options=options, name=name))


# A moderator's buttons under each comment on the article page: what the button posts, its
# label, and the status it gives the comment.
MODERATOR_ACTIONS = (
    ("approve", "Approve", Comment.Status.APPROVED),
    ("spam", "Spam", Comment.Status.SPAM),
    ("remove", "Remove", Comment.Status.REMOVED),
)
STATUS_MARKS = {
    Comment.Status.PENDING: "Held for moderation",
    Comment.Status.SPAM: "Marked as spam",
    Comment.Status.REMOVED: "Removed",
}


def _status_html(comment: Comment) -> str:
    """What a moderator is told of a comment readers do not see: its status and why ("" for
    a published one)."""
    if comment.is_public:
        return ""
    reasons = "; ".join(comment.status_reasons)
    why = f": {escape(reasons)}" if reasons else ""
    return (
        f'<p class="comment__status"><strong>{STATUS_MARKS[comment.status]}</strong>{why}. '
        "Readers do not see this comment.</p>"
    )


def _moderation_html(comment: Comment, *, viewer: Viewer, options: Options, name: str) -> str:
    """Approve, Spam, Remove (each a POST back to this comment) and Edit in the admin: the
    moderator's tools in place, one click each, without JavaScript."""
    action = _pk_url("comments:moderate", comment.pk)
    if options.newest_first:
        action += "?order=newest"
    buttons = [
        f'<button type="submit" name="action" value="{value}" class="comment__{value}">'
        f'{label}<span class="visually-hidden"> the comment by {name}</span></button>'
        for value, label, status in MODERATOR_ACTIONS
        if status != comment.status
    ]
    edit = _pk_url("admin:comments_comment_change", comment.pk)
    return (
        f'<form class="comment__moderation" method="post" action="{escape(action)}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(viewer.csrf_token)}">'
        + " ".join(buttons)
        + f' <a href="{escape(edit)}">Edit<span class="visually-hidden"> the comment by {name} '
        "in the admin</span></a></form>"
    )


@lru_cache(maxsize=4)
def _pk_url_pattern(name: str) -> str:
    return reverse(name, args=[0])


def _pk_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is a comment's id, reversed once."""
    return _pk_url_pattern(name).replace("/0/", f"/{pk}/", 1)


@lru_cache(maxsize=1)
def _report_url_pattern() -> str:
    """One reverse() for every Report link: "/comments/0/report/" with the 0 to replace."""
    return reverse("comments:report", args=[0])


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _when(moment: datetime) -> str:
    """ "21 Nov 2026, 14:05": Django's date_format costs a translation lookup per letter."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def avatar_html(comment: Comment) -> str:
    """The commenter's uploaded picture, or their initials on a colour chosen from the name."""
    user = comment.user if comment.user_id else None
    if user is not None and user.avatar:
        return (
            f'<img class="avatar" src="{escape(user.avatar.url)}" alt="" width="40" '
            'height="40" loading="lazy" decoding="async">'
        )
    name = comment.author_name
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "?"
    colour = zlib.crc32(name.encode()) % AVATAR_COLOURS
    return f'<span class="avatar avatar--{colour}" aria-hidden="true">{escape(initials)}</span>'
