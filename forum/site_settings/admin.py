from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (
            "Comments",
            {
                "fields": [
                    "comment_depth",
                    "comment_max_length",
                    "edit_window_minutes",
                    "close_comments_after_days",
                ]
            },
        ),
        (
            "Moderation",
            {
                "description": "The rules every new comment meets, in this order: bans, the "
                "limits on how fast people post, the robot traps, repeats, blocked words "
                "(spam), links and watched words (held), then the commenter's record. Staff "
                "and the article's author always pass.",
                "fields": [
                    "moderation_mode",
                    "trusted_after",
                    "link_limit",
                    "blocked_words",
                    "watched_words",
                    "flood_seconds",
                    "rate_limit",
                    "min_seconds_to_post",
                    "report_threshold",
                    "moderator_email",
                ],
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list would only ever show it, so go straight to its form.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        SiteSettings.current()
        return redirect("admin:site_settings_sitesettings_change", 1)
