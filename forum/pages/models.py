from django.db import models
from django.urls import reverse

from forum.core.html import render_markdown


class Page(models.Model):
    """A standing page of the magazine (About, Contact, Comment policy, Privacy).

    The set is fixed: each page has its own address and the footer links all four, so an
    editor changes what a page says, not which pages exist.
    """

    class Slug(models.TextChoices):
        ABOUT = "about", "About"
        CONTACT = "contact", "Contact"
        COMMENT_POLICY = "comment-policy", "Comment policy"
        PRIVACY = "privacy", "Privacy"

    slug = models.SlugField(
        "page",
        choices=Slug,
        unique=True,
        help_text="Which page this is; it is published at /<slug>/.",
    )
    title = models.CharField(max_length=120, help_text="The heading at the top of the page.")
    body = models.TextField(
        help_text="Markdown, as in articles: ## for a subheading, [words](https://…) for a "
        "link, <editors@example.com> for an email address."
    )
    body_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(
        "last updated", auto_now=True, help_text="Shown on the page; set on every save."
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(f"pages:{self.slug}")
