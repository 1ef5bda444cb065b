"""The admin's privacy requests: the log of every export and erasure, and the page where staff
with the permission export or erase the data of an email address (a request that came by
letter or email)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from forum.core.admin import ReadOnlyAdmin

from . import services
from .forms import StaffEraseForm, StaffLookupForm
from .models import PrivacyRequest, address_hash
from .views import _download

PERMISSION = "privacy.handle_privacy_requests"


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["created", "action", "via", "by", "comments", "counted"]
    list_filter = ["action", "via"]
    search_fields = ["address_hash"]
    search_help_text = (
        "Search by email address: the log keeps a keyed hash of it, never the address."
    )
    date_hierarchy = "created"
    change_list_template = "privacy/admin_change_list.html"
    readonly_fields = ["action", "via", "address_hash", "by", "comments", "counts", "created"]

    @admin.display(description="What was found or changed")
    def counted(self, entry):
        return ", ".join(
            f"{name.replace('_', ' ')} {count}" for name, count in entry.counts.items()
        )

    def get_search_results(self, request, queryset, search_term):
        """The address typed is hashed as the log hashes it."""
        if not search_term.strip():
            return queryset, False
        return queryset.filter(address_hash=address_hash(search_term)), False

    def get_urls(self):
        return [
            path(
                "handle/",
                self.admin_site.admin_view(self.handle_view),
                name="privacy_privacyrequest_handle",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_handle": request.user.has_perm(PERMISSION)}
        return super().changelist_view(request, extra_context)

    def handle_view(self, request):
        """Find what is stored under an address, then export it or (after a confirmation)
        erase it, the account that uses the address included."""
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Export or erase the data of an email address",
        }
        action = request.POST.get("action") if request.method == "POST" else None
        lookup = StaffLookupForm(request.POST if action else None)
        if not action or not lookup.is_valid():
            return TemplateResponse(
                request, "privacy/admin_handle.html", {**context, "lookup": lookup}
            )
        email = lookup.cleaned_data["email"]
        if action == "export":
            data = services.export_for_email(
                email, with_account=True, by=request.user, via=PrivacyRequest.Via.STAFF
            )
            return _download(data, stem="privacy-export")
        erase_form = StaffEraseForm(
            request.POST if action == "erase" else None, initial={"email": email}
        )
        account = services.account_for_email(email)
        refusal = _refusal(account, request.user)
        if action == "erase" and not refusal and erase_form.is_valid():
            try:
                counts = services.erase_email(
                    email,
                    comments=erase_form.cleaned_data["comments"],
                    with_account=True,
                    by=request.user,
                    via=PrivacyRequest.Via.STAFF,
                )
            except services.ErasureBlocked as blocked:
                erase_form.add_error(None, str(blocked))
            else:
                messages.success(
                    request,
                    "Erased: "
                    + ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in counts.items())
                    + ". The log below keeps a keyed hash of the address, not the address.",
                )
                return redirect(reverse("admin:privacy_privacyrequest_changelist"))
        person = services.Person.for_email(email, with_account=True)
        context |= {
            "lookup": lookup,
            "email": email,
            "account": account,
            "refusal": refusal,
            "erase_form": erase_form,
            "found": {
                "comments": person.comments().count(),
                "reports made": person.reports().count(),
                "newsletter addresses": person.subscribers().count(),
                "notification settings": person.recipients().count(),
                "gifts": person.donations().count(),
                "bans": person.bans().count(),
            },
            "running_gifts": services.running_gifts(person).exists(),
        }
        status = 400 if erase_form.errors else 200
        return TemplateResponse(request, "privacy/admin_handle.html", context, status=status)


def _refusal(account, staff) -> str:
    """Why staff may not erase this account from here ("" if they may)."""
    if account is None:
        return ""
    if account.pk == staff.pk:
        return "This is your own account: delete it from your profile's Your data page."
    if account.is_staff or account.is_superuser:
        return (
            "This address belongs to a staff account. Take away its staff status first, "
            "so that no one's access to the admin disappears by accident."
        )
    if services.made_decisions(account):
        return (
            "This account made moderation or editing decisions that the magazine's records "
            "keep: deleting it would take the admin's history of them with it."
        )
    return ""
