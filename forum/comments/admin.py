from django.contrib import admin, messages
from django.utils.text import Truncator

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("excerpt", "commenter", "article", "status", "reasons", "created")
    list_filter = ("status", "created")
    list_select_related = ("article", "user")
    search_fields = ("body", "name", "email", "ip")
    raw_id_fields = ("article", "parent", "thread", "user")
    readonly_fields = (
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
                comment.set_status(status, reason=f"{reason} by {request.user}")
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
