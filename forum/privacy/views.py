"""A reader's data: a member's from their account, a guest's through a link mailed to the
address. Each page that acts shows on GET and acts on POST (mail scanners open links)."""

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from forum.comments.models import truncate_ip
from forum.core.http import client_ip

from . import links, services
from .forms import HONEYPOT, EraseForm, GuestLinkForm
from .models import LINK_LIFETIME, PrivacyRequest

HONEYPOT_ERROR = (
    "This form could not be sent. If you filled in the field labelled “Leave this field "
    "empty”, please clear it and press the button again."
)


def network(request) -> str | None:
    """The network a request came from, which the rate limits count."""
    return truncate_ip(client_ip(request))


def _download(data: dict, *, stem: str) -> HttpResponse:
    response = HttpResponse(
        services.export_json(data), content_type="application/json; charset=utf-8"
    )
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# Members ------------------------------------------------------------------------------------


@login_required
@require_safe
def your_data(request):
    return render(request, "privacy/your_data.html", _your_data_context(request.user))


def _your_data_context(user) -> dict:
    person = services.Person.for_user(user)
    return {
        "counts": {
            "comments": person.comments().count(),
            "reports": person.reports().count(),
            "newsletter": person.subscribers().count(),
            "donations": person.donations().count(),
        },
        "running_gifts": services.running_gifts(person).exists(),
        "made_decisions": services.made_decisions(user),
    }


@never_cache
@login_required
@require_safe
def download(request):
    return _download(services.export_for_user(request.user), stem="frame-and-grain-my-data")


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    """The last step: the member has just given their password again (allauth's
    reauthentication), chooses what happens to their comments and confirms."""
    form = EraseForm(request.POST or None)
    context = {"form": form, **_your_data_context(request.user)}
    if form.is_valid():
        choice = form.cleaned_data["comments"]
        try:
            services.erase_user(request.user, comments=choice)
        except services.ErasureBlocked as blocked:
            form.add_error(None, str(blocked))
        else:
            logout(request)
            return redirect(_done_url(what="account", comments=choice))
    return render(
        request, "privacy/delete_account.html", context, status=400 if form.errors else 200
    )


def _done_url(*, what: str, comments: str) -> str:
    return reverse("privacy:done") + "?" + urlencode({"what": what, "comments": comments})


@require_safe
def done(request):
    """Where the reader lands after an erasure: what happened, in words."""
    what = "account" if request.GET.get("what") == "account" else "address"
    comments = request.GET.get("comments")
    if comments not in PrivacyRequest.Comments.values:
        comments = ""
    return render(request, "privacy/done.html", {"what": what, "comments": comments})


# Guests -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def request_link(request):
    form = GuestLinkForm(request.POST or None)
    if form.is_valid():
        if request.POST.get(HONEYPOT):
            form.add_error(None, HONEYPOT_ERROR)
        else:
            try:
                links.request_guest_link(email=form.cleaned_data["email"], network=network(request))
            except links.LinkRefused as refused:
                form.add_error("email", str(refused))
            else:
                return redirect("privacy:link-sent")
    return render(
        request,
        "privacy/request_link.html",
        {"form": form, "honeypot": HONEYPOT},
        status=400 if form.errors else 200,
    )


@require_safe
def link_sent(request):
    return render(request, "privacy/link_sent.html", {"hours": _link_hours()})


def _link_hours() -> int:
    return int(LINK_LIFETIME.total_seconds() // 3600)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def guest(request, token: str):
    """The page a guest's link opens: what is stored under the address, a download and the
    erasure. The member account that may use the same address is not touched from here:
    that takes the account's password."""
    try:
        link = links.open_token(token)
    except links.BadLink as bad:
        return render(
            request,
            "privacy/bad_link.html",
            {"reason": bad.reason, "hours": _link_hours()},
            status=404 if bad.reason == "invalid" else 400,
        )
    email = link.email
    action = request.POST.get("action")
    if request.method == "POST" and action == "download":
        return _download(services.export_for_email(email), stem="frame-and-grain-my-data")
    form = EraseForm(request.POST if action == "erase" else None, former=services.FORMER_READER)
    person = services.Person.for_email(email)
    if form.is_valid():
        choice = form.cleaned_data["comments"]
        try:
            services.erase_email(email, comments=choice)
        except services.ErasureBlocked as blocked:
            form.add_error(None, str(blocked))
        else:
            return redirect(_done_url(what="address", comments=choice))
    context = {
        "email": email,
        "form": form,
        "counts": {
            "comments": person.comments().count(),
            "newsletter": person.subscribers().count(),
            "notifications": person.recipients().count(),
            "donations": person.donations().count(),
        },
        "running_gifts": services.running_gifts(person).exists(),
        "has_account": services.account_for_email(email) is not None,
        "site_name": settings.SITE_NAME,
    }
    return render(request, "privacy/guest.html", context, status=400 if form.errors else 200)
