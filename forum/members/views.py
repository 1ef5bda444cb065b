from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .adapter import ASK_FOR_NAME
from .forms import DisplayNameForm, ProfileForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form})


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
