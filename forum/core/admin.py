"""What several apps' admins share."""


class ReadOnlyAdmin:
    """Written by the code only: nobody adds, edits or deletes these rows in the admin (logs,
    ledgers, payments). A mixin for ModelAdmin and inlines."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
