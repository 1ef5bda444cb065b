from django.db import models

from forum.articles.models import Article, Author, Category, Tag
from forum.comments.models import Comment


class ImportedItemQuerySet(models.QuerySet):
    def latest_first(self):
        # Two sites imported into one magazine may share ids and slugs: the newest import wins.
        return self.order_by("-imported_at", "-pk")


class ImportedItem(models.Model):
    """What a WordPress export's author, category, tag, post or comment became here.

    Re-running an import finds its earlier work by (`source`, `kind`, `key`), so nothing is
    created twice, and `digest` tells whether the item changed in WordPress since: an item that
    did not is left as it is, with whatever editors and moderators did to it here. A post or
    comment deleted here keeps its row, pointing nowhere: a re-run leaves it out rather than
    bring it back. Old WordPress addresses are redirected through `key` (`/?p=ID`) and `slug`."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"
        POST = "post", "Post"
        COMMENT = "comment", "Comment"

    source = models.CharField(
        max_length=200, help_text="The WordPress site the export came from (its address)."
    )
    kind = models.CharField(max_length=10, choices=Kind)
    key = models.CharField(
        max_length=200, help_text="The WordPress id (an author's login, for an author)."
    )
    slug = models.CharField(
        max_length=255,
        blank=True,
        help_text="The item's part of its old address: a post's name, a category's path, a tag's "
        "slug, an author's login.",
    )
    digest = models.CharField(
        max_length=32, editable=False, help_text="Of the item as WordPress exported it."
    )
    author = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL, related_name="+")
    category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL, related_name="+")
    tag = models.ForeignKey(Tag, null=True, on_delete=models.SET_NULL, related_name="+")
    article = models.ForeignKey(Article, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.ForeignKey(Comment, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now=True)

    objects = ImportedItemQuerySet.as_manager()

    class Meta:
        verbose_name = "imported WordPress item"
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="imported_item_key"),
        ]
        indexes = [
            models.Index(fields=["kind", "key"], name="imported_item_old_id"),
            models.Index(fields=["kind", "slug"], name="imported_item_old_slug"),
        ]

    def __str__(self):
        return f"WordPress {self.kind} {self.key} from {self.source}"

    # The field that holds what an item of each kind became here.
    TARGETS = {
        Kind.AUTHOR: "author",
        Kind.CATEGORY: "category",
        Kind.TAG: "tag",
        Kind.POST: "article",
        Kind.COMMENT: "comment",
    }

    @property
    def target(self):
        """What the item became here."""
        return getattr(self, self.TARGETS[self.kind])
