from django.contrib import admin

from .models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "updated_at")
    search_fields = ("title", "body")
    fields = ("slug", "title", "body", "updated_at")
    readonly_fields = ("updated_at",)

    def get_readonly_fields(self, request, obj=None):
        # A page's address is linked from every footer and from the comment form.
        return ("slug", *self.readonly_fields) if obj else self.readonly_fields
