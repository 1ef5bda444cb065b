from urllib.parse import quote, urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_username
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from forum.core.http import client_ip
from forum.core.mail import send_email_message


def site_link(url_name: str, *args, **kwargs) -> str:
    """The absolute address of one of our pages, for mail: on SITE_URL, whatever host the
    request named (the Host header is the sender's to choose, and a reset link on a stranger's
    host hands them the key)."""
    return settings.SITE_URL + reverse(url_name, args=args, kwargs=kwargs)


def user_display(user) -> str:
    """How allauth names a member in its pages and messages ("Successfully signed in as …",
    ACCOUNT_USER_DISPLAY): as the site does everywhere, never by their email address."""
    return user.public_name


# The member who has just confirmed their address without a name to show beside their
# comments: asked for one where they land next (`ask_for_name_first`).
ASK_FOR_NAME = "members.ask_for_name"


def ask_for_name_first(request, then: str) -> str:
    """Where a member lands after confirming their address (or after signing in, when they
    confirmed it signed out): the page asking the name shown beside their comments, if they
    have none yet, and then on to `then`.

    Sign-up asks for that name, so a member who joined there goes straight on; the question is
    for accounts made without one (in the admin, or before sign-up asked), whose public name
    would otherwise be the username made for them."""
    user = request.user
    just_confirmed = user.is_authenticated and request.session.get(ASK_FOR_NAME) == user.pk
    if just_confirmed and not user.display_name:
        return reverse("members:name") + "?" + urlencode({"next": then})
    return then


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mail (confirmation, password reset) from a task, not in the request, with
    every link in it built from SITE_URL; after a member confirms their address without a name
    to show, asks them for one."""

    def confirm_email(self, request, email_address) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed and not email_address.user.display_name:
            # Kept through signing in (Django keeps an anonymous session's data at log-in).
            request.session[ASK_FOR_NAME] = email_address.user_id
        return confirmed

    def get_login_redirect_url(self, request) -> str:
        return ask_for_name_first(request, super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request) -> str:
        # Confirming in the browser that signed up signs the member in as a sign-up.
        return ask_for_name_first(request, super().get_signup_redirect_url(request))

    def get_client_ip(self, request) -> str:
        # The reader's address as the comment rules take it (behind DJANGO_PROXY_HOPS proxies,
        # from X-Forwarded-For; without the header, the peer's), so a request without the
        # header is counted, not refused with a 500. allauth counts whole addresses.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip

    def save_user(self, request, user, form, commit=True):
        """Store the name the member chose to show beside their comments (our SignupForm),
        before allauth makes the username from it in `populate_username`."""
        user.display_name = form.cleaned_data.get("display_name") or user.display_name
        return super().save_user(request, user, form, commit)

    def populate_username(self, request, user) -> None:
        # allauth makes the username from the email address ("carys.member"), and the username
        # is public where a member has no display name (`User.public_name`): make it from the
        # display name instead, never from the address.
        if not user_username(user):
            user_username(user, self.generate_unique_username([user.display_name, "member"]))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_link("account_confirm_email", emailconfirmation.key)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # As allauth does: one opaque key stands in for the URL's `uidb36` and `key` parts.
        url = site_link("account_reset_password_from_key", uidb36="UID", key="KEY")
        return url.replace("UID-KEY", quote(key))

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        # Nothing to confirm once an address is confirmed, whoever asks for the link again.
        if not emailconfirmation.email_address.verified:
            super().send_confirmation_mail(request, emailconfirmation, signup)

    def send_account_already_exists_mail(self, email: str) -> None:
        context = {
            "signup_url": site_link("account_signup"),
            "password_reset_url": site_link("account_reset_password"),
        }
        self.send_mail("account/email/account_already_exists", email, context)

    def send_mail(self, template_prefix, email, context):
        # Unlike allauth, no `current_site`: without the sites framework it is the request's host.
        context = {
            "request": allauth_context.request,
            "email": email,
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            **context,
        }
        if "signup_url" in context:
            # The "no account with that address" mail builds it from the request.
            context["signup_url"] = site_link("account_signup")
        message = self.render_mail(template_prefix, email, context)
        send_email_message.enqueue(
            subject=message.subject,
            text=message.body,
            html=next(
                (c for c, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
            ),
            to=list(message.to),
            from_email=message.from_email,
        )
