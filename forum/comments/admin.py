from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from .models import AuditEntry, Comment


class ReadOnlyAdmin:
    """The audit log is written by the code only: nobody adds, edits or deletes entries."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditEntryInline(ReadOnlyAdmin, admin.TabularInline):
    model = AuditEntry
    fields = readonly_fields = ("created", "actor_name", "old_status", "new_status", "reason")
    extra = 0
    verbose_name_plural = "decisions about this comment"

    @admin.display(description="who")
    def actor_name(self, entry):
        return entry.actor_name


class DecidedByFilter(admin.SimpleListFilter):
    title = "decided by"
    parameter_name = "by"

    def lookups(self, request, model_admin):
        return [("system", "The rules at post time"), ("person", "A person")]

    def queryset(self, request, queryset):
        if self.value() == "system":
            return queryset.filter(actor__isnull=True)
        if self.value() == "person":
            return queryset.filter(actor__isnull=False)
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("created", "who", "comment_link", "old_status", "new_status", "reason")
    list_filter = ("new_status", "old_status", DecidedByFilter, "created")
    list_select_related = ("actor", "comment")
    search_fields = ("reason", "comment__body", "comment__name", "comment__email")
    date_hierarchy = "created"

    @admin.display(description="who", ordering="actor")
    def who(self, entry):
        return entry.actor_name

    @admin.display(description="comment")
    def comment_link(self, entry):
        url = reverse("admin:comments_comment_change", args=[entry.comment_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(entry.comment.body).chars(60))


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("excerpt", "commenter", "article", "status", "reasons", "created")
    list_filter = ("status", "created")
    list_select_related = ("article", "user")
    search_fields = ("body", "name", "email", "ip")
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
        "status_reasons",
    )
    date_hierarchy = "created"
    actions = ["approve", "mark_spam", "remove"]
    inlines = [AuditEntryInline]
    fieldsets = [
        (None, {"fields": ["article", "parent", "body", "status", "status_reasons"]}),
        ("Commenter", {"fields": ["user", "name", "email", "website", "ip", "user_agent"]}),
        ("Place and time", {"fields": ["thread", "depth", "created", "edited", "deleted"]}),
    ]

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80) or "(deleted)"

    @admin.display(description="commenter", ordering="name")
    def commenter(self, comment):
        return f"{comment.author_name} <{comment.email}>"

    @admin.display(description="why")
    def reasons(self, comment):
        return "; ".join(comment.status_reasons)

    def _set_status(self, request, queryset, status, *, reason, verb):
        changed = 0
        for comment in queryset.select_related("article"):
            if comment.status != status:
                comment.set_status(status, by=request.user, reason=f"{reason} by {request.user}")
                changed += 1
        self.message_user(request, f"{changed} comment{'s' if changed != 1 else ''} {verb}.",
                          messages.SUCCESS)  # fmt: skip

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        self._set_status(
            request, queryset, Comment.Status.APPROVED, reason="approved", verb="approved"
        )

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(
            request, queryset, Comment.Status.SPAM, reason="marked as spam", verb="marked as spam"
        )

    @admin.action(description="Remove", permissions=["change"])
    def remove(self, request, queryset):
        self._set_status(
            request, queryset, Comment.Status.REMOVED, reason="removed", verb="removed"
        )

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            AuditEntry.objects.create(
                comment=obj,
                actor=request.user,
                old_status=form.initial.get("status", ""),
                new_status=obj.status,
                reason=f"changed in the admin by {request.user}",
            )
        Comment.objects.refresh_article(obj.article_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Comment.objects.refresh_article(obj.article_id)

    def delete_queryset(self, request, queryset):
        article_ids = set(queryset.values_list("article_id", flat=True))
        super().delete_queryset(request, queryset)
        for article_id in article_ids:
            Comment.objects.refresh_article(article_id)
