"""Two-factor authentication required of staff before the admin (DJANGO_MFA_REQUIRED_FOR_STAFF)."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


def staff_two_factor_required(get_response):
    """Send a signed-in staff member without two-factor authentication from any admin page to
    setting it up. Only admin paths are looked at, so members and the rest of the site pay
    nothing, and the admin's own log-in (allauth's) stays reachable for signing in first."""

    def middleware(request):
        user = request.user
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not is_mfa_enabled(user)
        ):
            messages.info(
                request, "Set up two-factor authentication before using the newsroom's admin."
            )
            return redirect("mfa_activate_totp")
        return get_response(request)

    return middleware
