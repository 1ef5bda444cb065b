"""The reader's newsletter pages: sign up, confirm, preferences, one-click unsubscribe, archive.

Pages reached from a link in mail show a button on GET and act on POST, because mail scanners
open links; one-click unsubscribe (RFC 8058) is the one exception. The sign-up answer is the
same whatever the address's state, so the site never says who subscribes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forum.comments.models import truncate_ip
from forum.core.http import client_ip

from . import services, tokens
from .forms import HONEYPOT, LinkRequestForm, PreferencesForm, SubscribeForm
from .models import Issue, Newsletter, Source, Subscriber, Subscription

ARCHIVE_PER_PAGE = 20
# Where the check-email page finds the address just typed, to echo it back.
TYPED_EMAIL = "newsletter:typed-email"
ONE_CLICK_BODY = "One-Click"
# Sent by the form that lets the reader tick newsletters.
CHOOSING = "newsletter-choosing"
HONEYPOT_ERROR = (
    "This form could not be sent. If you filled in the field labelled “Leave this field "
    "empty”, please clear it and press Subscribe again."
)


def network(request) -> str | None:
    """The network a request came from, which the rate limits count."""
    return truncate_ip(client_ip(request))


@require_safe
def about(request):
    return _about(request, SubscribeForm(choose=True))


def _about(request, form, *, status=200):
    return render(
        request,
        "newsletter/about.html",
        {"form": form, "newsletters": Newsletter.objects.public()},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """Every sign-up form posts here; a refused one comes back on /newsletter/ with the
    reader's entries kept."""
    if request.method != "POST":
        return redirect("newsletter:about")
    # Only /newsletter/'s own form offers the choice; the footer's and the panel's ask for the
    # default newsletter, and come back without boxes to tick if they are refused.
    form = SubscribeForm(request.POST, choose=CHOOSING in request.POST)
    if form.is_valid():
        if request.POST.get(HONEYPOT):
            form.add_error(None, HONEYPOT_ERROR)
        else:
            try:
                services.request_subscription(
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    newsletters=form.chosen(),
                    source=Source.FORM,
                    network=network(request),
                )
            except services.SignupRefused as refused:
                form.add_error("email", str(refused))
            else:
                request.session[TYPED_EMAIL] = form.cleaned_data["email"]
                return redirect("newsletter:check-email")
    return _about(request, form, status=400)


@require_safe
def check_email(request):
    context = {
        "email": request.session.get(TYPED_EMAIL),
        "days": tokens.MAX_AGE[tokens.CONFIRM].days,
    }
    return render(request, "newsletter/check_email.html", context)


def _bad_link(request, reason: str, *, purpose: str):
    """The page for a link that cannot be used; it never names an address."""
    status = 404 if reason == "invalid" else 400
    context = {"reason": reason, "purpose": purpose, "days": tokens.MAX_AGE[purpose].days}
    if reason == "expired":
        context["form"] = (
            SubscribeForm(choose=True) if purpose == tokens.CONFIRM else LinkRequestForm()
        )
    return render(request, "newsletter/bad_link.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        subscriber = tokens.open_token(token, tokens.CONFIRM)
    except tokens.BadToken as bad:
        if bad.reason == "used":
            return _used_confirmation(request, bad.subscriber)
        return _bad_link(request, bad.reason, purpose=tokens.CONFIRM)
    if request.method == "POST":
        services.confirm_subscriber(subscriber=subscriber, network=network(request))
        return render(
            request,
            "newsletter/confirmed.html",
            {
                "subscriber": subscriber,
                "subscriptions": _confirmed(subscriber),
                "manage_path": manage_path(subscriber),
            },
        )
    pending = subscriber.subscriptions.filter(status=Subscription.Status.PENDING)
    return render(
        request,
        "newsletter/confirm.html",
        {"subscriber": subscriber, "subscriptions": pending.select_related("newsletter")},
    )


def _used_confirmation(request, subscriber):
    """A spent confirmation link says whether the subscription it confirmed still stands,
    without naming the address (the link may have been forwarded)."""
    confirmed = _confirmed(subscriber).exists()
    return render(request, "newsletter/bad_link.html", {"reason": "used", "confirmed": confirmed})


def _confirmed(subscriber):
    return subscriber.subscriptions.confirmed().select_related("newsletter")


def manage_path(subscriber: Subscriber) -> str:
    """The preference page's address, for links on our own pages (mail uses SITE_URL)."""
    return reverse("newsletter:manage", args=[tokens.make_token(subscriber, tokens.MANAGE)])


@require_http_methods(["GET", "HEAD", "POST"])
def request_link(request):
    """Mails the preference page's link to a known address; the answer is the same for any."""
    form = LinkRequestForm(request.POST or None)
    if form.is_valid():
        try:
            services.request_manage_link(email=form.cleaned_data["email"], network=network(request))
        except services.SignupRefused as refused:
            form.add_error("email", str(refused))
        else:
            request.session[TYPED_EMAIL] = form.cleaned_data["email"]
            return render(
                request, "newsletter/link_sent.html", {"email": form.cleaned_data["email"]}
            )
    status = 400 if form.errors else 200
    return render(request, "newsletter/request_link.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    try:
        subscriber = tokens.open_token(token, tokens.MANAGE)
    except tokens.BadToken as bad:
        return _bad_link(request, bad.reason, purpose=tokens.MANAGE)
    if request.method == "POST" and "unsubscribe_all" in request.POST:
        services.unsubscribe(
            subscriber=subscriber, source=Source.PREFERENCES, network=network(request)
        )
        messages.success(request, "You are unsubscribed from every newsletter.")
        return redirect(request.path)
    form = PreferencesForm(
        request.POST or None, initial={"newsletters": _confirmed_newsletters(subscriber)}
    )
    if form.is_valid():
        services.set_subscriptions(
            subscriber=subscriber,
            wanted=form.cleaned_data["newsletters"],
            source=Source.PREFERENCES,
            network=network(request),
        )
        messages.success(request, "Your preferences are saved.")
        return redirect(request.path)
    return render(
        request,
        "newsletter/manage.html",
        {"subscriber": subscriber, "form": form, "subscribed": bool(form.initial["newsletters"])},
    )


def _confirmed_newsletters(subscriber) -> list[int]:
    return list(_confirmed(subscriber).values_list("newsletter_id", flat=True))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """RFC 8058: a mail client's POST of `List-Unsubscribe=One-Click` comes with no cookie and
    no CSRF token, and unsubscribes at once. Anything else is the page and its button, which
    CSRF protects as usual."""
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == ONE_CLICK_BODY:
        return _one_click(request, token)
    return csrf_protect(_unsubscribe_page)(request, token)


def _one_click(request, token):
    try:
        subscriber = tokens.open_token(token, tokens.MANAGE)
    except tokens.BadToken as bad:
        status = 404 if bad.reason == "invalid" else 400
        return render(request, "newsletter/one_click.html", {"reason": bad.reason}, status=status)
    services.unsubscribe(subscriber=subscriber, source=Source.ONE_CLICK, network=network(request))
    return render(request, "newsletter/one_click.html", {})


def _unsubscribe_page(request, token):
    try:
        subscriber = tokens.open_token(token, tokens.MANAGE)
    except tokens.BadToken as bad:
        return _bad_link(request, bad.reason, purpose=tokens.MANAGE)
    context = {"subscriber": subscriber, "manage_path": manage_path(subscriber)}
    if request.method == "POST":
        services.unsubscribe(
            subscriber=subscriber, source=Source.PREFERENCES, network=network(request)
        )
        return render(request, "newsletter/unsubscribed.html", context)
    context["subscriptions"] = subscriber.subscriptions.exclude(
        status=Subscription.Status.UNSUBSCRIBED
    ).select_related("newsletter")
    return render(request, "newsletter/unsubscribe.html", context)


@login_required
@require_POST
def member(request):
    """A member's one-click Subscribe or Unsubscribe from their account page."""
    newsletter = get_object_or_404(Newsletter.objects.public(), pk=request.POST.get("newsletter"))
    if request.POST.get("action") == "subscribe":
        services.subscribe_member(user=request.user, newsletter=newsletter)
        messages.success(request, f"You are subscribed to {newsletter.name}.")
    else:
        subscriber = member_subscriber(request.user)
        if subscriber is not None:
            services.unsubscribe(
                subscriber=subscriber, newsletters=[newsletter], source=Source.ACCOUNT
            )
        messages.success(request, f"You are unsubscribed from {newsletter.name}.")
    return redirect(reverse("members:profile") + "#newsletter")


def member_subscriber(user) -> Subscriber | None:
    """The subscriber that is this member: linked to them, or at their address."""
    return (
        Subscriber.objects.filter(user=user).first()
        or Subscriber.objects.with_email(user.email).first()
    )


@require_safe
def archive(request):
    issues = Issue.objects.sent().select_related("newsletter").order_by("-sent_at", "-pk")
    page = Paginator(issues, ARCHIVE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "newsletter/archive.html", {"page": page})


@require_safe
def issue(request, pk):
    """A sent issue as a page of the site, with nobody's personal links; staff who may see
    issues in the admin may preview an unsent one."""
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    preview = issue.status != Issue.Status.SENT
    if preview and not request.user.has_perm("newsletter.view_issue"):
        raise Http404("not sent")
    articles = issue.articles.listed().for_listing()
    return render(
        request,
        "newsletter/issue.html",
        {"issue": issue, "articles": articles, "preview": preview, "form": SubscribeForm()},
    )
