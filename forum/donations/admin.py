"""Donations in the admin: the gifts, with their payments and refunds as the provider reported
them; supporters' messages approved before the supporters page shows them; the month's totals
per currency against the goal; a CSV of the payments; and the provider's events, with "Try
again" for those that could not be placed.

What came from the provider (amounts, statuses, ids, payments) is read-only: it changes only
through the webhook, so the admin never disagrees with the provider. With the dev provider,
two actions make it send a refund or next month's charge through that same webhook, so every
event can be shown in a browser.
"""

import json
import re
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator

from forum.core.admin import ReadOnlyAdmin
from forum.site_settings.models import SiteSettings

from . import csv_io, providers, services
from .models import (
    Donation,
    MonthGoal,
    Payment,
    WebhookEvent,
    format_amount,
    month_start,
    next_month_start,
)

Message = Donation.Message
BOTH_PAGES = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
# "FG-2026-000042", as the receipt mail prints it: the number is the payment's key.
RECEIPT_NUMBER = re.compile(r"\bFG-\d{4}-(\d{1,12})\b", re.IGNORECASE)
# A message with room to be read in the list; the change page has it whole.
MESSAGE_SHOWN = 90


def shorten(provider_id: str) -> str:
    """A provider's id, short enough for a list column: what kind of id (its prefix, "cs_",
    "sub_") and its last characters, enough to tell two apart at a glance."""
    prefix, _, rest = provider_id.partition("_")
    if len(provider_id) <= 12 or not rest:
        return provider_id
    return f"{prefix}_…{provider_id[-6:]}"


def months_back(start, months: int):
    """The start of the month `months` before the month that starts at `start`."""
    for _ in range(months):
        start = month_start(start - timedelta(days=1))
    return start


def donation_totals(now=None) -> dict:
    """What came in, net of refunds, per currency: this month, last month and the last twelve
    months (this one included), counted by when each payment was made, and this month against
    the goal in the first currency. Site-wide, whatever the list's filters."""
    this = month_start(now)
    last = months_back(this, 1)
    year = months_back(this, 11)
    ends = next_month_start(this)
    in_year = Payment.objects.filter(paid_at__gte=year, paid_at__lt=ends)
    seen = set(in_year.order_by().values_list("currency", flat=True).distinct())
    currencies = [*settings.DONATIONS_CURRENCIES]
    currencies += sorted(seen - set(currencies))
    figures = {
        currency: (
            Payment.objects.in_month(this).net_total(currency),
            Payment.objects.in_month(last).net_total(currency),
            in_year.net_total(currency),
        )
        for currency in currencies
    }
    rows = [
        {
            "currency": currency,
            **{
                period: format_amount(minor, currency)
                for period, minor in zip(("this", "last", "year"), figures[currency], strict=True)
            },
        }
        for currency in currencies
    ]
    progress = MonthGoal.now(SiteSettings.current().donation_goal)
    return {
        "rows": rows,
        "this_month": date_format(this, "F Y"),
        "last_month": date_format(last, "F Y"),
        "year_from": date_format(year, "F Y"),
        "goal": progress.goal_display if progress.goal else "",
        "raised": progress.raised_display,
        "percent": progress.percent,
    }


# Filters --------------------------------------------------------------------------------


MESSAGES_WAITING = Q(message_status=Message.WAITING, public=True) & ~Q(message="")


class MessageFilter(admin.SimpleListFilter):
    """Supporters' messages by where they stand; the waiting ones first, with their count."""

    title = "message"
    parameter_name = "message"
    OPTIONS = {
        "waiting": ("Messages waiting", MESSAGES_WAITING),
        "approved": ("Shown", Q(message_status=Message.APPROVED)),
        "declined": ("Not shown", Q(message_status=Message.DECLINED)),
        "none": ("No message", Q(message="")),
    }

    def lookups(self, request, model_admin):
        waiting = Donation.objects.filter(MESSAGES_WAITING).count()
        return [
            (value, f"{label} ({waiting})" if value == "waiting" else label)
            for value, (label, _) in self.OPTIONS.items()
        ]

    def queryset(self, request, queryset):
        if option := self.OPTIONS.get(self.value()):
            return queryset.filter(option[1])
        return queryset


class CreatedMonthFilter(admin.SimpleListFilter):
    """The month a gift was made, for the last twelve months, by name."""

    title = "month made"
    parameter_name = "month"

    def lookups(self, request, model_admin):
        start = month_start()
        months = [months_back(start, back) for back in range(12)]
        return [(f"{month:%Y-%m}", date_format(month, "F Y")) for month in months]

    def queryset(self, request, queryset):
        if not self.value() or not re.fullmatch(r"\d{4}-\d{2}", self.value()):
            return queryset
        year, month = map(int, self.value().split("-"))
        try:
            start = month_start().replace(year=year, month=month)
        except ValueError:  # not a month ("2026-13", "0000-01")
            return queryset
        return queryset.filter(created_at__gte=start, created_at__lt=next_month_start(start))


# Donations ------------------------------------------------------------------------------


class PaymentInline(ReadOnlyAdmin, admin.TabularInline):
    """The charges that went through, each with its receipt, and what was refunded when."""

    model = Payment
    template = "admin/edit_inline/tabular_record.html"
    fields = readonly_fields = (
        "receipt",
        "paid",
        "paid_at",
        "refunded",
        "refunded_at",
        "provider_id",
        "receipt_sent_at",
    )
    extra = 0
    can_delete = False
    verbose_name_plural = "payments"

    @admin.display(description="receipt number")
    def receipt(self, payment):
        return payment.receipt_number

    @admin.display(description="amount")
    def paid(self, payment):
        return payment.amount_display

    @admin.display(description="refunded")
    def refunded(self, payment):
        if not payment.refunded_amount:
            return "–"
        return format_amount(payment.refunded_amount, payment.currency)


def refunded_total():
    per_donation = Payment.objects.filter(donation=OuterRef("pk")).order_by().values("donation")
    return Coalesce(Subquery(per_donation.annotate(sum=Sum("refunded_amount")).values("sum")), 0)


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    change_list_template = "admin/donations/donation/change_list.html"
    # Who, how much and how it stands; the kind is in the amount ("£5 a month").
    # Five columns, so that a message has room at 1280 pixels beside the menu and the filters:
    # the donor's cell holds their name, address and message, the gift's its amount, kind
    # ("£5 a month"), status and refund.
    list_display = ("created", "donor", "gift", "provider_ids", "named")
    list_display_links = ("created",)

    @admin.display(description="Named", boolean=True, ordering="public")
    def named(self, donation):
        """Whether the donor asked to be thanked publicly (a short heading, so the list fits)."""
        return donation.public

    list_filter = (
        MessageFilter,
        "status",
        "kind",
        "currency",
        "provider",
        CreatedMonthFilter,
    )
    search_fields = (
        "name",
        "email",
        "checkout_id",
        "customer_id",
        "subscription_id",
        "payments__provider_id",
        "payments__charge_id",
    )
    search_help_text = (
        "Name, email, a provider's id (cs_…, cus_…, sub_…, pi_…, in_…, ch_…) or a receipt "
        "number (FG-2026-000042)."
    )
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = (PaymentInline,)
    actions = (
        "approve_message",
        "decline_message",
        "export_csv",
        "refund_dev",
        "charge_next_month_dev",
    )
    # The donor's words are the editor's to look after; whether to be named is the donor's
    # choice alone, and the rest is the provider's.
    editable = ("name", "message", "message_status")
    fieldsets = (
        (
            "On the supporters page",
            {"fields": ("name", "public", "message", "message_status")},
        ),
        (
            "The gift",
            {
                "fields": (
                    ("amount_shown", "currency", "kind"),
                    ("status", "failure"),
                    ("created_at", "first_paid_at", "cancelled_at"),
                )
            },
        ),
        ("The donor", {"fields": (("email", "user", "network"),)}),
        (
            "At the provider",
            {"fields": ("provider", ("checkout_id", "customer_id", "subscription_id"))},
        ),
    )

    class Media:
        css = {"all": ["admin-extra/donations.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(refunded=refunded_total())

    def get_readonly_fields(self, request, obj=None):
        fields = [
            name
            for _, options in self.fieldsets
            for line in options["fields"]
            for name in ((line,) if isinstance(line, str) else line)
        ]
        return [name for name in fields if name not in self.editable]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("labels", {"name": "Name shown"})
        kwargs.setdefault(
            "help_texts",
            {
                "name": "As the supporters page shows it; the donor's receipts keep the "
                "name they gave.",
                "message": "Shown beside the name only once approved.",
            },
        )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """A receipt number finds its payment's gift, as well as the usual fields."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        numbers = [int(number) for number in RECEIPT_NUMBER.findall(search_term)]
        if numbers:
            paid = Payment.objects.filter(pk__in=numbers).values("donation")
            results = results | queryset.filter(pk__in=paid)
        return results, duplicates

    def has_add_permission(self, request):
        return False  # gifts come from readers, through the provider

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_dev_provider_permission(self, request):
        """The dev provider's refund and renewal: for those who may change payments (the
        superusers), and only where the dev provider is in use."""
        return settings.DONATIONS_PROVIDER == "dev" and request.user.has_perm(
            "donations.change_payment"
        )

    # Columns

    @admin.display(description="donor", ordering="name")
    def donor(self, donation):
        message = ""
        if donation.message:
            message = format_html('<p class="don-said">{}</p>', self.message_shown(donation))
        return format_html(
            '<span class="don-name">{}</span><span class="don-quiet">{}</span>{}',
            donation.name,
            donation.email,
            message,
        )

    @admin.display(description="made", ordering="created_at")
    def created(self, donation):
        moment = timezone.localtime(donation.created_at)
        return format_html(
            '<time datetime="{}">{}<span class="don-quiet">{}</span></time>',
            moment.isoformat(),
            moment.strftime("%-d %b %Y"),
            moment.strftime("%H:%M"),
        )

    @admin.display(description="amount")
    def amount_shown(self, donation):
        every = " a month" if donation.is_monthly else ""
        return f"{donation.amount_display}{every}"

    @admin.display(description="gift", ordering="amount")
    def gift(self, donation):
        """The amount ("£5 a month"), how the gift stands, and what went back or wrong."""
        refunded = getattr(donation, "refunded", 0)
        return format_html(
            '<span class="don-amount">{}</span>'
            '<span class="don-status don-status--{}">{}</span>{}{}',
            self.amount_shown(donation),
            donation.status,
            donation.get_status_display(),
            format_html(
                '<span class="don-refunded">{} refunded</span>',
                format_amount(refunded, donation.currency),
            )
            if refunded
            else "",
            format_html('<span class="don-quiet">{}</span>', donation.failure)
            if donation.failure
            else "",
        )

    @admin.display(description="provider")
    def provider_ids(self, donation):
        ids = (donation.checkout_id, donation.subscription_id)
        return format_html(
            "{}{}",
            donation.provider,
            format_html_join(
                "", '<code class="don-id" title="{}">{}</code>', ((i, shorten(i)) for i in ids if i)
            ),
        )

    @admin.display(description="message")
    def message_shown(self, donation):
        if not donation.message:
            return "–"
        return format_html(
            '<span class="don-message don-message--{}">{}:</span> {}',
            donation.message_status,
            donation.get_message_status_display(),
            Truncator(donation.message).chars(MESSAGE_SHOWN),
        )

    # The list's page

    def changelist_view(self, request, extra_context=None):
        waiting = (
            reverse("admin:donations_donation_changelist")
            + "?"
            + urlencode({MessageFilter.parameter_name: "waiting"})
        )
        extra_context = {
            "totals": donation_totals(),
            "waiting_url": waiting,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="donations_donation_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The payments of every gift the list shows with its search and filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return csv_io.export_response(changelist.get_queryset(request))

    # Actions

    def _set_message(self, request, queryset, status: str, done: str):
        """Only a message the donor asked to show publicly can be approved or declined."""
        chosen = queryset.count()
        eligible = queryset.with_public_message()
        changed = queryset.set_message_status(status)
        skipped = chosen - eligible.count()
        self.message_user(
            request, f"{changed} message{pluralize(changed)} {done}", messages.SUCCESS
        )
        if skipped:
            self.message_user(
                request,
                f"{skipped} left as {'they were' if skipped > 1 else 'it was'}: no message, or "
                "the donor did not ask to be thanked publicly.",
                messages.WARNING,
            )

    @admin.action(description="Approve message", location=BOTH_PAGES, permissions=["change"])
    def approve_message(self, request, queryset):
        self._set_message(
            request, queryset, Message.APPROVED, "approved: shown on the supporters page."
        )

    @admin.action(description="Do not show message", location=BOTH_PAGES, permissions=["change"])
    def decline_message(self, request, queryset):
        self._set_message(
            request,
            queryset,
            Message.DECLINED,
            "kept off the supporters page (the names still show).",
        )

    @admin.action(description="Export payments as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_io.export_response(queryset)

    def _send_dev_events(self, request, events: list[dict], what: str):
        if not events:
            self.message_user(request, f"Nothing to send: {what}", messages.WARNING)
            return
        providers.dev_send(providers.dev_webhook_url(), events)
        self.message_user(
            request,
            f"The dev provider sent {len(events)} event{pluralize(len(events))} to the webhook; "
            "reload the page in a moment to see what it recorded.",
            messages.SUCCESS,
        )

    @admin.action(
        description="Refund (dev provider)", location=BOTH_PAGES, permissions=["dev_provider"]
    )
    def refund_dev(self, request, queryset):
        payments = Payment.objects.filter(
            donation__in=queryset.filter(provider="dev"), refunded_amount__lt=F("amount")
        ).order_by("paid_at", "pk")
        self._send_dev_events(
            request,
            [providers.dev_refund_event(payment) for payment in payments],
            "none of these is a dev provider's gift with a payment left to refund.",
        )

    @admin.action(
        description="Charge the next month (dev provider)",
        location=BOTH_PAGES,
        permissions=["dev_provider"],
    )
    def charge_next_month_dev(self, request, queryset):
        running = queryset.filter(provider="dev").manageable().exclude(subscription_id="")
        self._send_dev_events(
            request,
            [providers.dev_renewal_event(donation) for donation in running],
            "none of these is a dev provider's active monthly gift.",
        )


# Provider events -------------------------------------------------------------------------


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    """What the providers said, as they said it: for finding why a gift is not where it
    should be. Events are written by the webhook only."""

    list_display = ("received_at", "event", "provider", "status", "tries", "short_error")
    list_filter = ("status", "type", "provider")
    search_fields = ("event_id", "type")
    date_hierarchy = "received_at"
    actions = ("try_again",)
    fields = readonly_fields = (
        "received_at",
        "provider",
        "type",
        "event_id",
        "status",
        "attempts",
        "error",
        "processed_at",
        "payload_shown",
    )

    class Media:
        css = {"all": ["admin-extra/donations.css"]}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("donations.change_webhookevent")

    @admin.display(description="event", ordering="type")
    def event(self, event):
        return format_html(
            '{}<code class="don-id" title="{}">{}</code>',
            event.type,
            event.event_id,
            shorten(event.event_id),
        )

    @admin.display(description="tries", ordering="attempts")
    def tries(self, event):
        return event.attempts

    @admin.display(description="error")
    def short_error(self, event):
        return Truncator(event.error).chars(60) or "–"

    @admin.display(description="payload")
    def payload_shown(self, event):
        return format_html(
            '<pre class="don-payload">{}</pre>', json.dumps(event.payload, indent=2, sort_keys=True)
        )

    @admin.action(description="Try again", location=BOTH_PAGES, permissions=["retry"])
    def try_again(self, request, queryset):
        """Waiting and failed events are processed again (a failed one from the start); any
        that goes through lets the events that waited for it follow."""
        again = (WebhookEvent.Status.WAITING, WebhookEvent.Status.FAILED)
        chosen = list(
            queryset.filter(status__in=again)
            .order_by("received_at", "pk")
            .values_list("pk", flat=True)
        )
        if not chosen:
            self.message_user(
                request, "Only waiting or failed events can be tried again.", messages.WARNING
            )
            return
        WebhookEvent.objects.filter(pk__in=chosen, status=WebhookEvent.Status.FAILED).update(
            status=WebhookEvent.Status.RECEIVED
        )
        outcomes = Counter(services.process_event(pk) for pk in chosen)
        if outcomes[WebhookEvent.Status.PROCESSED]:
            services.retry_waiting_events()
        said = ", ".join(
            f"{count} {WebhookEvent.Status(status).label.lower()}"
            for status, count in outcomes.most_common()
        )
        self.message_user(
            request,
            f"{len(chosen)} event{pluralize(len(chosen))} tried again: {said}.",
            messages.SUCCESS if outcomes[WebhookEvent.Status.PROCESSED] else messages.WARNING,
        )
