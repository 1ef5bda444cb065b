from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from . import renditions
from .models import Article, ArticleImage, Author, Category, RelatedLink, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "slug", "position")
    list_filter = ("parent",)
    search_fields = ("name", "path")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("path",)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "user")
    search_fields = ("name", "bio")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("user",)
    readonly_fields = ("photo_sizes",)

    @admin.display(description="Sizes served")
    def photo_sizes(self, obj):
        return renditions.describe(obj.photo_renditions)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class ArticleImageInline(admin.TabularInline):
    model = ArticleImage
    extra = 0
    fields = ("position", "image", "image_sizes", "caption", "credit")
    readonly_fields = ("image_sizes",)

    @admin.display(description="Sizes served")
    def image_sizes(self, obj):
        return renditions.describe(obj.image_renditions)


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    fields = ("position", "target", "url", "title")
    autocomplete_fields = ("target",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Editors see and publish every article; authors write and edit their own drafts."""

    list_display = (
        "title",
        "author",
        "category",
        "state_label",
        "published_at",
        "comment_count",
        "preview_link",
    )
    list_filter = ("status", "is_test_content", "category", "author", "tags")
    list_select_related = ("author", "category")
    search_fields = ("title", "standfirst", "body")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("tags",)
    date_hierarchy = "published_at"
    inlines = (ArticleImageInline, RelatedLinkInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "standfirst", "body", "category", "author", "tags")}),
        (
            "Hero image",
            {"fields": ("hero_image", "hero_sizes", "hero_alt", "hero_caption", "hero_credit")},
        ),
        (
            "Publishing",
            {"fields": ("status", "published_at", "comments_open", "is_test_content")},
        ),
    )

    @staticmethod
    def _can_publish(request) -> bool:
        return request.user.has_perm("articles.publish_article")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._can_publish(request):
            return queryset
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # The "Read more" picker: colleagues' published articles may be linked to.
            return queryset.filter(
                Q(status=Article.Status.PUBLISHED) | Q(author__user=request.user)
            )
        return queryset.filter(author__user=request.user)

    def get_readonly_fields(self, request, obj=None):
        if self._can_publish(request):
            return ("hero_sizes",)
        return ("hero_sizes", "status", "published_at", "is_test_content")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author" and not self._can_publish(request):
            kwargs["queryset"] = Author.objects.filter(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = Author.objects.filter(user=request.user).first()
        if profile:
            initial.setdefault("author", profile.pk)
        return initial

    def save_model(self, request, obj, form, change):
        publishing_now = "status" in form.changed_data and "published_at" not in form.changed_data
        if (
            publishing_now
            and obj.status == Article.Status.PUBLISHED
            and obj.published_at < timezone.now()
        ):
            obj.published_at = timezone.now()  # a draft published today is dated today
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The body may place images that were only just uploaded in the inline.
        form.instance.save(update_fields=["body_html", "updated_at"])

    @admin.display(description="Sizes served")
    def hero_sizes(self, obj):
        return renditions.describe(obj.hero_renditions)

    @admin.display(description="State", ordering="status")
    def state_label(self, obj):
        return obj.state

    @admin.display(description="On the site")
    def preview_link(self, obj):
        label = "View" if obj.is_published else "Preview"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)
