"""Staff look up who gets comment emails, what they follow and what they were told, by
address, to answer a reader's question. The lists are for reading: readers change their
settings through the links in their mail, and the ledger is history."""

from django.contrib import admin

from .models import Follow, Notice, Recipient


class ReadOnly:
    """Nothing is added by hand; what a row records changes only through the reader."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recipient)
class RecipientAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "user", "confirmed", "replies", "approvals", "following", "created"]
    list_filter = ["replies", "approvals", "following", ("confirmed", admin.EmptyFieldListFilter)]
    search_fields = ["email", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created"


@admin.register(Follow)
class FollowAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["recipient", "article", "created", "last_sent"]
    search_fields = ["recipient__email", "recipient__user__email", "article__title"]
    list_select_related = ["recipient", "recipient__user", "article"]
    raw_id_fields = ["recipient", "article"]


@admin.register(Notice)
class NoticeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["address", "kind", "comment", "created"]
    list_filter = ["kind"]
    search_fields = ["address", "recipient__email", "recipient__user__email"]
    list_select_related = ["recipient", "recipient__user", "comment"]
    raw_id_fields = ["recipient", "comment"]
