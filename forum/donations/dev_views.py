"""The dev provider's own pages: a stand-in for a provider's hosted checkout and its customer
portal, so that giving can be tried end to end with no account anywhere and no network.

These pages play the provider's part and never change a donation themselves. "Pay", "Fail"
and "Cancel monthly gift" make the provider send its signed events to the site's webhook over
HTTP (`providers.dev_send`), and only the webhook acts on them, exactly as with Stripe. The
tokens in their URLs are signed by `DevProvider` and hold all the provider knows of a session.
"""

from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from . import providers
from .models import Donation

# A hosted checkout or portal session lives a day, as Stripe's do.
SESSION_LIFETIME = timedelta(days=1)


def _session(token: str, *, salt: str) -> dict:
    if not providers.dev_is_live():
        raise Http404("The dev provider is not in use.")
    try:
        return signing.loads(token, salt=salt, max_age=SESSION_LIFETIME)
    except signing.BadSignature:
        raise Http404("No such session.") from None


def _take_payment(checkout_id: str) -> bool:
    """True the first time a checkout is paid, False after: a hosted checkout takes one
    payment, however often "Pay" is pressed before the webhook has confirmed it."""
    return cache.add(f"donations:dev-paid:{checkout_id}", True, SESSION_LIFETIME.total_seconds())


def _is_complete(donation: Donation, checkout_id: str) -> bool:
    return donation.is_confirmed or cache.get(f"donations:dev-paid:{checkout_id}", False)


@require_http_methods(["GET", "HEAD", "POST"])
def checkout(request, token):
    """The hosted checkout: the gift, and "Pay", "Fail" (a declined card) or "Cancel"."""
    session = _session(token, salt="donations.dev-checkout")
    donation = get_object_or_404(Donation, pk=session["d"], provider=providers.DevProvider.name)
    context = {"donation": donation, "success_url": session["ok"], "declined": False}
    if _is_complete(donation, session["cs"]):
        return render(request, "donations/dev_checkout_complete.html", context)
    action = request.POST.get("action")
    if action == "pay" and _take_payment(session["cs"]):
        events = providers.dev_payment_events(donation, checkout_id=session["cs"])
        providers.dev_send(providers.dev_webhook_url(), events)
        return HttpResponseRedirect(session["ok"], status=303)
    if action == "fail":
        providers.dev_send(providers.dev_webhook_url(), [providers.dev_failure_event(donation)])
        context["declined"] = True
    elif action == "cancel":
        return HttpResponseRedirect(session["no"], status=303)
    return render(request, "donations/dev_checkout.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def portal(request, token):
    """The customer portal for one monthly gift: what it is, and "Cancel monthly gift"."""
    session = _session(token, salt="donations.dev-portal")
    donation = get_object_or_404(
        Donation.objects.monthly().filter(
            status__in=[Donation.Status.ACTIVE, Donation.Status.CANCELLED]
        ),
        pk=session["d"],
        provider=providers.DevProvider.name,
    )
    context = {"donation": donation, "back_url": session["back"]}
    if donation.status == Donation.Status.CANCELLED:
        return render(request, "donations/dev_portal_cancelled.html", context)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        providers.dev_send(providers.dev_webhook_url(), [providers.dev_cancel_event(donation)])
        return render(request, "donations/dev_portal_cancelled.html", context)
    return render(request, "donations/dev_portal.html", context)
