"""The moderation desk: the comment queue, its bulk actions, bans, reader reports, trust and
the audit log."""

from collections import Counter
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from forum.core.admin import ReadOnlyAdmin

from . import services
from .forms import BanAddForm, BanCommenterForm, TrustedCommenterForm
from .models import REPORTED, AuditEntry, Ban, Comment, Report, TrustedCommenter

Status = Comment.Status
# Moderators act from the queue or from one comment's page.
BOTH_PAGES = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
HISTORY_ORDER = [Status.APPROVED, Status.PENDING, Status.SPAM, Status.REMOVED]


def excerpt(text: str, length: int = 80) -> str:
    return Truncator(text).chars(length) or "(deleted)"


def comment_link(comment: Comment | None, length: int = 60):
    if comment is None:
        return "—"
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    return format_html('<a href="{}">{}</a>', url, excerpt(comment.body, length))


def short_moment(moment) -> str:
    return timezone.localtime(moment).strftime("%-d %b %Y, %H:%M")


def queue_url(**params) -> str:
    url = reverse("admin:comments_comment_changelist")
    return f"{url}?{urlencode(params)}" if params else url


# The audit log ---------------------------------------------------------------------------


# Read-only tables of records: the stock template's caption of each row's str() would only
# repeat the heading and the comment the page is about.
RECORD_TABLE = "admin/edit_inline/tabular_record.html"


class AuditEntryInline(ReadOnlyAdmin, admin.TabularInline):
    model = AuditEntry
    template = RECORD_TABLE
    fields = readonly_fields = ("created", "actor_name", "old_status", "new_status", "reason")
    extra = 0
    verbose_name_plural = "decisions about this comment"

    @admin.display(description="who")
    def actor_name(self, entry):
        return entry.actor_name


class OptionsFilter(admin.SimpleListFilter):
    """A list filter with fixed options: value → (label, how it narrows the queryset)."""

    options: dict = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.options.items()]

    def queryset(self, request, queryset):
        if option := self.options.get(self.value()):
            return option[1](queryset)
        return queryset


class DecidedByFilter(OptionsFilter):
    title = "decided by"
    parameter_name = "by"
    options = {
        "system": ("The system (rules, reader reports)", lambda q: q.filter(actor__isnull=True)),
        "person": ("A person", lambda q: q.filter(actor__isnull=False)),
    }


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = (
        "created",
        "who",
        "action",
        "comment_link",
        "old_status",
        "new_status",
        "reason",
    )
    list_filter = ("action", "new_status", "old_status", DecidedByFilter, "created")
    list_select_related = ("actor", "comment")
    search_fields = ("reason", "comment__body", "comment__name", "comment__email")
    date_hierarchy = "created"

    @admin.display(description="who", ordering="actor")
    def who(self, entry):
        return entry.actor_name

    @admin.display(description="comment")
    def comment_link(self, entry):
        # Bans and trust given by hand concern a commenter, not one comment.
        return comment_link(entry.comment)


# The queue -------------------------------------------------------------------------------


class QueueFilter(admin.SimpleListFilter):
    """The queue opens on the held comments; each choice shows how many comments it holds.

    A lookup on the status field itself (`?status__exact=spam`, from an old bookmark) is
    honoured instead of the default.
    """

    title = "queue"
    parameter_name = "status"
    CHOICES = [
        ("pending", "Pending", Q(status=Status.PENDING)),
        ("reported", "Reported", REPORTED),
        ("approved", "Approved", Q(status=Status.APPROVED)),
        ("spam", "Spam", Q(status=Status.SPAM)),
        ("removed", "Removed", Q(status=Status.REMOVED)),
    ]

    def lookups(self, request, model_admin):
        counts = Comment.objects.aggregate(
            all=Count("pk"),
            **{value: Count("pk", filter=match) for value, _, match in self.CHOICES},
        )
        self.total = counts["all"]
        return [(value, f"{label} ({counts[value]})") for value, label, _ in self.CHOICES]

    def chosen(self, request) -> str | None:
        """The choice in force: the one asked for, or pending when none was."""
        if self.value() is not None:
            return self.value()
        if any(key.startswith("status__") for key in request.GET):
            return None
        # An action on ticked rows acts on exactly those rows, whatever list they were
        # ticked in; "select all" still means all of the (default) list.
        if request.method == "POST" and request.POST.get("select_across") != "1":
            return None
        return "pending"

    def queryset(self, request, queryset):
        chosen = self.chosen(request)
        for value, _, match in self.CHOICES:
            if chosen == value:
                return queryset.filter(match)
        return queryset

    def choices(self, changelist):
        chosen = self.chosen(self.request)
        for value, title in self.lookup_choices:
            yield {
                "selected": chosen == value,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: value}, remove=["status__"]
                ),
                "display": title,
            }
        yield {
            "selected": self.value() == "all",
            "query_string": changelist.get_query_string(
                {self.parameter_name: "all"}, remove=["status__"]
            ),
            "display": f"All ({self.total})",
        }


# The queue shows a comment whole up to WHOLE characters; a longer one shows its first SHOWN
# characters (to the end of a word) and the rest on demand, so the length of one comment
# never decides how many others fit on the screen.
SHOWN, WHOLE = 300, 420


def split_text(body: str) -> tuple[str, str]:
    """The text as the queue shows it: what is in sight, and the rest ("" when it fits)."""
    if len(body) <= WHOLE:
        return body, ""
    # To the end of the word, unless the word is a long run of letters (a pasted address).
    end = next((at for at in range(SHOWN, SHOWN + 40) if body[at].isspace()), SHOWN)
    return body[:end].rstrip() + "…", body[end:].strip()


def when(moment) -> str:
    """How long ago, for this week's comments; the date, for older ones."""
    if timezone.now() - moment < timedelta(days=7):
        return naturaltime(moment)
    return timezone.localtime(moment).strftime("%-d %b %Y")


def open_report_reasons(comment: Comment) -> str:
    """The reasons of the reports not yet dealt with (the newest `report_count` of those the
    queue fetched for its page), most given first: "Abusive or hateful ×2, Off-topic"."""
    reports = getattr(comment, "queue_reports", [])[: comment.report_count]
    counts = Counter(report.get_reason_display() for report in reports)
    return ", ".join(f"{reason} ×{n}" if n > 1 else reason for reason, n in counts.most_common())


# Row actions: what each does to the comment, its button, and the reason logged with it.
ROW_ACTIONS = {
    "approve": (Status.APPROVED, "Approve", "approved"),
    "spam": (Status.SPAM, "Spam", "marked as spam"),
    "remove": (Status.REMOVED, "Remove", "removed"),
}


def row_button(*, url: str, do: str, label: str, hidden: str) -> str:
    # A button of the changelist's own form (a row cannot hold a form of its own): it sends
    # the form's CSRF token to the row's address instead of running the bulk action.
    return format_html(
        '<button type="submit" class="button row-action row-action--{}" formaction="{}" '
        'formmethod="post" formnovalidate name="do" value="{}">{}'
        '<span class="queue-hidden"> {}</span></button>',
        do,
        url,
        do,
        label,
        hidden,
    )


def group_by_commenter(comments) -> dict[tuple, list[Comment]]:
    """The comments grouped by writer, newest first within each writer."""
    groups: dict[tuple, list[Comment]] = {}
    for comment in sorted(comments, key=lambda c: (c.created, c.pk), reverse=True):
        groups.setdefault(comment.commenter_key, []).append(comment)
    return groups


class ReportInline(ReadOnlyAdmin, admin.TabularInline):
    model = Report
    template = RECORD_TABLE
    fields = readonly_fields = ("created", "reason", "note", "who")
    extra = 0
    verbose_name_plural = "reader reports"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="who")
    def who(self, report):
        return str(report.user) if report.user_id else "a guest"


BAN_FIELDSETS = [
    ("What to ban", {"fields": ["email", "account", "network"]}),
    ("For how long, and why", {"fields": ["length", "ends", "reason", "remove_comments"]}),
]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # Five columns, so that at 1280 pixels the text has room: the comment's cell also holds
    # its article and date (see `queue_rows`), "why" its status, reasons and reports.
    list_display = ("excerpt", "commenter", "why", "report_count", "row_actions")
    # Dates: the date hierarchy above the list.
    list_filter = (QueueFilter,)
    # The queue's choices carry their counts already (QueueFilter): no "Show counts" toggle,
    # which also keeps the bar on one line at 1280 pixels once a choice is made.
    show_facets = admin.ShowFacets.NEVER
    list_select_related = ("article", "user")
    search_fields = ("body", "name", "email", "ip")
    # Newest first: what was just posted is what needs a look first.
    ordering = ("-created", "-pk")
    # Where a comment sits and who wrote it are fixed when it is posted on the site (staff
    # comment there too): editing them here would tear it out of its thread.
    readonly_fields = (
        "article",
        "parent",
        "thread",
        "user",
        "depth",
        "created",
        "edited",
        "deleted",
        "ip",
        "user_agent",
        "reasons",
        "in_reply_to",
        "their_comments",
    )
    date_hierarchy = "created"
    actions = ["approve", "mark_spam", "remove", "approve_and_trust", "ban"]
    inlines = [ReportInline, AuditEntryInline]
    fieldsets = [
        (None, {"fields": ["article", "parent", "body", "status", "reasons"]}),
        ("Context", {"fields": ["in_reply_to", "their_comments"]}),
        ("Commenter", {"fields": ["user", "name", "email", "website", "ip", "user_agent"]}),
        ("Place and time", {"fields": ["thread", "depth", "created", "edited", "deleted"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_commenter_history()

    def get_urls(self):
        moderate = path(
            "<path:object_id>/moderate/",
            self.admin_site.admin_view(require_POST(self.moderate_view)),
            name="comments_comment_moderate",
        )
        return [moderate, *super().get_urls()]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if request.method == "GET":
            # The page's open reports, in one query, for the "why" column.
            newest_first = Report.objects.order_by("-created", "-pk")
            prefetch_related_objects(
                changelist.result_list,
                Prefetch("reports", queryset=newest_first, to_attr="queue_reports"),
            )
        return changelist

    # Columns

    @admin.display(description="comment")
    def excerpt(self, comment):
        return split_text(comment.body)[0] or "(deleted)"

    @admin.display(description="actions")
    def row_actions(self, comment):
        return ""  # filled in by queue_rows, which knows the moderator and the list

    @admin.display(description="commenter", ordering="name")
    def commenter(self, comment):
        history = " · ".join(
            f"{getattr(comment, f'history_{status}', 0)} {status}" for status in HISTORY_ORDER
        )
        everything = queue_url(status="all", q=comment.email)
        return format_html(
            '{} &lt;{}&gt;<br><a class="commenter-history" href="{}" title="{}">{}</a>',
            comment.author_name,
            comment.email,
            everything,
            "All of their comments" + (" (member)" if comment.user_id else " (guest)"),
            history,
        )

    @admin.display(description="why")
    def reasons(self, comment):
        return "; ".join(comment.status_reasons)

    @admin.display(description="why", ordering="status")
    def why(self, comment):
        reports = ""
        if comment.report_count:
            reports = format_html(
                '<span class="queue-reports">Reported: {}</span>', open_report_reasons(comment)
            )
        return format_html(
            '<span class="queue-status queue-status--{}">{}</span> {}{}',
            comment.status,
            comment.get_status_display(),
            self.reasons(comment),
            reports,
        )

    # The rows of the queue

    def queue_rows(self, request, changelist, rows) -> list[list[str]]:
        """The queue's table rows from the cells Django rendered: the comment's cell gains
        what its link cannot hold (the rest of a long text, the article, the date), and the
        actions cell its buttons, which need the moderator's rights and the list's place."""
        comments = list(changelist.result_list)
        columns = list(changelist.list_display)
        text_at, actions_at = columns.index("excerpt"), columns.index("row_actions")
        preserved = {"preserved_filters": changelist.preserved_filters, "opts": self.opts}
        filters = request.GET.urlencode()
        rows = [list(row) for row in rows]
        for at, (comment, row) in enumerate(zip(comments, rows, strict=True)):
            change_url = add_preserved_filters(
                preserved, reverse("admin:comments_comment_change", args=[comment.pk])
            )
            row[text_at] = self.comment_cell(comment, change_url=change_url)
            # After acting, the moderator lands at the row that takes this one's place.
            beside = comments[at + 1] if at + 1 < len(comments) else comments[at - 1]
            row[actions_at] = format_html(
                '<td class="field-row_actions">{}</td>',
                self.row_buttons(request, comment, filters=filters, then=beside),
            )
        return rows

    def comment_cell(self, comment, *, change_url: str) -> str:
        shown, rest = split_text(comment.body)
        more = ""
        if rest:
            more = format_html(
                '<details class="queue-more"><summary>Show the rest '
                '<span class="queue-quiet">({} more characters)</span></summary>'
                '<p class="queue-text">{}</p></details>',
                len(rest),
                rest,
            )
        article = comment.article
        return format_html(
            '<th class="field-excerpt"><a href="{}">{}</a>{}'
            '<p class="queue-meta">on <a href="{}">{}</a> · '
            '<time datetime="{}" title="{}">{}</time></p></th>',
            change_url,
            shown or "(deleted)",
            more,
            article.get_absolute_url(),
            article.title,
            comment.created.isoformat(),
            short_moment(comment.created),
            when(comment.created),
        )

    def row_buttons(self, request, comment, *, filters: str, then: Comment) -> str:
        """One-click Approve, Spam and Remove (those that would change something; Keep for a
        published comment with open reports) and Ban,
        each shown only to a moderator allowed to use the matching bulk action."""
        query = {"next": then.pk}
        if filters:
            query["_changelist_filters"] = filters
        url = reverse("admin:comments_comment_moderate", args=[comment.pk])
        url = f"{url}?{urlencode(query)}"
        who = comment.author_name
        buttons = []
        if self.has_change_permission(request, comment):
            for do, (status, label, _) in ROW_ACTIONS.items():
                if comment.status != status:
                    buttons.append(
                        row_button(url=url, do=do, label=label, hidden=f"comment by {who}")
                    )
                elif status == Status.APPROVED and comment.report_count:
                    # Published and reported: keeping it settles the reports.
                    buttons.append(
                        row_button(url=url, do=do, label="Keep", hidden=f"comment by {who}")
                    )
        if self.has_ban_permission(request):
            buttons.append(row_button(url=url, do="ban", label="Ban", hidden=f"commenter {who}"))
        return format_html(
            '<div class="row-actions" id="queue-row-{}">{}</div>',
            comment.pk,
            mark_safe("".join(buttons)),  # noqa: S308 (each made by format_html)
        )

    def moderate_view(self, request, object_id):
        """A row action: the comment's new status at once (or, for Ban, the ban form for its
        writer), then back to the same list and filters, at the row that followed it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        comment = self.get_object(request, object_id)
        if comment is None:
            raise Http404("No such comment.")
        do = request.POST.get("do", "")
        back = add_preserved_filters(
            {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts},
            reverse("admin:comments_comment_changelist"),
        )
        if do == "ban":
            if not self.has_ban_permission(request):
                raise PermissionDenied
            return self.ban_page(request, Comment.objects.filter(pk=comment.pk), form_url=back)
        if do not in ROW_ACTIONS:
            return HttpResponseBadRequest("Unknown row action.")
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        status, _, verb = ROW_ACTIONS[do]
        changed = Comment.objects.filter(pk=comment.pk).set_status(
            status, by=request.user, reason=f"{verb} by {request.user}"
        )
        what = f"The comment by {comment.author_name} on {comment.article}"
        said = f"“{excerpt(comment.body, 60)}”"
        if changed:
            self.message_user(request, f"{what} was {verb}: {said}", messages.SUCCESS)
        else:
            self.message_user(request, f"{what} was already {verb}: {said}", messages.INFO)
        following = request.GET.get("next", "")
        return HttpResponseRedirect(
            back + (f"#queue-row-{following}" if following.isdigit() else "")
        )

    # Context on the change page

    @admin.display(description="in reply to")
    def in_reply_to(self, comment):
        if comment.parent_id is None:
            return "Nobody: it starts a thread."
        parent = comment.parent
        return format_html(
            '<blockquote class="comment-context">{}</blockquote><p>by {} &lt;{}&gt; · {} · {}</p>',
            excerpt(parent.body, 300),
            parent.author_name,
            parent.email,
            parent.get_status_display(),
            comment_link(parent, 40),
        )

    @admin.display(description="their other comments")
    def their_comments(self, comment):
        recent = list(
            Comment.objects.by_commenter(comment)
            .exclude(pk=comment.pk)
            .select_related("article")
            .order_by("-created", "-pk")[:10]
        )
        if not recent:
            return "None: this is their only comment."
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="status-{}">{}</span> on {}, {}</li>',
            (
                (
                    reverse("admin:comments_comment_change", args=[other.pk]),
                    excerpt(other.body, 60),
                    other.status,
                    other.get_status_display(),
                    other.article,
                    timezone.localtime(other.created).strftime("%-d %b %Y, %H:%M"),
                )
                for other in recent
            ),
        )
        everything = queue_url(status="all", q=comment.email)
        return format_html(
            '<ul class="comment-history">{}</ul><p><a href="{}">All of their comments</a></p>',
            rows,
            everything,
        )

    # Bulk actions

    def _set_status(self, request, queryset, status, *, reason, verb):
        changed = queryset.set_status(status, by=request.user, reason=f"{reason} by {request.user}")
        self.message_user(request, f"{changed} comment{pluralize(changed)} {verb}.",
                          messages.SUCCESS)  # fmt: skip
        return changed

    @admin.action(description="Approve", location=BOTH_PAGES, permissions=["change"])
    def approve(self, request, queryset):
        self._set_status(request, queryset, Status.APPROVED, reason="approved", verb="approved")

    @admin.action(description="Mark as spam", location=BOTH_PAGES, permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(
            request, queryset, Status.SPAM, reason="marked as spam", verb="marked as spam"
        )

    @admin.action(description="Remove", location=BOTH_PAGES, permissions=["change"])
    def remove(self, request, queryset):
        self._set_status(request, queryset, Status.REMOVED, reason="removed", verb="removed")

    @admin.action(
        description="Approve and trust the commenter", location=BOTH_PAGES, permissions=["trust"]
    )
    def approve_and_trust(self, request, queryset):
        groups = group_by_commenter(queryset.select_related("article", "user"))
        self._set_status(request, queryset, Status.APPROVED, reason="approved", verb="approved")
        for group in groups.values():
            services.trust_commenter(comment=group[0], by=request.user)
        writers = len(groups)
        self.message_user(
            request,
            f"{writers} commenter{pluralize(writers)} trusted: their next comments are "
            "published without waiting.",
            messages.SUCCESS,
        )

    def has_trust_permission(self, request):
        # Action permissions are alternatives: this one needs both.
        return self.has_change_permission(request) and request.user.has_perm(
            "comments.add_trustedcommenter"
        )

    @admin.action(description="Ban the commenter", location=BOTH_PAGES, permissions=["ban"])
    def ban(self, request, queryset):
        # From a comment's own page too, the answer goes to the queue's action handler.
        from_queue = request.resolver_match.url_name == "comments_comment_changelist"
        return self.ban_page(
            request, queryset, form_url=request.get_full_path() if from_queue else queue_url()
        )

    def ban_page(self, request, queryset, *, form_url: str):
        """The ban form for the writers of these comments; it is answered (at `form_url`, a
        list of the queue) through the queue's "ban" action."""
        comments = list(queryset.select_related("article", "user"))
        groups = group_by_commenter(comments)
        form = BanCommenterForm(
            request.POST if "apply" in request.POST else None,
            # Guests have no account: offer it ticked only if a member is among them.
            initial={"account": any(comment.user_id for comment in comments)},
        )
        if form.is_bound and form.is_valid():
            return self._ban(request, form, groups)
        context = {
            **self.admin_site.each_context(request),
            "title": "Ban the commenter" + pluralize(len(groups)),
            "opts": self.opts,
            "form": form,
            "adminform": helpers.AdminForm(form, BAN_FIELDSETS, {}, model_admin=self),
            "errors": helpers.AdminErrorList(form, []) if form.is_bound else [],
            "comments": comments,
            "commenters": list(groups.values()),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "form_url": form_url,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/comments/comment/ban.html", context)

    def _ban(self, request, form, groups):
        data = form.cleaned_data
        banned, nothing = [], []
        with transaction.atomic():
            for group in groups.values():
                bans = services.ban_commenter(
                    comment=group[0],
                    by=request.user,
                    email=data["email"],
                    account=data["account"],
                    network=data["network"],
                    expires=form.expires,
                    reason=data["reason"],
                    remove_comments=data["remove_comments"],
                )
                (banned if bans else nothing).append(group[0].author_name)
        if banned:
            removed = " and their comments removed" if data["remove_comments"] else ""
            ends = form.expires
            until = f" until {timezone.localtime(ends):%-d %B %Y}" if ends else " for good"
            self.message_user(
                request,
                f"Banned{until}: {', '.join(banned)}{removed}.",
                messages.SUCCESS,
            )
        if nothing:
            self.message_user(
                request,
                f"Nothing to ban for {', '.join(nothing)}: guests have no account to ban.",
                messages.WARNING,
            )
        return HttpResponseRedirect(request.get_full_path())

    def has_ban_permission(self, request):
        return request.user.has_perm("comments.add_ban")

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        # A status changes through the actions above (audit row, reports settled, article
        # recounted, moderators told), not by editing the field.
        return (*super().get_readonly_fields(request, obj), "status")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Comment.objects.refresh_article(obj.article_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Comment.objects.refresh_article(obj.article_id)

    def delete_queryset(self, request, queryset):
        article_ids = set(queryset.values_list("article_id", flat=True))
        super().delete_queryset(request, queryset)
        for article_id in article_ids:
            Comment.objects.refresh_article(article_id)


# Bans, reports and trust -------------------------------------------------------------------


class ActiveBanFilter(OptionsFilter):
    title = "in force"
    parameter_name = "in_force"
    options = {
        "active": ("Active", lambda q: q.active()),
        "expired": ("Ended", lambda q: q.exclude(pk__in=Ban.objects.active().values("pk"))),
    }


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    # What a ban stops sits in one column, so that the reason and the end fit at 1280 pixels.
    list_display = (
        "target",
        "reason",
        "ends",
        "active",
        "made",
    )
    list_display_links = ("target",)
    list_filter = (ActiveBanFilter,)
    list_select_related = ("user", "created_by")
    search_fields = ("email", "ip_range", "user__email", "reason")
    raw_id_fields = ("user",)
    readonly_fields = ("created", "created_by")
    date_hierarchy = "created"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = BanAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        who = ["email", "user", "ip_range"]
        if obj is None:
            return [
                ("Who", {"fields": who, "description": "Give at least one."}),
                (None, {"fields": ["length", "expires", "reason", "remove_comments"]}),
            ]
        return [
            ("Who", {"fields": who}),
            (None, {"fields": ["expires", "reason", "created", "created_by"]}),
        ]

    @admin.display(description="banned")
    def target(self, ban):
        stops = [
            ban.email,
            f"the account {ban.user}" if ban.user_id else "",
            f"the network {ban.ip_range}" if ban.ip_range else "",
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((stop,) for stop in stops if stop))

    @admin.display(description="ends", ordering="expires")
    def ends(self, ban):
        return short_moment(ban.expires) if ban.expires else "permanent"

    @admin.display(description="made", ordering="created")
    def made(self, ban):
        return format_html("{}<br>by {}", short_moment(ban.created), ban.created_by or "—")

    @admin.display(description="active", boolean=True)
    def active(self, ban):
        return ban.is_active

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.created_by = request.user
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            services.log_ban(obj, by=request.user)
            if form.cleaned_data.get("remove_comments"):
                obj.comments().set_status(
                    Status.REMOVED, by=request.user, reason=f"commenter banned by {request.user}"
                )


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("comment_link", "reason", "note", "who", "created")
    list_filter = ("reason",)
    list_select_related = ("comment", "user")
    search_fields = ("note", "comment__body")
    date_hierarchy = "created"

    @admin.display(description="comment")
    def comment_link(self, report):
        return comment_link(report.comment)

    @admin.display(description="who")
    def who(self, report):
        return str(report.user) if report.user_id else "guest"


@admin.register(TrustedCommenter)
class TrustedCommenterAdmin(admin.ModelAdmin):
    form = TrustedCommenterForm
    list_display = ("__str__", "email", "user", "created", "created_by")
    list_select_related = ("user", "created_by")
    search_fields = ("email", "user__email")
    raw_id_fields = ("user",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not change:
                AuditEntry.objects.create(
                    comment=None,
                    actor=request.user,
                    action=AuditEntry.Action.TRUSTED,
                    reason=f"{obj} trusted by {request.user}",
                )
