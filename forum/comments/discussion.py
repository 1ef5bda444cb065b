"""The comment section under an article, as the article page asks for it."""

from django.contrib import messages
from django.http import Http404
from django.middleware.csrf import get_token

from forum.site_settings.models import SiteSettings

from . import cookies
from .forms import CommentForm
from .models import Comment
from .tree import Options, Viewer, load_page

# The extra tag of a message about the reader's own comment or report: shown in the comment
# section, where the redirect lands, rather than at the top of the page.
NOTICE = "comments"


def moderates(user) -> bool:
    """Whether this person moderates comments on the site as in the admin: staff who may
    change comments (the Moderators group, superusers)."""
    return user.is_staff and user.has_perm("comments.change_comment")


def viewer_for(request, article) -> Viewer:
    if moderates(request.user):
        return Viewer(user_id=request.user.pk, moderator=True, csrf_token=get_token(request))
    if request.user.is_authenticated:
        return Viewer(user_id=request.user.pk)
    return Viewer(guest_comment_ids=cookies.own_comment_ids(request, article_id=article.pk))


def page_number(request) -> int:
    number = request.GET.get("cpage", "1")
    return int(number) if number.isdigit() and 0 < int(number) < 100_000 else 1


def thread_options(request, article, settings: SiteSettings) -> Options:
    return Options(
        article_url=article.get_absolute_url(),
        article_author_user_id=article.author.user_id,
        depth_limit=settings.comment_depth,
        open=article.accepts_comments(close_after_days=settings.close_comments_after_days),
        page=page_number(request),
        newest_first=request.GET.get("order") == "newest",
        expand=_expanded_thread(request),
        edit_window=settings.edit_window,
    )


def _expanded_thread(request) -> int | None:
    """The thread opened by "Show N more replies" without JavaScript (?expand=)."""
    raw = request.GET.get("expand", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


def discussion_context(request, article, *, form: CommentForm | None = None) -> dict:
    """Everything the comment section of the article page needs."""
    settings = SiteSettings.current()
    options = thread_options(request, article, settings)
    viewer = viewer_for(request, article)
    page = load_page(article, viewer=viewer, options=options)
    if options.page > 1 and not page.html:
        raise Http404("No such page of comments.")
    member = request.user.is_authenticated
    replying_to = None
    if form is None and options.open:
        replying_to = _reply_target(request, article, depth_limit=settings.comment_depth)
        initial = {} if member else cookies.remembered_commenter(request)
        if initial:
            initial["remember"] = True
        if replying_to:
            initial["parent"] = replying_to.pk
        form = CommentForm(
            article=article, member=member, max_length=settings.comment_max_length, initial=initial
        )
    elif form is not None and form.is_bound:
        parent = form.data.get("parent", "")
        if parent.isdigit():
            replying_to = _reply_target(request, article, depth_limit=settings.comment_depth,
                                        pk=int(parent))  # fmt: skip
        if parent and replying_to is None:
            # The reply cannot be placed: offer the text again as a new comment.
            data = form.data.copy()
            data["parent"] = ""
            form.data = data
    shown_above, notices = _split_messages(request)
    return {
        "messages": shown_above,
        "comment_notices": notices,
        "blank_form_key": _blank_form_key(form, member=member),
        "thread": page,
        "comment_options": options,
        "comment_form": form,
        "replying_to": replying_to,
        "next_comments_query": options.query(cpage=options.page + 1) if page.has_more else "",
        "closes_at": article.comments_close_at(close_after_days=settings.close_comments_after_days),
    }


def _split_messages(request) -> tuple[list, list]:
    """The page's messages: those for the top of the page, and the comment section's.

    The view's `messages` replaces the context processor's, so the base template shows only
    the first list."""
    shown_above, notices = [], []
    for message in messages.get_messages(request):
        ours = NOTICE in (message.extra_tags or "").split()
        (notices if ours else shown_above).append(message)
    return shown_above, notices


def _reply_target(request, article, *, depth_limit: int, pk: int | None = None):
    """The comment named by ?replyto=, if it may be replied to."""
    if pk is None:
        raw = request.GET.get("replyto", "")
        if not raw.isdigit():
            return None
        pk = int(raw)
    parent = Comment.objects.filter(pk=pk, article=article).select_related("user").first()
    if parent is None or not parent.accepts_replies(depth_limit=depth_limit):
        return None
    return parent


def _blank_form_key(form: CommentForm | None, *, member: bool) -> str:
    """A cache key for the form's visible fields when they hold nothing of the reader's."""
    if form is None or form.is_bound:
        return ""
    if any(form.initial.get(name) for name in ("body", "name", "email", "website")):
        return ""
    return f"{'member' if member else 'guest'}:{form.max_length}"
