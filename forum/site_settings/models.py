from datetime import timedelta

from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

CACHE_KEY = "site-settings:v1"


class SiteSettings(models.Model):
    """The editorial settings of the whole site: one row, edited in the admin, cached.

    Code reads them through `SiteSettings.current()`, which costs one cache lookup.
    """

    comment_depth = models.PositiveSmallIntegerField(
        "reply depth limit",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How deep replies may nest; 1 allows no replies. Comments at the limit "
        "offer no Reply link.",
    )
    comment_max_length = models.PositiveIntegerField(
        "longest comment",
        default=5000,
        validators=[MinValueValidator(100), MaxValueValidator(50000)],
        help_text="In characters.",
    )
    edit_window_minutes = models.PositiveSmallIntegerField(
        "edit window",
        default=10,
        validators=[MaxValueValidator(1440)],
        help_text="Minutes after posting during which commenters may edit their comment. "
        "0 turns editing off.",
    )
    close_comments_after_days = models.PositiveSmallIntegerField(
        "close comments after",
        null=True,
        blank=True,
        help_text="Days after an article is published when its comments close by themselves. "
        "Leave empty to keep them open.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(CACHE_KEY)

    def delete(self, *args, **kwargs):
        cache.delete(CACHE_KEY)
        return super().delete(*args, **kwargs)

    @classmethod
    def current(cls) -> "SiteSettings":
        settings = cache.get(CACHE_KEY)
        if settings is None:
            settings, _ = cls.objects.get_or_create(pk=1)
            cache.set(CACHE_KEY, settings, 300)
        return settings

    @property
    def edit_window(self) -> timedelta:
        return timedelta(minutes=self.edit_window_minutes)
