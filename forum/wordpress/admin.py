"""What each imported WordPress item became here, for an editor answering "where did post 123
go?" or checking an old address. Rows are written by `import_wordpress` only; deleting one makes
the next run import that item again."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator

from .models import ImportedItem


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "slug", "became", "imported_at"]  # the site: a filter
    list_filter = ["kind", "source"]
    search_fields = ["=key", "slug"]
    list_select_related = ["author", "category", "tag", "article", "comment__article"]
    raw_id_fields = ["author", "category", "tag", "article", "comment"]
    readonly_fields = ["source", "kind", "key", "slug", "digest", "imported_at"]
    date_hierarchy = "imported_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Became")
    def became(self, item):
        target = item.target
        if target is None:
            return "—"
        label = Truncator(str(target)).chars(50)  # a comment's title runs to its text
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), label)
