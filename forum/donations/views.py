"""The reader's donation pages: giving, coming back from the checkout, the supporters, and the
page where a monthly donor manages their gift.

No page here decides that money came: the return page only reads what the provider's webhook
recorded, and waits (refreshing itself) until it has. Pages reached from a link in mail act on
POST only, and "Email me my link" answers the same whether or not the address has given.
"""

from urllib.parse import unquote

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from forum.core.html import render_markdown
from forum.newsletter.views import network
from forum.site_settings.models import SiteSettings

from . import providers, services
from .forms import HONEYPOT, HONEYPOT_ERROR, DonationForm, LinkRequestForm, initial_from
from .models import Donation, MonthGoal, month_start, next_month_start

SUPPORTERS_PER_PAGE = 50
# The cookie that marks a browser that gave this month, for the reading meter.
SUPPORTER_COOKIE = "fg_supporter"
SUPPORTER_SALT = "donations.supporter"
# How long the return page keeps refreshing before it says the confirmation is late.
CONFIRMING_FOR = 30 * 60


class SeeOther(HttpResponseRedirect):
    """After a POST, the next page is fetched with GET, whatever the browser."""

    status_code = 303


@require_http_methods(["GET", "HEAD", "POST"])
def support(request):
    """Why the magazine asks, the month's gifts against its goal, and the form that opens the
    provider's checkout."""
    site = SiteSettings.current()
    presets = site.donation_presets
    if request.method == "POST":
        form = DonationForm(request.POST, presets=presets)
        if form.is_valid():
            if request.POST.get(HONEYPOT):
                form.add_error(None, HONEYPOT_ERROR)
            else:
                try:
                    return _start(request, form)
                except services.DonationRefused as refused:
                    form.add_error(None, str(refused))
                    return _support(request, site, form, status=429)
                except providers.ProviderUnavailable as unavailable:
                    form.add_error(None, str(unavailable))
                    return _support(request, site, form, status=503)
        return _support(request, site, form, status=400)
    cancelled = services.donation_from_return_token(request.GET.get("cancelled", ""))
    if cancelled is not None and cancelled.is_confirmed:
        cancelled = None
    if cancelled is not None:
        initial = initial_from(cancelled, presets=presets)
    elif request.user.is_authenticated:
        user = request.user
        initial = {"email": user.email, "name": user.display_name or user.get_full_name()}
    else:
        initial = {}
    form = DonationForm(initial=initial, presets=presets)
    return _support(request, site, form, cancelled=cancelled)


def _start(request, form):
    data = form.cleaned_data
    # The provider fills in `{donation}`; build_absolute_uri would escape its braces.
    origin = request.build_absolute_uri("/").removesuffix("/")
    thanks = unquote(reverse("donations:thanks", args=["{donation}"]))
    _, checkout_url = services.start_donation(
        kind=data["kind"],
        amount=data["amount"],
        currency=data["currency"],
        name=data["name"],
        email=data["email"],
        message=data["message"],
        public=data["public"],
        user=request.user,
        network=network(request),
        success_url=origin + thanks,
        cancel_url=origin + reverse("donations:support") + "?cancelled={donation}",
    )
    return SeeOther(checkout_url)


def _support(request, site, form, *, cancelled=None, status=200):
    progress = MonthGoal.now(site.donation_goal)
    context = {
        "form": form,
        "link_form": LinkRequestForm(),
        "support_html": render_markdown(site.support_text),
        "cancelled": cancelled,
        "goal": progress.goal,
        "raised": progress.raised,
        "goal_display": progress.goal_display,
        "raised_display": progress.raised_display,
        "month": month_start(),
    }
    return render(request, "donations/support.html", context, status=status)


@require_safe
def thanks(request, token):
    """Where the checkout sends the reader back: "Thank you" once the provider's webhook has
    confirmed the gift, "Confirming…" (refreshing every two seconds, without script, unless
    the reader stops it) until then."""
    donation = services.donation_from_return_token(token)
    if donation is None:
        raise Http404("not a donation of this browser")
    waited = (timezone.now() - donation.created_at).total_seconds()
    context = {
        "donation": donation,
        "token": token,
        # The provider sends the reader here only after a payment, so a FAILED gift (a card
        # declined before another one worked) is one whose payment's event is still on its way.
        "failed": not donation.is_confirmed and donation.status == Donation.Status.ABANDONED,
        "late": waited > CONFIRMING_FOR,
        # The refresh is a time limit the reader may turn off (WCAG 2.2.1).
        "refresh": request.GET.get("refresh") != "off",
    }
    response = render(request, "donations/thanks.html", context)
    if donation.is_confirmed and donation.status != Donation.Status.REFUNDED:
        mark_supporter(response)
    return response


def mark_supporter(response) -> None:
    """Mark this browser as one that gave this calendar month (the reading meter reads it)."""
    response.set_signed_cookie(
        SUPPORTER_COOKIE,
        f"{month_start():%Y-%m}",
        salt=SUPPORTER_SALT,
        expires=next_month_start(),
        httponly=True,
        secure=not settings.DEBUG,
        samesite="Lax",
    )


@require_safe
def supporters(request):
    """Who asked to be thanked, newest first; a message only once an editor approved it."""
    donations = Donation.objects.supporters().only(
        "name", "message", "message_status", "kind", "status", "first_paid_at"
    )
    page = Paginator(donations, SUPPORTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "donations/supporters.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
def request_link(request):
    """ "Email me my link": the manage link goes to the address only if it has a monthly gift
    that runs; the answer is the same either way."""
    form = LinkRequestForm(request.POST or None)
    status = 200
    if form.is_valid():
        try:
            services.request_manage_link(email=form.cleaned_data["email"], network=network(request))
        except services.DonationRefused as refused:
            form.add_error("email", str(refused))
            status = 429
        else:
            return render(request, "donations/link_sent.html")
    elif form.errors:
        status = 400
    return render(request, "donations/request_link.html", {"link_form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """A monthly donor's gifts, each with a button to the provider's page to manage or cancel
    it. The link names one gift; the page shows every running gift from that address."""
    try:
        email = services.donor_email_from_manage_token(token)
    except signing.SignatureExpired:
        return _bad_link(request, "expired", status=400)
    if email is None:
        return _bad_link(request, "invalid", status=404)
    gifts = Donation.objects.for_email(email).manageable()
    if request.method == "POST":
        chosen = request.POST.get("donation", "")
        if not chosen.isdigit():
            raise Http404("no such gift")
        donation = get_object_or_404(gifts, pk=chosen)
        provider = providers.get(donation.provider)
        back = request.build_absolute_uri(request.path)
        try:
            return SeeOther(provider.manage_url(donation, return_url=back))
        except providers.ProviderUnavailable as unavailable:
            context = {"email": email, "gifts": gifts, "error": str(unavailable)}
            return render(request, "donations/manage.html", context, status=503)
    return render(request, "donations/manage.html", {"email": email, "gifts": gifts})


def _bad_link(request, reason: str, *, status: int):
    context = {"reason": reason, "days": services.MANAGE_LINK_DAYS, "link_form": LinkRequestForm()}
    return render(request, "donations/manage_bad_link.html", context, status=status)
