from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forum.articles.models import Article
from forum.articles.views import render_article
from forum.core.http import client_ip
from forum.notifications.tokens import proven_address
from forum.notifications.views import tell_what_was_asked
from forum.site_settings.models import SiteSettings

from . import cookies
from .discussion import NOTICE, moderates, thread_options, viewer_for
from .forms import CommentForm, EditCommentForm, ReportForm
from .models import Comment
from .services import (
    CommentNotAllowed,
    delete_comment,
    edit_comment,
    report_comment,
    submit_comment,
)
from .tree import (
    MODERATOR_ACTIONS,
    Viewer,
    hidden_in_thread,
    load_page,
    load_thread,
    page_of,
    page_query,
    thread_is_listed,
)


def _visible_article(request, article_id: int) -> Article:
    """The article, if the reader may see it (tags and links load only if the page is shown)."""
    return get_object_or_404(
        Article.objects.visible_to(request.user).select_related("category", "author"),
        pk=article_id,
    )


def comment_url(comment: Comment, viewer=None, *, newest_first: bool = False) -> str:
    """The article page that shows `comment`, scrolled to it (its thread in full if the
    reply is one of those behind "Show more replies")."""
    page = page_of(comment, viewer=viewer, newest_first=newest_first)
    expand = comment.thread_id if hidden_in_thread(comment, viewer or Viewer()) else None
    query = page_query(page=page, newest_first=newest_first, expand=expand)
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"


@require_http_methods(["GET", "HEAD", "POST"])
def post_comment(request, article_id: int):
    article = _visible_article(request, article_id)
    if request.method != "POST":
        # The address a refused comment is shown at, opened again (a reload, a bookmark,
        # a restored tab): the form on the article page.
        return redirect(article.get_absolute_url() + "#respond")
    settings = SiteSettings.current()
    member = request.user.is_authenticated
    form = CommentForm(
        request.POST, article=article, member=member, max_length=settings.comment_max_length
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = submit_comment(
                article=article,
                body=data["body"],
                user=request.user if member else None,
                name=data.get("name", ""),
                email=data.get("email", ""),
                website=data.get("website", ""),
                parent_id=data.get("parent"),
                token=data["token"],
                ip=client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
                form_issued=form.issued,
                honeypot=request.POST.get("homepage", ""),
                notify=data.get("notify", False),
                follow=data["follow"],
                proven_email=proven_address(request),
                settings=settings,
            )
        except CommentNotAllowed as refusal:
            form.add_error(None, str(refusal))
            if getattr(refusal, "renew_form", False):
                form.renew_token()
        else:
            response = _posted(request, comment, remember=data.get("remember"))
            tell_what_was_asked(
                request, comment, notify=data.get("notify", False), follow=data["follow"]
            )
            return response
    return render_article(request, article, comment_form=form)


def _posted(request, comment: Comment, *, remember: bool | None):
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, "Thank you. Your comment is published.", extra_tags=NOTICE)
    else:
        messages.info(
            request,
            "Thank you. Your comment is awaiting moderation and will appear to others "
            "once a moderator approves it.",
            extra_tags=NOTICE,
        )
    if comment.user_id is None:
        ids = cookies.own_comment_ids(request, article_id=comment.article_id) | {comment.pk}
        viewer = Viewer(guest_comment_ids=ids)
    else:
        viewer = Viewer(user_id=comment.user_id)
    response = redirect(comment_url(comment, viewer))
    if comment.user_id is None:
        cookies.remember_own_comment(request, response, comment)
        if remember:
            cookies.remember_commenter(
                response, name=comment.name, email=comment.email, website=comment.website
            )
        elif remember is False:
            cookies.forget_commenter(response)
    return response


@require_safe
def permalink(request, pk: int):
    """A link to one comment: the article page that shows it, or, for a comment no longer
    public (taken down, deleted, held), the article's discussion with a note saying so.

    `?article=` names the page an old `#comment-N` link was opened on, for a comment whose
    row is gone."""
    newest_first = request.GET.get("order") == "newest"
    comment = Comment.objects.filter(pk=pk).first()
    if comment is None:
        article = _visible_article(request, _article_id(request))
    else:
        # The article loaded once, with what its address and the thread links need.
        article = comment.article = _visible_article(request, comment.article_id)
        viewer = viewer_for(request, article)
        if _in_place(comment, viewer):
            return redirect(comment_url(comment, viewer, newest_first=newest_first))
    messages.info(request, _unavailable_note(request, comment), extra_tags=NOTICE)
    return redirect(f"{article.get_absolute_url()}{page_query(newest_first=newest_first)}#comments")


def _in_place(comment: Comment, viewer: Viewer) -> bool:
    """Whether the article page shows this viewer `comment` where it sits in its thread: the
    viewer may see it, and the page lists its thread (`tree.thread_is_listed`)."""
    if not viewer.sees(comment):
        return False
    if comment.is_public or not viewer.moderator:
        return True
    first = comment
    if comment.parent_id is not None:
        first = Comment.objects.only("number", "status").get(pk=comment.thread_id)
    return thread_is_listed(first, viewer)


def _unavailable_note(request, comment: Comment | None) -> str:
    """What the reader is told about a comment that is not shown; a moderator (following
    the admin's "View on site") is told why."""
    if comment is not None and request.user.has_perm("comments.change_comment"):
        why = "deleted by its writer" if comment.deleted else comment.get_status_display()
        return f"That comment is not shown to readers ({why.lower()})."
    return "That comment is no longer available."


def _article_id(request) -> int:
    raw = request.GET.get("article", "")
    if not raw.isdigit() or int(raw) >= 2**31:
        raise Http404("No such comment.")
    return int(raw)


@require_safe
def more(request, article_id: int):
    """The next page of threads, for "Show more comments" with JavaScript."""
    article = _visible_article(request, article_id)
    options = thread_options(request, article, SiteSettings.current())
    page = load_page(article, viewer=viewer_for(request, article), options=options)
    if not page.html:
        raise Http404("No more comments.")
    next_url = ""
    if page.has_more:
        query = options.query(cpage=options.page + 1)
        next_url = reverse("comments:more", args=[article.pk]) + query
    return JsonResponse({"html": page.html, "next": next_url})


@require_safe
def thread(request, pk: int):
    """A whole thread, for "Show N more replies" with JavaScript: its HTML, as the article
    page shows it with the thread opened."""
    root = get_object_or_404(
        Comment.objects.only("pk", "article_id", "number", "thread_version"), pk=pk, parent=None
    )
    article = _visible_article(request, root.article_id)
    options = thread_options(request, article, SiteSettings.current())
    html = load_thread(article, root, viewer=viewer_for(request, article), options=options)
    if not html:
        raise Http404("No such thread.")
    return JsonResponse({"html": html})


# What a moderator's button on the article page does: the reason recorded (worded as the
# admin's actions word it) and what the moderator is told after.
DECISIONS = {
    "approve": ("approved", "readers see it now"),
    "spam": ("marked as spam", "readers no longer see it"),
    "remove": ("removed", "readers no longer see it"),
}


@require_POST
def moderate(request, pk: int):
    """A moderator's Approve, Spam or Remove on a comment, from its place on the article
    page: the same status change as the admin's actions, then back to the comment with a
    confirmation beside it (or to the discussion, if the comment is no longer shown there)."""
    if not moderates(request.user):
        raise PermissionDenied("Only moderators can do this.")
    comment = get_object_or_404(Comment.objects.select_related("article", "user"), pk=pk)
    action = request.POST.get("action", "")
    if action not in DECISIONS:
        return HttpResponseBadRequest("Choose Approve, Spam or Remove.")
    reason, outcome = DECISIONS[action]
    status = next(status for value, _, status in MODERATOR_ACTIONS if value == action)
    comment.set_status(status, by=request.user, reason=f"{reason} by {request.user}")
    messages.success(
        request, f"The comment by {comment.author_name} is {reason}: {outcome}.", extra_tags=NOTICE
    )
    newest_first = request.GET.get("order") == "newest"
    viewer = viewer_for(request, comment.article)
    if _in_place(comment, viewer):
        return redirect(comment_url(comment, viewer, newest_first=newest_first))
    return redirect(
        f"{comment.article.get_absolute_url()}{page_query(newest_first=newest_first)}#comments"
    )


def _own_comment(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("article", "article__author", "user"), pk=pk, deleted=None
    )
    if not viewer_for(request, comment.article).owns(comment):
        raise PermissionDenied("You can change only your own comments.")
    return comment


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk: int):
    comment = _own_comment(request, pk)
    settings = SiteSettings.current()
    if not comment.may_still_be_edited(edit_window=settings.edit_window):
        messages.error(request, "The time for editing this comment has passed.", extra_tags=NOTICE)
        return redirect(comment_url(comment, viewer_for(request, comment.article)))
    form = EditCommentForm(
        request.POST or None,
        initial={"body": comment.body},
        max_length=settings.comment_max_length,
    )
    if form.is_valid():
        edit_comment(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, "Your comment was updated.", extra_tags=NOTICE)
        return redirect(comment_url(comment, viewer_for(request, comment.article)))
    return render(
        request,
        "comments/edit.html",
        {
            "comment": comment,
            "form": form,
            "edit_closes_at": comment.edit_closes_at(edit_window=settings.edit_window),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, pk: int):
    comment = _own_comment(request, pk)
    if request.method == "POST":
        article = comment.article
        delete_comment(comment=comment, by=request.user if request.user.is_authenticated else None)
        messages.success(request, "Your comment was deleted.", extra_tags=NOTICE)
        return redirect(article.get_absolute_url() + "#comments")
    return render(request, "comments/delete.html", {"comment": comment})


@require_http_methods(["GET", "HEAD", "POST"])
def report(request, pk: int):
    """A reader tells the moderators that a published comment breaks the rules."""
    comment = get_object_or_404(
        Comment.objects.select_related("article", "user"),
        pk=pk,
        status=Comment.Status.APPROVED,
        deleted=None,
        article__in=Article.objects.visible_to(request.user),
    )
    form = ReportForm(request.POST or None)
    if form.is_valid():
        try:
            report_comment(
                comment=comment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                user=request.user,
                ip=client_ip(request),
            )
        except CommentNotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            comment.refresh_from_db(fields=["status"])
            if comment.is_public:
                messages.success(
                    request,
                    "Thank you for the report. A moderator will look at it.",
                    extra_tags=NOTICE,
                )
            else:
                messages.success(
                    request,
                    "Thank you for the report. The comment is hidden until a moderator "
                    "looks at it.",
                    extra_tags=NOTICE,
                )
            return redirect(comment.article.get_absolute_url() + "#comments")
    return render(request, "comments/report.html", {"comment": comment, "form": form})
