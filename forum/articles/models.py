from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from forum.core.html import Figure, render_markdown

from . import renditions
from .renditions import PORTRAIT_WIDTHS, WIDTHS, Picture

SECTIONS_CACHE_KEY = "articles:sections"


class Category(models.Model):
    """A section of the magazine; categories nest (Cameras > Leica)."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, help_text="Part of the address; unique among siblings.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    description = models.TextField(blank=True, help_text="A sentence or two for the section page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order among siblings.")
    path = models.CharField(
        max_length=255, unique=True, editable=False, help_text="Slugs from the root, joined by /."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="unique_category_slug"),
        ]

    def __str__(self):
        return " › ".join(c.name for c in self.lineage)

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = f"{self.parent.path}/{self.slug}" if self.parent else self.slug
        super().save(*args, **kwargs)
        cache.delete(SECTIONS_CACHE_KEY)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()  # keep descendants' paths in step after a move or rename

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"path": self.path})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(SECTIONS_CACHE_KEY)
        return result

    def clean(self):
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A category cannot sit inside itself."})
            node = node.parent

    @classmethod
    def sections(cls) -> list[tuple[str, str]]:
        """The top-level sections for the navigation bar, as (name, address): cached, and
        forgotten whenever a category is saved or deleted, so with a shared cache (Redis) an
        edit shows at once on every app server."""
        sections = cache.get(SECTIONS_CACHE_KEY)
        if sections is None:
            roots = cls.objects.filter(parent=None).only("name", "path")
            sections = [(c.name, c.get_absolute_url()) for c in roots]
            cache.set(SECTIONS_CACHE_KEY, sections, 300)
        return sections

    @cached_property
    def lineage(self) -> list["Category"]:
        """This category and its ancestors, root first, in one query."""
        parts = self.path.split("/")
        paths = ["/".join(parts[: i + 1]) for i in range(len(parts) - 1)]
        ancestors = {c.path: c for c in Category.objects.filter(path__in=paths)}
        return [ancestors[p] for p in paths if p in ancestors] + [self]

    def descendant_ids(self) -> list[int]:
        return list(
            Category.objects.filter(
                Q(pk=self.pk) | Q(path__startswith=f"{self.path}/")
            ).values_list("pk", flat=True)
        )


class Author(models.Model):
    """A writer or photographer: the author box under each article."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The member account that writes as this author (and replies as the author).",
    )
    role = models.CharField(
        max_length=120, blank=True, help_text='For example "Contributing editor".'
    )
    bio = models.TextField(help_text="Two or three sentences, plain text.")
    photo = models.ImageField(
        upload_to="authors/", blank=True, width_field="photo_width", height_field="photo_height"
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Smaller copies made on upload."
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if refreshes(self, "photo", "photo_renditions", kwargs):
            self.photo_renditions = renditions.refresh(
                self.photo, self.photo_renditions, widths=PORTRAIT_WIDTHS
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        record = self.photo_renditions
        result = super().delete(*args, **kwargs)
        renditions.discard(self.photo.storage, record)
        return result

    @cached_property
    def photo_picture(self) -> Picture | None:
        if not self.photo:
            return None
        return renditions.picture(
            self.photo, self.photo_renditions, width=self.photo_width, height=self.photo_height
        )


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles the public may read: published, with a publish time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def listed(self):
        """Published articles that listings, feeds and the sitemap show: not test content."""
        return self.published().filter(is_test_content=False)

    def visible_to(self, user):
        """Staff may preview drafts and scheduled articles; everyone else sees published ones."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()

    def for_reading(self):
        """What the article page shows beside the body: section, author, tags, links."""
        return self.select_related("category", "author").prefetch_related(
            "tags", "related_links__target"
        )

    def for_listing(self):
        return (
            self.select_related("category", "author")
            .prefetch_related("tags")
            .defer("body", "body_html")
            .order_by("-published_at", "-pk")
        )


COMMENT_COUNTERS = frozenset({"comment_count", "comment_version"})


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(
        max_length=400, help_text="The one- or two-sentence introduction under the title."
    )
    body = models.TextField(
        help_text="Markdown. Place an attached image with ![description](image:1), where 1 is "
        "the image's position."
    )
    body_html = models.TextField(editable=False, blank=True)
    category = models.ForeignKey(Category, related_name="articles", on_delete=models.PROTECT)
    author = models.ForeignKey(Author, related_name="articles", on_delete=models.PROTECT)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    hero_image = models.ImageField(
        upload_to="articles/%Y/", blank=True, width_field="hero_width", height_field="hero_height"
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Smaller copies made on upload."
    )
    hero_alt = models.CharField(
        max_length=250,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_credit = models.CharField(
        max_length=120, blank=True, help_text='For example "Photo: Ada Lowe".'
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="Published articles appear from this time on; a future time schedules the article.",
    )
    comments_open = models.BooleanField(
        default=True,
        help_text="Untick to close the discussion: existing comments stay, the form goes. "
        "Comments also close by themselves after the days set in Site settings.",
    )
    is_test_content = models.BooleanField(
        "test content",
        default=False,
        help_text="Kept out of listings, feeds and the sitemap; its own page still works. "
        "Seeded benchmark discussions are marked so.",
    )
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Published comments, kept by the comments app."
    )
    comment_version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Changes whenever a comment changes; keys caches."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"], name="article_status_published")]
        permissions = [("publish_article", "Can publish articles and edit any article")]

    def __str__(self):
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        self.body_html = self.render_body()
        saving = {"update_fields": update_fields}
        if refreshes(self, "hero_image", "hero_renditions", saving):
            self.hero_renditions = renditions.refresh(
                self.hero_image, self.hero_renditions, widths=WIDTHS
            )
            update_fields = saving["update_fields"]
        updating = self.pk is not None and not self._state.adding
        if update_fields is None and updating and not kwargs.get("force_insert"):
            # The comment counters belong to the comments app, which moves them under a lock:
            # the copy an editor loaded minutes ago must not write them back.
            unsaved = COMMENT_COUNTERS | self.get_deferred_fields()
            update_fields = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in unsaved
            ]
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        records = [self.hero_renditions, *(image.image_renditions for image in self.images.all())]
        result = super().delete(*args, **kwargs)
        for record in records:
            renditions.discard(self.hero_image.storage, record)
        return result

    @cached_property
    def hero_picture(self) -> Picture | None:
        """The hero's `<img>` attributes (src, srcset, width, height), read from the row."""
        if not self.hero_image:
            return None
        return renditions.picture(
            self.hero_image, self.hero_renditions, width=self.hero_width, height=self.hero_height
        )

    def render_body(self) -> str:
        figures = {}
        if self.pk:
            figures = {str(image.position): image.as_figure() for image in self.images.all()}
        return render_markdown(self.body, figures=figures)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def comments_close_at(self, *, close_after_days: int | None):
        """When the discussion closes by itself, or None if it stays open."""
        if not close_after_days:
            return None
        return self.published_at + timedelta(days=close_after_days)

    def accepts_comments(self, *, close_after_days: int | None) -> bool:
        if not self.comments_open or not self.is_published:
            return False
        closes = self.comments_close_at(close_after_days=close_after_days)
        return closes is None or timezone.now() < closes

    @property
    def state(self) -> str:
        """Draft, Scheduled or Published, as editors speak of it."""
        if self.status == self.Status.DRAFT:
            return "Draft"
        return "Published" if self.published_at <= timezone.now() else "Scheduled"


class ArticleImage(models.Model):
    """An image inside an article body, placed with ![description](image:<position>)."""

    article = models.ForeignKey(Article, related_name="images", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=1)
    image = models.ImageField(upload_to="articles/%Y/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Smaller copies made on upload."
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="unique_image_position"),
        ]

    def __str__(self):
        return f"Image {self.position} of {self.article}"

    def save(self, *args, **kwargs):
        if refreshes(self, "image", "image_renditions", kwargs):
            self.image_renditions = renditions.refresh(
                self.image, self.image_renditions, widths=WIDTHS
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        record = self.image_renditions
        result = super().delete(*args, **kwargs)
        renditions.discard(self.image.storage, record)
        return result

    def as_figure(self) -> Figure:
        picture = renditions.picture(
            self.image, self.image_renditions, width=self.width, height=self.height
        )
        return Figure(
            url=picture.src,
            srcset=picture.srcset,
            width=self.width,
            height=self.height,
            caption=self.caption,
            credit=self.credit,
        )


def refreshes(instance, image_field: str, record_field: str, save_kwargs: dict) -> bool:
    """Whether this save() stores the image field, so its renditions must follow it; when
    it names its update_fields, the record is added to them."""
    if image_field in instance.get_deferred_fields():
        return False
    fields = save_kwargs.get("update_fields")
    if fields is None:
        return True
    if image_field not in fields:
        return False
    save_kwargs["update_fields"] = {*fields, record_field}
    return True


class RelatedLink(models.Model):
    """A "Read more" link: another article of ours or a page elsewhere."""

    article = models.ForeignKey(Article, related_name="related_links", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.CASCADE,
        help_text="An article of ours, or leave empty and give a URL.",
    )
    url = models.URLField(blank=True, help_text="A page elsewhere.")
    title = models.CharField(
        max_length=200, blank=True, help_text="Defaults to the article's title."
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    def clean(self):
        if bool(self.target_id) == bool(self.url):
            raise ValidationError("Choose an article or give a URL, not both.")
        if self.url and not self.title:
            raise ValidationError({"title": "A link to another site needs a title."})

    @property
    def label(self) -> str:
        return self.title or (self.target.title if self.target_id else self.url)

    @property
    def href(self) -> str:
        return self.target.get_absolute_url() if self.target_id else self.url

    @property
    def is_external(self) -> bool:
        return not self.target_id
