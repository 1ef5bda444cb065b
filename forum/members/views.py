from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods, require_safe

from forum.articles.models import Article
from forum.comments.models import Comment
from forum.comments.tree import picture_html
from forum.core.html import visible_text

from .adapter import ASK_FOR_NAME
from .forms import DisplayNameForm, ProfileForm
from .models import User

COMMENTS_PER_PAGE = 20
EXCERPT_LENGTH = 200
# The columns a list of comments shows (and so the only ones it reads).
LISTED = (
    "pk",
    "created",
    "status",
    "deleted",
    "body_html",
    "article__title",
    "article__slug",
    "article__status",
    "article__published_at",
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    # Read before the form is checked: a refused form leaves its values on the member.
    profile_shown = request.user.shows_profile
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form, "profile_shown": profile_shown})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def choose_name(request):
    """Asks a member who has just confirmed their address for the name shown beside their
    comments, then sends them on to where they were going (`next`)."""
    request.session.pop(ASK_FOR_NAME, None)  # asked once: not again at the next sign-in
    then = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        then, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        then = "/"
    form = DisplayNameForm(
        request.POST or None,
        instance=request.user,
        initial={"display_name": request.user.display_name or request.user.get_full_name()},
    )
    if form.is_valid():
        form.save()
        messages.success(request, f"Welcome to {settings.SITE_NAME}, {request.user.public_name}.")
        return redirect(then)
    return render(request, "members/name.html", {"form": form, "next": then})


@require_safe
def public_profile(request, username: str):
    """A member's public page: who they are, in their words, and their published comments,
    newest first. Unless the member chose to show it (and their account is open), the
    answer is the same 404 as for a name nobody has, so the page tells nothing about who is
    a member."""
    member = get_object_or_404(
        User.objects.filter(public_profile=True, is_active=True), username=username
    )
    comments = (
        Comment.objects.approved()
        .filter(user=member, deleted=None, article__in=Article.objects.published())
        .select_related("article")
        .only(*LISTED)
        .order_by("-created", "-pk")
    )
    page = _comment_page(request, comments)
    # Escaped by picture_html, the one maker of the picture or initials beside comments.
    picture = mark_safe(picture_html(member.public_name, member, lazy=False))  # noqa: S308
    return render(
        request,
        "members/public_profile.html",
        {"member": member, "picture": picture, "page": page},
    )


@login_required
@require_safe
def own_comments(request):
    """Every comment the member has written, newest first, with what became of it."""
    comments = (
        Comment.objects.filter(user=request.user)
        .select_related("article")
        .only(*LISTED)
        .order_by("-created", "-pk")
    )
    page = _comment_page(request, comments)
    for comment in page:
        comment.state, comment.state_label, comment.state_note = comment_state(comment)
        # The article page shows its writer a comment still waiting, in place, too.
        seen = comment.state in ("published", "waiting") and comment.article.is_published
        comment.link = comment.get_absolute_url() if seen else ""
    return render(request, "members/own_comments.html", {"page": page})


def _comment_page(request, comments):
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for comment in page:
        comment.excerpt = Truncator(" ".join(visible_text(comment.body_html).split())).chars(
            EXCERPT_LENGTH
        )
    return page


def comment_state(comment: Comment) -> tuple[str, str, str]:
    """What became of a member's own comment, in words a reader understands: a key for the
    page's styles, a label and a sentence. A comment its writer deleted is kept (with status
    "removed") only when replies hang from it; otherwise it is gone and not listed."""
    if comment.deleted:
        return "deleted", "Deleted by you", "Replies to it keep their place in the thread."
    if comment.status == Comment.Status.APPROVED:
        return "published", "Published", ""
    if comment.status == Comment.Status.PENDING:
        return (
            "waiting",
            "Awaiting moderation",
            "Only you can see it until a moderator publishes it.",
        )
    return "hidden", "Not published", "A moderator took it down or held it as spam."
