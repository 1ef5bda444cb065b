"""One page of an article's discussion: load it in a few queries, render it without templates.

A page is a run of top-level threads: THREADS_PER_PAGE thread numbers (numbers are given when a
thread is first published and kept for life, so a page, and a permalink's page, follow from
them). Each thread shows its first REPLIES_SHOWN replies and "Show N more replies", so a page
holds at most THREADS_PER_PAGE x (1 + REPLIES_SHOWN) comments, however long the discussion.
The comments come back in one ordered query (a window numbers them in their thread), the tree is
built in Python, and the HTML is written by small functions with every reader-written value
escaped here or sanitised by `forum.core.html`. A Django template loop over hundreds of
comments would cost far more than the database does.

The HTML that every reader sees alike is cached in two layers: each page, keyed on the article's
comment version (moved on by every change to its comments, and to their writers' names and
pictures) and on all else the HTML shows (`Options`); and each thread, keyed on its own version,
so the first reader after a new comment renders only the thread that changed. A reader who
wrote comments on the article gets a fresh render with their own controls (Edit, Delete, the
pending notice).
"""

import hashlib
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from html import escape

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from .models import Comment

THREADS_PER_PAGE = 25
REPLIES_SHOWN = 5  # of each thread on a page; the rest behind "Show N more replies"
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
    expand: int | None = None  # a thread shown with all its replies: its first comment's id
    edit_window: object = None  # a timedelta, for the viewer's own Edit links

    def url(self, **extra) -> str:
        """The article page with this page's parameters (and `extra`): absolute, because the
        thread is also shown at the posting URL when a form comes back with errors."""
        return self.article_url + self.query(**extra)

    def query(self, **extra) -> str:
        return page_query(
            page=self.page, newest_first=self.newest_first, expand=self.expand, **extra
        )

    def digest(self) -> str:
        """What the shared HTML of the page shows of the above, for its cache key: a new
        address or author for the article, or a new depth limit, is a new page, never the old
        one with stale links or badges. (The edit window shapes only a writer's own, uncached
        view.)"""
        return _digest(replace(self, edit_window=None))

    def thread_digest(self) -> str:
        """The same for one thread's HTML, which is the same on every page and in either
        order: its links lead to the page its number puts it on."""
        return _digest(replace(self, page=1, newest_first=False, expand=None, edit_window=None))

    def for_thread(self, root: Comment, *, full: bool) -> "Options":
        """The options a thread is rendered with: links to the page (oldest first) that its
        number puts it on, with all its replies if it is shown `full`."""
        if root.number is None:  # the viewer's own thread, not yet published: this page
            return self
        return replace(
            self,
            page=page_for_number(root.number),
            newest_first=False,
            expand=root.pk if full else None,
        )


def _digest(options: Options) -> str:
    return hashlib.blake2b(repr(options).encode(), digest_size=12).hexdigest()


def page_query(
    *, page: int = 1, newest_first: bool = False, expand: int | None = None, **extra
) -> str:
    """The article page's query string for a page of threads in an order (and a thread shown
    in full): "" for the first, oldest first."""
    params = {}
    if page > 1:
        params["cpage"] = page
    if newest_first:
        params["order"] = "newest"
    if expand:
        params["expand"] = expand
    params.update(extra)
    return "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""


def page_for_number(number: int) -> int:
    """The page (oldest first) of the thread with this number."""
    return (number - 1) // THREADS_PER_PAGE + 1


@dataclass
class ThreadPage:
    html: str
    thread_count: int  # the highest thread number: how many threads were ever published
    page: int
    has_more: bool


# Threads never published: listed only for whoever may see their held first comment.
HELD_THREAD = Q(number=None, status=Comment.Status.PENDING)


def thread_is_listed(first: Comment, viewer: Viewer) -> bool:
    """Whether article pages list the thread that `first` begins, for this viewer: every
    thread ever published (it has a number), and a held thread the viewer may see (their own;
    every one for a moderator). A thread that was never public and went straight to spam or
    removal stays in the admin. `_build_page` asks the same with `HELD_THREAD`."""
    if first.number is not None:
        return True
    return first.status == Comment.Status.PENDING and (viewer.moderator or viewer.owns(first))


def highest_number(article) -> int:
    """The number of the article's latest thread (an index lookup)."""
    return Comment.objects.highest_numbers(article.pk).first() or 0


def page_of(comment: Comment, *, viewer: Viewer | None = None, newest_first: bool = False) -> int:
    """The page of threads that holds `comment`, for permalinks: from its thread's number, so
    it costs an index lookup or two, however long the discussion."""
    if comment.parent_id is None:
        number = comment.number
    else:
        number = Comment.objects.filter(pk=comment.thread_id).values_list("number", flat=True)[0]
    if number is None:
        # A thread not yet published, shown to its writer after the numbered ones.
        return 1 if newest_first else page_for_number(max(highest_number(comment.article), 1))
    if newest_first:
        return (highest_number(comment.article) - number) // THREADS_PER_PAGE + 1
    return page_for_number(number)


def hidden_in_thread(comment: Comment, viewer: Viewer) -> bool:
    """Whether `comment` is a reply after the first REPLIES_SHOWN its thread shows this
    viewer, shown only when the thread is opened in full ("Show N more replies"). Counts at
    most that many."""
    if comment.parent_id is None:
        return False
    before = Comment.objects.filter(
        shown_rows(viewer), thread_id=comment.thread_id, parent__isnull=False, pk__lt=comment.pk
    )
    return before[:REPLIES_SHOWN].count() >= REPLIES_SHOWN


def load_page(article, *, viewer: Viewer, options: Options) -> ThreadPage:
    """The rendered page of threads, from the cache when the viewer has nothing of their own.

    Two layers: the whole page, keyed on the article's comment version (any change to its
    comments moves it), and each thread's HTML, keyed on that thread's version, so after a new
    comment the next reader renders only the thread it joined."""
    personal = _is_personal(article, viewer)
    # Pages a reader opened a thread on (?expand=, any number) are not kept whole: a stream
    # of made-up addresses must not fill the cache. Their threads are cached all the same.
    whole = not personal and options.expand is None
    key = f"comments:{article.pk}:{article.comment_version}:{options.digest()}"
    if whole and (cached := cache.get(key)) is not None:
        return cached
    page = _build_page(article, viewer=viewer if personal else Viewer(), options=options,
                       shared=not personal)  # fmt: skip
    if whole and page.html:  # nor the empty pages past the last
        cache.set(key, page, CACHE_SECONDS)
    return page


def load_thread(article, root: Comment, *, viewer: Viewer, options: Options) -> str:
    """One thread's HTML in full ("Show N more replies"), from the thread cache when the
    viewer has nothing of their own."""
    options = replace(options, expand=root.pk)
    personal = _is_personal(article, viewer)
    return _threads_html([root], viewer=viewer if personal else Viewer(), options=options,
                         shared=not personal)[root.pk]  # fmt: skip


def _is_personal(article, viewer: Viewer) -> bool:
    """Whether the viewer must be shown a page of their own: a moderator, or a reader with
    comments on the article (their Edit links, their held comments)."""
    if viewer.moderator:
        return True
    return viewer.own_comments() is not None and (
        viewer.user_id is None or article.comments.filter(user_id=viewer.user_id).exists()
    )


def _page_range(page: int, top: int, *, newest_first: bool) -> tuple[int, int]:
    """The thread numbers on a page: THREADS_PER_PAGE of them, from the first or the last."""
    if newest_first:
        high = top - (page - 1) * THREADS_PER_PAGE
        return max(high - THREADS_PER_PAGE + 1, 1), high
    return (page - 1) * THREADS_PER_PAGE + 1, page * THREADS_PER_PAGE


def _build_page(article, *, viewer: Viewer, options: Options, shared: bool) -> ThreadPage:
    top = highest_number(article)
    low, high = _page_range(options.page, top, newest_first=options.newest_first)
    wanted = Q(number__range=(low, high))
    last = low <= 1 if options.newest_first else high >= top
    own = viewer.own_comments()
    if own is not None and last:
        # The viewer's own threads still held: after the published ones, as the newest.
        wanted |= own & HELD_THREAD
    if options.newest_first:
        order = (F("number").desc(nulls_first=True), "-pk")
    else:
        order = (F("number").asc(nulls_last=True), "pk")
    roots = list(
        Comment.objects.filter(wanted, article=article, parent=None)
        .order_by(*order)
        .only("pk", "number", "thread_version")
    )
    html = _threads_html(roots, viewer=viewer, options=options, shared=shared)
    return ThreadPage(
        html="".join(html[root.pk] for root in roots),
        thread_count=top,
        page=options.page,
        has_more=low > 1 if options.newest_first else high < top,
    )


def _threads_html(roots, *, viewer: Viewer, options: Options, shared: bool) -> dict[int, str]:
    """Each thread's HTML: from the cache (if `shared`) where its version is unchanged,
    rendered (and cached) where not."""
    html = {}
    keys = {
        root.pk: f"thread:{root.pk}:{root.thread_version}:"
        f"{'all' if root.pk == options.expand else REPLIES_SHOWN}:{options.thread_digest()}"
        for root in roots
    }
    if shared and keys:
        found = cache.get_many(list(keys.values()))
        html = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [root for root in roots if root.pk not in html]
    if missing:
        rendered = render_threads(missing, viewer=viewer, options=options)
        html.update(rendered)
        if shared:
            cache.set_many({keys[pk]: part for pk, part in rendered.items()}, CACHE_SECONDS)
    return html


def render_threads(roots: list[Comment], *, viewer: Viewer, options: Options) -> dict[int, str]:
    """The HTML of each of these threads ({first comment's id: html}, "" for a thread with
    nothing to show): its first REPLIES_SHOWN replies and a "Show N more replies" link, or all
    of them for the thread `options.expand` names. Three queries at most, whatever the size."""
    full = [root.pk for root in roots if root.pk == options.expand]
    cut = [root.pk for root in roots if root.pk != options.expand]
    rows = _first_rows(cut, viewer) if cut else []
    if full:
        rows += list(_comment_rows(viewer).filter(shown_rows(viewer), thread_id__in=full))
    by_thread: dict[int, list[Comment]] = {}
    for comment in rows:
        by_thread.setdefault(comment.thread_id, []).append(comment)
    html = {}
    for root in roots:
        comments = by_thread.get(root.pk, [])
        shown_all = root.pk == options.expand
        next_one = None
        if not shown_all and len(comments) > REPLIES_SHOWN + 1:
            next_one = comments.pop()  # the first reply left for "Show more replies"
        forest = build_forest(comments, viewer=viewer)
        if not forest:
            html[root.pk] = ""
            continue
        [node] = forest
        thread_options = options.for_thread(node.comment, full=shown_all)
        parts = []
        _render_node(node, parts, viewer=viewer, options=thread_options, number=root.number)
        if next_one is not None:
            more = next_one.in_thread - len(comments)
            # Inside the thread's <li>, after its replies.
            parts[-1:-1] = [_more_replies_html(node.comment, next_one, more, thread_options)]
        html[root.pk] = "".join(parts)
    return html


def shown_rows(viewer: Viewer) -> Q:
    """The comments the viewer may be shown, in full or as the placeholder of a removed
    comment with a published reply: what a thread's first replies are counted among."""
    if viewer.moderator:
        return Q()
    shown = Q(status=Comment.Status.APPROVED) | Q(
        Exists(Comment.objects.filter(parent_id=OuterRef("pk"), status=Comment.Status.APPROVED))
    )
    if (own := viewer.own_comments()) is not None:
        shown |= own & Q(status=Comment.Status.PENDING)
    return shown


def _first_rows(thread_ids, viewer: Viewer) -> list[Comment]:
    """Each thread's first comments that the viewer may be shown: its first comment,
    REPLIES_SHOWN replies and one more to link to, each with `in_thread`, how many there are
    in all. The window runs over the index alone (keys and statuses); only the comments kept
    are then read whole, however long the threads."""
    in_thread = {"partition_by": [F("thread_id")]}
    first = dict(
        Comment.objects.filter(shown_rows(viewer), thread_id__in=thread_ids)
        .annotate(
            position=Window(RowNumber(), order_by=F("pk").asc(), **in_thread),
            in_thread=Window(Count("pk"), **in_thread),
        )
        .filter(position__lte=REPLIES_SHOWN + 2)
        .order_by()
        .values_list("pk", "in_thread")
    )
    rows = list(_comment_rows(viewer).filter(pk__in=first))
    for row in rows:
        row.in_thread = first[row.pk]
    return rows


def _comment_rows(viewer: Viewer):
    """Comments as a thread shows them, oldest first, with their writers."""
    unused = ["body", "email", "ip", "user_agent", "token"]
    if not viewer.moderator:  # a moderator is shown why a comment is held
        unused.append("status_reasons")
    return Comment.objects.select_related("user").defer(*unused).order_by("pk")


def _more_replies_html(root: Comment, next_one: Comment, more: int, options: Options) -> str:
    """ "Show N more replies": without JavaScript, the thread's page with the thread in full,
    at the first reply not shown; with it, the replies loaded in place."""
    href = options.article_url + page_query(page=options.page, expand=root.pk)
    label = f"Show {more} more repl{'y' if more == 1 else 'ies'}"
    return (
        f'<p class="more-replies"><a href="{escape(href)}#comment-{next_one.pk}" '
        f'data-thread-url="{_thread_url_pattern().replace("0", str(root.pk), 1)}" '
        f'data-first="{next_one.pk}">{label}'
        f'<span class="visually-hidden"> to {escape(root.author_name)}</span></a></p>'
    )


@lru_cache(maxsize=1)
def _thread_url_pattern() -> str:
    return reverse("comments:thread", args=[0])


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
    if comment.user_id and comment.user.shows_profile:
        # Read from the row the page's one query already joined: no query per comment.
        parts.append(
            f'<bdi><a class="comment__author" href="{escape(comment.user.profile_url)}">'
            f"{name}</a></bdi>"
        )
    elif comment.website:
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
    return picture_html(comment.author_name, comment.user if comment.user_id else None)


def picture_html(name: str, user=None, *, lazy: bool = True) -> str:
    """A member's uploaded picture, or the initials of `name` on a colour chosen from it: the
    same beside every comment and on the member's profile page."""
    if user is not None and user.avatar:
        loading = ' loading="lazy"' if lazy else ""
        return (
            f'<img class="avatar" src="{escape(user.avatar.url)}" alt="" width="40" '
            f'height="40"{loading} decoding="async">'
        )
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "?"
    colour = zlib.crc32(name.encode()) % AVATAR_COLOURS
    return f'<span class="avatar avatar--{colour}" aria-hidden="true">{escape(initials)}</span>'
