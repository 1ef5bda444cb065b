"""The reader's side of comment notifications: the pages behind the links in mail (confirm,
settings, unsubscribe, stop following, a guest's follow link), a member's settings, and the
"Follow this discussion" button and form on the article page.

Links in mail show a page on GET and act on POST, because mail scanners open links; the RFC 8058
one-click POST is the one exception. Nothing a guest types is answered differently whether the
address is known, confirmed or new, so the site never tells who gets its mail.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from forum.articles.models import Article
from forum.comments.discussion import NOTICE
from forum.comments.models import Comment, normalize_email
from forum.core.mail import send_email
from forum.newsletter.views import network
from forum.site_settings.models import SiteSettings

from . import services, tokens
from .forms import FollowForm, SettingsForm
from .models import Kind, LinkRequest, Recipient, addresses

ONE_CLICK_BODY = "One-Click"
# A guest's follow form mails a link: at most this many from one network an hour (the form
# says so), and no more than an address's daily budget of links (silently: saying so would
# tell that someone asked for that address already).
FOLLOWS_PER_NETWORK_PER_HOUR = 10
FOLLOW_LINKS_PER_ADDRESS_PER_DAY = services.MAILS_PER_ADDRESS_PER_DAY
HONEYPOT_ERROR = (
    "This form could not be sent. If you filled in the field labelled “Leave this field "
    "empty”, please clear it and press Follow again."
)
PURPOSES = {tokens.CONFIRM: "confirm", tokens.FOLLOW: "follow", tokens.MANAGE: "manage"}


def masked(email: str) -> str:
    """An address as a page may show it to whoever holds a forwarded link: enough for its
    owner to recognise it (`an…@example.org`), not enough to copy."""
    local, _, domain = email.partition("@")
    return f"{local[:2]}…@{domain}"


def settings_path(recipient: Recipient) -> str:
    """The settings page of `recipient`, for links on our own pages (mail uses SITE_URL)."""
    return reverse(
        "notifications:settings", args=[tokens.recipient_token(recipient, tokens.MANAGE)]
    )


def _bad_link(request, reason: str, *, purpose: str):
    """The page for a link that cannot be used: what happened and what to do instead."""
    context = {
        "reason": reason,
        "purpose": PURPOSES[purpose],
        "days": tokens.MAX_AGE[purpose].days,
    }
    return render(
        request, "notifications/bad_link.html", context, status=404 if reason == "invalid" else 400
    )


def _discussions(recipient: Recipient) -> list:
    """The discussions `recipient` follows, newest first (none for a member not yet saved)."""
    if recipient.pk is None:
        return []
    return list(recipient.follows.select_related("article").order_by("-created"))


# Confirming a guest's address


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        recipient = tokens.open_recipient_token(token, tokens.CONFIRM)
    except tokens.BadLink as bad:
        return _bad_link(request, bad.reason, purpose=tokens.CONFIRM)
    if recipient.is_member:
        return _bad_link(request, "invalid", purpose=tokens.CONFIRM)
    if request.method == "POST":
        services.confirm(recipient)
        response = render(
            request,
            "notifications/confirmed.html",
            {
                "recipient": recipient,
                "address": masked(recipient.email),
                "asked_replies": _asked_for_replies(recipient),
                "discussions": _discussions(recipient),
                "settings_path": settings_path(recipient),
            },
        )
        tokens.prove_address(response, recipient.email)
        return response
    waiting = list(services.pending_follows(recipient).select_related("article"))
    asked = services.pending_replies(recipient.email)
    asked_replies = asked.exists()
    if recipient.confirmed and not (waiting or asked_replies):
        return render(request, "notifications/bad_link.html", {"reason": "used"})
    return render(
        request,
        "notifications/confirm.html",
        {
            "address": masked(recipient.email),
            "asked_replies": asked_replies,
            "asked_held": asked.filter(status=Comment.Status.PENDING).exists(),
            "discussions": waiting,
        },
    )


def _asked_for_replies(recipient: Recipient) -> bool:
    return Comment.objects.filter(
        user=None, email=recipient.email, notify=True, notify_confirmed=True
    ).exists()


# Settings: from the link in every mail, or a member's own page


@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request, token):
    try:
        recipient = tokens.open_recipient_token(token, tokens.MANAGE)
    except tokens.BadLink as bad:
        return _bad_link(request, bad.reason, purpose=tokens.MANAGE)
    return _settings(request, recipient, by_link=True)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    """A member's settings. Until they save, the defaults stand (every kind on), unsaved."""
    if request.method == "POST":
        recipient = Recipient.for_member(request.user)
    else:
        recipient = Recipient.objects.filter(user=request.user).first()
        recipient = recipient or Recipient(user=request.user)
    return _settings(request, recipient)


def _settings(request, recipient: Recipient, *, by_link: bool = False):
    """The settings page; reached `by_link` (from mail, which may be forwarded) it shows the
    address masked, as the confirm page does."""
    if request.method == "POST" and "stop_all" in request.POST:
        recipient.stop()
        messages.success(
            request,
            "You will get no more comment emails. Tick any of the boxes below to start again.",
        )
        return redirect(request.path)
    if request.method == "POST" and "unfollow" in request.POST:
        article = Article.objects.filter(pk=_int(request.POST["unfollow"])).first()
        if article is not None and services.stop_following(recipient, article.pk):
            messages.success(request, f"You no longer follow “{article.title}”.")
        return redirect(request.path)
    form = SettingsForm(request.POST or None, instance=recipient)
    address = recipient.user.email if recipient.is_member else recipient.email
    if form.is_valid():
        form.save()
        messages.success(request, "Your email settings are saved.")
        return redirect(request.path)
    return render(
        request,
        "notifications/settings.html",
        {
            "recipient": recipient,
            "address": masked(address) if by_link else address,
            "mailable": bool(addresses([recipient])),
            "form": form,
            "discussions": _discussions(recipient),
            "all_off": not any(recipient.wants(kind) for kind in Kind.values),
        },
        status=400 if form.errors else 200,
    )


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and int(raw) < 2**31 else None


# Stopping mail: one kind or all, and one discussion


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token, kind):
    """RFC 8058: a mail client's POST of `List-Unsubscribe=One-Click` comes with no cookie and
    no CSRF token, and stops the mail at once. Anything else is the page and its button, which
    CSRF protects as usual."""
    if kind != tokens.EVERYTHING and kind not in Kind.values:
        raise Http404("No such kind of mail.")
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == ONE_CLICK_BODY:
        return _one_click(request, token, kind)
    return csrf_protect(_unsubscribe_page)(request, token, kind)


def _kinds(kind: str) -> list[str]:
    return list(Kind.values) if kind == tokens.EVERYTHING else [kind]


def _one_click(request, token, kind):
    try:
        recipient = tokens.open_recipient_token(token, tokens.MANAGE)
    except tokens.BadLink as bad:
        status = 404 if bad.reason == "invalid" else 400
        return render(
            request, "notifications/one_click.html", {"reason": bad.reason}, status=status
        )
    recipient.stop(_kinds(kind))
    return render(request, "notifications/one_click.html", {})


def _unsubscribe_page(request, token, kind):
    try:
        recipient = tokens.open_recipient_token(token, tokens.MANAGE)
    except tokens.BadLink as bad:
        return _bad_link(request, bad.reason, purpose=tokens.MANAGE)
    context = {
        "everything": kind == tokens.EVERYTHING,
        "label": None if kind == tokens.EVERYTHING else Kind(kind).label,
        "settings_path": settings_path(recipient),
        "already_off": not any(recipient.wants(each) for each in _kinds(kind)),
    }
    if request.method == "POST":
        recipient.stop(_kinds(kind))
        return render(request, "notifications/unsubscribed.html", context)
    return render(request, "notifications/unsubscribe.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def unfollow(request, token, article_id):
    try:
        recipient = tokens.open_recipient_token(token, tokens.MANAGE)
    except tokens.BadLink as bad:
        return _bad_link(request, bad.reason, purpose=tokens.MANAGE)
    article = get_object_or_404(Article, pk=article_id)
    context = {"article": article, "settings_path": settings_path(recipient)}
    if request.method == "POST":
        services.stop_following(recipient, article.pk)
        return render(request, "notifications/unfollowed.html", context)
    if not recipient.follows.filter(article=article).exists():
        return render(request, "notifications/unfollowed.html", context)
    return render(request, "notifications/unfollow.html", context)


# Following a discussion from the article page


@require_http_methods(["GET", "HEAD", "POST"])
def follow(request, article_id):
    """ "Follow this discussion": a member's button follows at once (or stops); a guest's
    address is sent a link that does it. GET shows the same as a page of its own."""
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=article_id)
    is_open = article.accepts_comments(
        close_after_days=SiteSettings.current().close_comments_after_days
    )
    if request.user.is_authenticated:
        return _member_follow(request, article, is_open=is_open)
    return _guest_follow(request, article, is_open=is_open)


def _back(article: Article):
    return redirect(article.get_absolute_url() + "#comments")


def _member_follow(request, article: Article, *, is_open: bool):
    following = services.is_following(request.user, article.pk)
    if request.method != "POST":
        context = {"article": article, "following": following, "open": is_open}
        if request.accepts("application/json") and not request.accepts("text/html"):
            # For follow.js: the button the article page shows in its follow box.
            html = render_to_string("notifications/follow_form.html", context, request=request)
            return JsonResponse({"html": html, "following": following})
        return render(request, "notifications/follow.html", context)
    if request.POST.get("action") == "stop":
        recipient = Recipient.objects.filter(user=request.user).first()
        if recipient is not None:
            services.stop_following(recipient, article.pk)
        messages.success(request, "You no longer follow this discussion.", extra_tags=NOTICE)
    elif is_open:
        services.follow_now(Recipient.for_member(request.user), article.pk)
        _tell_member_following(request)
    else:
        messages.info(
            request, "This discussion is closed: no new comments will come.", extra_tags=NOTICE
        )
    return _back(article)


def _tell_member_following(request) -> None:
    """What a member who just followed a discussion is told: where its mail goes, or that
    nothing goes until they verify their address."""
    if addresses([Recipient.for_member(request.user)]):
        messages.success(
            request,
            "You follow this discussion: new comments come to your email address in one "
            "message an hour at most.",
            extra_tags=NOTICE,
        )
    else:
        messages.warning(
            request,
            "You follow this discussion, but your address is not verified: nothing is sent "
            "until you verify it from your account’s email settings.",
            extra_tags=NOTICE,
        )


def _guest_follow(request, article: Article, *, is_open: bool):
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and is_open:
        if form.is_robot:
            form.add_error(None, HONEYPOT_ERROR)
        elif (
            services.requests_from(network(request), timedelta(hours=1))
            >= FOLLOWS_PER_NETWORK_PER_HOUR
        ):
            form.add_error(
                None,
                "Too many requests have come from your network in the last hour. Please try "
                "again later.",
            )
        else:
            address = normalize_email(form.cleaned_data["email"])
            # Sent also to an address that stopped all comment mail: the link is a guest's
            # only way back in, and the daily budget keeps it from becoming a nuisance.
            mailed = services.may_mail(address)
            LinkRequest.objects.create(address=address, network=network(request), mailed=mailed)
            if mailed:
                send_follow_link(address, article)
            messages.success(
                request,
                f"We have sent a link to {address}. Open it within "
                f"{tokens.MAX_AGE[tokens.FOLLOW].days} days to follow this discussion; "
                "nothing is sent until you do.",
                extra_tags=NOTICE,
            )
            return _back(article)
    if request.method == "POST" and not is_open:
        messages.info(
            request, "This discussion is closed: no new comments will come.", extra_tags=NOTICE
        )
        return _back(article)
    status = 400 if form.errors else 200
    return render(
        request,
        "notifications/follow.html",
        {"article": article, "form": form, "open": is_open},
        status=status,
    )


def send_follow_link(address: str, article: Article) -> None:
    url = tokens.link("follow-link", tokens.follow_token(address, article.pk))
    context = {"article": article, "follow_url": url, "days": tokens.MAX_AGE[tokens.FOLLOW].days}
    transaction.on_commit(lambda: send_email("notify_follow", to=[address], context=context))


@require_http_methods(["GET", "HEAD", "POST"])
def follow_link(request, token):
    """The link mailed to a guest who asked to follow: opening it and pressing the button
    confirms the address (it came to that inbox) and follows the discussion."""
    try:
        address, article_id = tokens.open_follow_token(token)
    except tokens.BadLink as bad:
        return _bad_link(request, bad.reason, purpose=tokens.FOLLOW)
    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return _bad_link(request, "invalid", purpose=tokens.FOLLOW)
    context = {"article": article, "address": masked(address)}
    if request.method == "POST":
        recipient = Recipient.for_guest(address)
        services.confirm_address(recipient)
        services.follow_now(recipient, article.pk)
        context["settings_path"] = settings_path(recipient)
        response = render(request, "notifications/following.html", context)
        tokens.prove_address(response, address)
        return response
    return render(request, "notifications/follow_link.html", context)


# After posting a comment


def tell_what_was_asked(request, comment: Comment, *, notify: bool, follow: bool) -> None:
    """The note under "Thank you" when the writer ticked a notification box. A guest is told
    the same whatever their address's state: whether it is confirmed is not for the page to
    say, since anyone can type any address."""
    if not (notify or follow):
        return
    if comment.user_id:
        if follow:
            _tell_member_following(request)
        return
    what = {
        (True, False): "replies to your comment",
        (False, True): "new comments in this discussion",
        (True, True): "replies to your comment and new comments in this discussion",
    }[(bool(notify), bool(follow))]
    messages.info(
        request,
        f"You asked for email about {what}. If you have not confirmed {comment.email} with "
        "us yet, look for our email with a link to confirm it: nothing else is sent until "
        "you open it.",
        extra_tags=NOTICE,
    )
