"""The newsletter in the admin: issues written, previewed, tested, sent and watched while they
go out; subscribers looked after, imported and exported; the delivery ledger, read-only.

Every change of a subscription goes through `services` and every sending step through
`sending`, so the admin decides nothing the public pages or the sender decide differently.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from forum.articles.models import Article
from forum.core.admin import ReadOnlyAdmin
from forum.site_settings.models import SiteSettings

from . import csv_io, rendering, sending, services
from .admin_forms import CsvImportForm, ScheduleForm, SubscriberForm
from .models import (
    Delivery,
    Issue,
    Newsletter,
    Source,
    Subscriber,
    Subscription,
    SubscriptionChange,
)

# The mail as its reader's client shows it: inline styles (mail clients need them), pictures
# from the site, and nothing that runs. The admin page frames it, so the frame is same-origin.
MAIL_PREVIEW_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", settings.SITE_URL],
    "frame-ancestors": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "sandbox": True,
}


# How far back the issue form offers articles (those already on an issue stay offered).
ARTICLES_OFFERED_DAYS = 60


def moment(value) -> str:
    """A date and time as editors read it: "Monday 30 November, 07:00"."""
    return date_format(timezone.localtime(value), "l j F, H:i")


def suggested_subject(newsletter: Newsletter, day) -> str:
    return f"{newsletter.name}, {date_format(timezone.localtime(day), 'l j F')}"


def articles_since_last_issue(newsletter: Newsletter):
    """Published articles the newsletter's readers have not been sent yet: those since its
    last sent issue went out, or of the last seven days when none has."""
    last = newsletter.issues.sent().exclude(sent_at=None).order_by("-sent_at").first()
    since = last.sent_at if last else timezone.now() - timedelta(days=7)
    return Article.objects.published().filter(published_at__gt=since)


def audience_size(issue: Issue) -> int:
    """Readers the issue would go to if sent now (the sender freezes the same set)."""
    return (
        Subscription.objects.confirmed()
        .filter(newsletter=issue.newsletter, subscriber__status=Subscriber.Status.ACTIVE)
        .count()
    )


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "is_public", "position", "confirmed_readers")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def get_queryset(self, request):
        confirmed = Q(subscriptions__status=Subscription.Status.CONFIRMED)
        return super().get_queryset(request).annotate(readers=Count("subscriptions", confirmed))

    @admin.display(description="Confirmed readers", ordering="readers")
    def confirmed_readers(self, newsletter):
        return newsletter.readers


class ArticleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, article):
        return f"{article.title} ({date_format(timezone.localtime(article.published_at))})"


class IssueForm(forms.ModelForm):
    """Articles are ticked in a plain list of recent published ones: it works without
    JavaScript and with a screen reader, unlike the admin's two-box filter widget."""

    articles = ArticleChoice(
        Article.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Published in the last {ARTICLES_OFFERED_DAYS} days, newest first. Listed "
        "under your letter with their title, standfirst and picture.",
    )

    class Meta:
        model = Issue
        fields = ("newsletter", "subject", "intro", "articles")
        widgets = {
            "subject": forms.TextInput(attrs={"class": "vTextField nl-subject"}),
            "intro": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recent = Q(published_at__gte=timezone.now() - timedelta(days=ARTICLES_OFFERED_DAYS))
        if self.instance.pk:
            recent |= Q(pk__in=self.instance.articles.values("pk"))
        self.fields["articles"].queryset = (
            Article.objects.published().filter(recent).order_by("-published_at", "-pk")
        )


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    """Editors write an issue, preview it, test it and send or schedule it; while it goes out
    its page shows the progress. Only drafts and scheduled issues can still be changed."""

    form = IssueForm
    change_form_template = "admin/newsletter/issue/change_form.html"
    list_display = ("subject", "newsletter", "status", "sent_of_total", "send_at", "sent_at")
    list_filter = ("status", "newsletter")
    list_select_related = ("newsletter",)
    # Each row counts its deliveries (the ledger index): a page of two months of issues.
    list_per_page = 25
    search_fields = ("subject",)
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        handled = Q(deliveries__status=Delivery.Status.SENT)
        return (
            super()
            .get_queryset(request)
            .annotate(total=Count("deliveries"), sent=Count("deliveries", filter=handled))
        )

    @admin.display(description="Sent / total")
    def sent_of_total(self, issue):
        if not issue.total:
            return "–"
        return f"{issue.sent:,} / {issue.total:,}"

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ("newsletter", "subject", "intro", "articles")})]
        if obj is not None:
            fieldsets.append(
                (
                    "Sending",
                    {"fields": ("status", "send_at", "started_at", "sent_at", "created_by")},
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ("status", "send_at", "started_at", "sent_at", "created_by")

    def get_changeform_initial_data(self, request):
        """A new issue starts from the chosen newsletter (`?newsletter=`, else the default):
        a subject for its next sending day and the articles its readers have not had yet."""
        initial = super().get_changeform_initial_data(request)
        chosen = str(initial.get("newsletter", ""))
        newsletter = (
            Newsletter.objects.filter(pk=chosen).first() if chosen.isdigit() else None
        ) or Newsletter.default()
        if newsletter is None:
            return initial
        slot = SiteSettings.current().next_newsletter_slot()
        initial["newsletter"] = newsletter.pk
        initial.setdefault("subject", suggested_subject(newsletter, slot))
        initial.setdefault(
            "articles", list(articles_since_last_issue(newsletter).values_list("pk", flat=True))
        )
        return initial

    def view_on_site(self, issue):
        """Only a sent issue is in the public archive."""
        return issue.get_absolute_url() if issue.status == Issue.Status.SENT else None

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def may_send(self, request) -> bool:
        return super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id is None:
            extra_context["newsletters"] = Newsletter.objects.all()
        else:
            issue = self.get_object(request, object_id)
            if issue is not None:
                extra_context.update(self.issue_context(request, issue))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def issue_context(self, request, issue: Issue) -> dict:
        context = {
            "issue": issue,
            "may_send": self.may_send(request),
            "deliveries_url": reverse("admin:newsletter_delivery_changelist")
            + f"?issue__id__exact={issue.pk}",
        }
        if issue.status not in {Issue.Status.DRAFT, Issue.Status.SCHEDULED}:
            context.update(progress_context(sending.progress(issue)))
        return context

    def get_urls(self):
        def route(suffix, view, name):
            return path(
                f"<path:object_id>/{suffix}",
                self.admin_site.admin_view(view),
                name=f"newsletter_issue_{name}",
            )

        return [
            route("preview/", self.preview_view, "preview"),
            route("preview/text/", self.preview_text_view, "preview_text"),
            route("preview/mail.html", self.preview_html_view, "preview_html"),
            route("test/", require_POST(self.send_test_view), "send_test"),
            route("send/", self.send_now_view, "send_now"),
            route("schedule/", self.schedule_view, "schedule"),
            route("progress/", self.progress_view, "progress"),
            route("pause/", require_POST(self.pause_view), "pause"),
            route("resume/", require_POST(self.resume_view), "resume"),
            route("cancel/", self.cancel_view, "cancel"),
            *super().get_urls(),
        ]

    def issue_or_403(self, request, object_id, *, send: bool = False) -> Issue:
        if not (self.may_send(request) if send else self.has_view_permission(request)):
            raise PermissionDenied
        return get_object_or_404(Issue.objects.select_related("newsletter"), pk=object_id)

    def change_url(self, issue: Issue) -> str:
        return reverse("admin:newsletter_issue_change", args=[issue.pk])

    def page(self, request, issue, template: str, title: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": issue.subject,
            "original": issue,
            **self.issue_context(request, issue),
            **context,
        }
        return TemplateResponse(request, f"admin/newsletter/issue/{template}", context)

    def act(self, request, issue: Issue, step, done: str):
        """Take one sending step and say how it went: the sender refuses a step the issue's
        status does not allow (another editor may have moved it meanwhile)."""
        try:
            step()
        except sending.NotAllowed as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(self.change_url(issue))

    def preview_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id)
        return self.page(request, issue, "preview.html", "Preview", part="html")

    def preview_text_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id)
        text = rendering.without_personal_links(rendering.render_issue(issue)).text
        return self.page(request, issue, "preview.html", "Preview", part="text", text=text)

    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_override(MAIL_PREVIEW_CSP))
    def preview_html_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id)
        return HttpResponse(rendering.without_personal_links(rendering.render_issue(issue)).html)

    def send_test_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id, send=True)
        address = request.user.email
        if not address:
            messages.error(request, "Your account has no email address to send a test to.")
        else:
            sending.send_test(issue, to=address)
            messages.success(request, f"Test sent to {address}.")
        return HttpResponseRedirect(self.change_url(issue))

    def send_now_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id, send=True)
        if issue.status not in {Issue.Status.DRAFT, Issue.Status.SCHEDULED}:
            messages.warning(request, f"This issue is {issue.get_status_display().lower()}.")
            return HttpResponseRedirect(self.change_url(issue))
        readers = audience_size(issue)
        if request.method == "POST":
            return self.act(
                request,
                issue,
                lambda: sending.send_now(issue, by=request.user),
                f"Sending to {readers:,} reader{'s' * (readers != 1)}.",
            )
        return self.page(request, issue, "send.html", "Send this issue now?", readers=readers)

    def schedule_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id, send=True)
        if not issue.is_editable:
            messages.warning(request, f"This issue is {issue.get_status_display().lower()}.")
            return HttpResponseRedirect(self.change_url(issue))
        slot = issue.send_at or SiteSettings.current().next_newsletter_slot()
        form = ScheduleForm(request.POST or None, initial={"send_at": timezone.localtime(slot)})
        if request.method == "POST" and form.is_valid():
            send_at = form.cleaned_data["send_at"]
            return self.act(
                request,
                issue,
                lambda: sending.schedule(issue, send_at=send_at, by=request.user),
                f"Scheduled for {moment(send_at)}.",
            )
        return self.page(
            request, issue, "schedule.html", "Schedule this issue", form=form, readers=None
        )

    def progress_view(self, request, object_id):
        """The progress panel alone, for the page's script to swap in every few seconds."""
        issue = self.issue_or_403(request, object_id)
        context = {"opts": self.opts, **self.issue_context(request, issue)}
        context.update(progress_context(sending.progress(issue)))
        return TemplateResponse(request, "admin/newsletter/issue/progress.html", context)

    def pause_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id, send=True)
        done = "Paused. Nobody else receives it until you resume."
        return self.act(request, issue, lambda: sending.pause(issue), done)

    def resume_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id, send=True)
        done = "Resumed: sending to the readers still waiting."
        return self.act(request, issue, lambda: sending.resume(issue), done)

    def cancel_view(self, request, object_id):
        issue = self.issue_or_403(request, object_id, send=True)
        if request.method == "POST":
            done = "Cancelled. Readers it has not reached will not receive it."
            return self.act(request, issue, lambda: sending.cancel(issue), done)
        waiting = issue.deliveries.filter(status=Delivery.Status.QUEUED).count()
        return self.page(request, issue, "cancel.html", "Cancel this issue?", waiting=waiting)


def progress_context(progress: sending.Progress) -> dict:
    handled = progress.total - progress.queued
    return {
        "progress": progress,
        "handled": handled,
        "percent": handled * 100 // progress.total if progress.total else 100,
        "rate": rate(progress),
        "time_left": time_left(progress),
    }


def rate(progress: sending.Progress) -> str:
    if not progress.per_second:
        return "–"
    shown = (
        f"{progress.per_second:.1f}" if progress.per_second < 10 else f"{progress.per_second:,.0f}"
    )
    return f"{shown} a second"


def time_left(progress: sending.Progress) -> str:
    if progress.done:
        return "none"
    if progress.seconds_left is None:
        return "not known yet"
    if progress.seconds_left < 60:
        return "under a minute"
    minutes = round(progress.seconds_left / 60)
    return f"about {minutes} minute{'s' * (minutes != 1)}"


class SubscriptionInline(admin.TabularInline):
    """The subscriber's newsletters, read-only: they change through the form's "Newsletters"
    (services, recorded as staff) so that every change is on record."""

    model = Subscription
    extra = 0
    can_delete = False
    fields = ("newsletter", "status", "created_at", "confirmed_at", "changed_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("newsletter")


class SubscriptionFilter(admin.SimpleListFilter):
    """Newsletter and subscription status filter the same subscription together: "confirmed"
    with "The magazine" means confirmed to the magazine."""

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        matching = {}
        if newsletter := request.GET.get(NewsletterFilter.parameter_name):
            matching["newsletter"] = newsletter
        if status := request.GET.get(SubscriptionStatusFilter.parameter_name):
            matching["status"] = status
        return queryset.filter(pk__in=Subscription.objects.filter(**matching).values("subscriber"))


class NewsletterFilter(SubscriptionFilter):
    title = "newsletter"
    parameter_name = "newsletter"

    def lookups(self, request, model_admin):
        return [(str(n.pk), n.name) for n in Newsletter.objects.all()]


class SubscriptionStatusFilter(SubscriptionFilter):
    title = "subscription status"
    parameter_name = "subscription"

    def lookups(self, request, model_admin):
        return Subscription.Status.choices


class SourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return Source.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(first_source=self.value())


def first_source():
    """How the address first came: the source of its first recorded change."""
    first = SubscriptionChange.objects.filter(subscription__subscriber=OuterRef("pk"))
    return Subquery(first.order_by("at", "pk").values("source")[:1])


def first_confirmed():
    confirmed = Subscription.objects.filter(subscriber=OuterRef("pk"), confirmed_at__isnull=False)
    return Subquery(confirmed.order_by("confirmed_at").values("confirmed_at")[:1])


def with_subscriptions(queryset):
    """Subscribers with what the list and the export show, in a fixed number of queries."""
    subscriptions = Subscription.objects.select_related("newsletter").order_by(
        "newsletter__position", "newsletter__pk"
    )
    return queryset.annotate(
        first_source=first_source(), confirmed_at=first_confirmed()
    ).prefetch_related(Prefetch("subscriptions", queryset=subscriptions))


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    form = SubscriberForm
    change_list_template = "admin/newsletter/subscriber/change_list.html"
    list_display = (
        "email",
        "name",
        "status",
        "newsletters",
        "source",
        "created_at",
        "confirmed",
    )
    list_filter = (
        "status",
        NewsletterFilter,
        SubscriptionStatusFilter,
        SourceFilter,
    )
    search_fields = ("email", "name")
    raw_id_fields = ("user",)
    inlines = (SubscriptionInline,)
    actions = ("unsubscribe_everything", "record_hard_bounce", "record_complaint", "export_csv")
    readonly_fields = (
        "status",
        "soft_bounces",
        "created_at",
        "confirmation_sent_at",
        "history",
    )
    fieldsets = (
        (None, {"fields": ("email", "name", "user", "newsletters")}),
        (
            "Record",
            {"fields": ("status", "soft_bounces", "created_at", "confirmation_sent_at", "history")},
        ),
    )

    class Media:
        css = {"all": ["admin-extra/newsletter.css"]}

    def get_queryset(self, request):
        return with_subscriptions(super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("email", "name", "user", "newsletters")}),)
        return self.fieldsets

    @admin.display(description="Newsletters")
    def newsletters(self, subscriber):
        return (
            format_html_join(
                ", ",
                "{} ({})",
                (
                    (s.newsletter.name, s.get_status_display().lower())
                    for s in subscriber.subscriptions.all()
                ),
            )
            or "–"
        )

    @admin.display(description="Source", ordering="first_source")
    def source(self, subscriber):
        return Source(subscriber.first_source).label if subscriber.first_source else "–"

    @admin.display(description="Confirmed", ordering="confirmed_at")
    def confirmed(self, subscriber):
        return subscriber.confirmed_at

    @admin.display(description="Changes on record")
    def history(self, subscriber):
        changes = SubscriptionChange.objects.filter(subscription__subscriber=subscriber)
        changes = changes.select_related("subscription__newsletter")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    moment(change.at),
                    change.subscription.newsletter.name,
                    change.previous or "new",
                    change.status,
                    change.get_source_display(),
                    change.network or "",
                    change.note,
                )
                for change in changes
            ),
        )
        if not rows:
            return "–"
        return format_html(
            '<table class="nl-history"><thead><tr><th scope="col">When</th>'
            '<th scope="col">Newsletter</th><th scope="col">Change</th><th scope="col">Source</th>'
            '<th scope="col">Network</th><th scope="col">Note</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    def save_related(self, request, form, formsets, change):
        """Newsletters ticked are confirmed, those unticked end; pending ones left unticked
        stay pending. Each change is recorded as made by this member of staff."""
        super().save_related(request, form, formsets, change)
        note = f"By {request.user.email or request.user} in the admin"
        before = set(form.fields["newsletters"].initial or ())
        after = set(form.cleaned_data["newsletters"])
        services.add_subscriptions(
            subscriber=form.instance, newsletters=after - before, source=Source.ADMIN, note=note
        )
        if before - after:
            services.unsubscribe(
                subscriber=form.instance, newsletters=before - after, source=Source.ADMIN, note=note
            )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="newsletter_subscriber_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="newsletter_subscriber_export",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Unsubscribe from everything", permissions=["change"])
    def unsubscribe_everything(self, request, queryset):
        note = f"By {request.user.email or request.user} in the admin"
        ended = sum(
            services.unsubscribe(subscriber=subscriber, source=Source.ADMIN, note=note)
            for subscriber in queryset
        )
        self.message_user(request, f"{ended} subscription{'s' * (ended != 1)} ended.")

    def _record(self, request, queryset, kind: str, what: str):
        detail = f"recorded by {request.user.email or request.user} in the admin"
        for subscriber in queryset:
            services.record_bounce(email=subscriber.email, kind=kind, detail=detail)
        count = len(queryset)
        self.message_user(request, f"{what} recorded for {count} address{'es' * (count != 1)}.")

    @admin.action(description="Record a hard bounce", permissions=["change"])
    def record_hard_bounce(self, request, queryset):
        self._record(request, queryset, services.Bounce.HARD, "A hard bounce")

    @admin.action(description="Record a complaint", permissions=["change"])
    def record_complaint(self, request, queryset):
        self._record(request, queryset, services.Bounce.COMPLAINT, "A complaint")

    @admin.action(description="Export selected as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_io.export_response(
            with_subscriptions(Subscriber.objects.filter(pk__in=queryset))
        )

    def export_view(self, request):
        """Every subscriber the list shows with its current search and filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return csv_io.export_response(changelist.get_queryset(request))

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        may_confirm = request.user.has_perm("newsletter.change_subscription")
        form = CsvImportForm(request.POST or None, request.FILES or None, may_confirm=may_confirm)
        report = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            report = csv_io.import_subscribers(
                rows=data["rows"],
                newsletter=data["newsletter"],
                confirmed=data["confirmed"],
                consent=data["consent"],
            )
            messages.success(request, report.summary())
            return HttpResponseRedirect(reverse("admin:newsletter_subscriber_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import subscribers from CSV",
            "form": form,
            "report": report,
            "max_rows": csv_io.MAX_ROWS,
            "max_megabytes": csv_io.MAX_BYTES // 1_000_000,
        }
        return TemplateResponse(request, "admin/newsletter/subscriber/import.html", context)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The sending ledger, for staff to see who did not get an issue and why."""

    list_display = ("subscriber", "issue", "status", "sent_at", "short_error")
    list_filter = ("status", "issue")
    list_select_related = ("subscriber", "issue")
    search_fields = ("subscriber__email",)
    readonly_fields = ("issue", "subscriber", "status", "sent_at", "error")
    fields = readonly_fields

    @admin.display(description="Error")
    def short_error(self, delivery):
        return delivery.error[:120]
