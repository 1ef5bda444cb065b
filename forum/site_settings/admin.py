from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .models import SiteSettings

# Moderators may change these (the rules they enforce), and see nothing else of the settings.
MODERATION_PERMISSION = "site_settings.change_moderation_settings"


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
        ("Newsletter", {"fields": ["newsletter_days", "newsletter_time"]}),
        (
            "Support",
            {
                "fields": [
                    "support_text",
                    "donation_amounts",
                    "donation_goal",
                    "free_articles_a_month",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._moderation_only(request)

    def _moderation_only(self, request) -> bool:
        """Whether this person may change the moderation settings but not the others."""
        return request.user.has_perm(MODERATION_PERMISSION) and not super().has_change_permission(
            request
        )

    def get_fieldsets(self, request, obj=None):
        # The form is built from these fields, so a forged value for any other is ignored.
        if self._moderation_only(request):
            return [fieldset for fieldset in self.fieldsets if fieldset[0] == "Moderation"]
        return self.fieldsets

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list would only ever show it, so go straight to its form.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        SiteSettings.current()
        return redirect("admin:site_settings_sitesettings_change", 1)
