from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractUser
from django.core.validators import URLValidator
from django.db import models, transaction
from django.urls import reverse

# What the comment threads show of a member: a change to any of these must reach the cached
# threads (see `User.save`). The last three decide whether the name links to the profile.
SHOWN_WITH_COMMENTS = (
    "display_name",
    "first_name",
    "last_name",
    "username",
    "avatar",
    "public_profile",
    "is_active",
)
BIO_MAX_LENGTH = 300
WEB_SCHEMES = ("http", "https")


class User(AbstractUser):
    """A member of the site: reader, author, editor or moderator.

    Members sign in with their email address (django-allauth); `username` is kept for the
    admin and filled in by allauth.
    """

    display_name = models.CharField(
        max_length=80, blank=True, help_text="Shown beside the member's comments."
    )
    avatar = models.ImageField(
        upload_to="avatars/",
        blank=True,
        help_text="A square picture shown beside the member's comments; "
        "without one, their initials are shown.",
    )
    bio = models.TextField(
        max_length=BIO_MAX_LENGTH,
        blank=True,
        help_text="A few words on the member's public profile page: plain text, no HTML.",
    )
    website = models.URLField(
        max_length=300,
        blank=True,
        validators=[URLValidator(schemes=WEB_SCHEMES)],
        help_text="Linked from the member's public profile page.",
    )
    public_profile = models.BooleanField(
        default=False,
        help_text="The member shows a profile page (name, picture, bio, website and published "
        "comments) to everyone, and their name beside a comment links to it.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.get_full_name() or self.email or self.username

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        user = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        user._shown = user._shown_with_comments()
        return user

    def save(self, *args, update_fields=None, **kwargs):
        """Save, and if the name or picture shown beside the member's comments changed, move
        on the cached threads that show them, and delete a replaced picture's file once the
        change commits (else it stays public at its old address). Every path that renames a
        member or changes their picture (the profile page, the admin, allauth, a shell) saves
        the user, so this is the one place that sees them all; the comments app owns the
        versions it moves."""
        super().save(*args, update_fields=update_fields, **kwargs)
        saved = self._shown_with_comments()
        if update_fields is not None:
            saved = {name: value for name, value in saved.items() if name in update_fields}
        before = getattr(self, "_shown", None)
        if before is not None:  # a member loaded from the database, not a new one
            changed = {name for name, value in saved.items() if before.get(name) != value}
            if changed:
                from forum.comments.models import Comment

                Comment.objects.filter(user=self).move_versions()
            if "avatar" in changed and (old := before.get("avatar")):
                storage = self.avatar.storage
                transaction.on_commit(lambda: storage.delete(old))
        self._shown = {**(before or {}), **saved}

    def refresh_from_db(self, *args, fields=None, **kwargs):
        super().refresh_from_db(*args, fields=fields, **kwargs)
        fresh = self._shown_with_comments()
        if fields is not None:
            fresh = {name: value for name, value in fresh.items() if name in fields}
        self._shown = {**getattr(self, "_shown", {}), **fresh}

    def _shown_with_comments(self) -> dict[str, str]:
        # From the instance's own values, so a deferred field is never loaded just for this.
        return {
            name: str(self.__dict__[name]) for name in SHOWN_WITH_COMMENTS if name in self.__dict__
        }

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def shows_profile(self) -> bool:
        """Whether the public profile page exists for everyone to see: only by the member's
        choice, and never for a closed account."""
        return self.public_profile and self.is_active

    @property
    def profile_url(self) -> str:
        # Not get_absolute_url: the admin would offer "View on site" for every member, and the
        # page answers 404 unless the member opted in.
        return reverse("public_profiles:detail", kwargs={"username": self.username})

    @property
    def website_link(self) -> str:
        """The website, only if it is a web address (http or https): the form and the model
        refuse anything else, and a row changed some other way is not linked either."""
        return self.website if urlsplit(self.website).scheme.lower() in WEB_SCHEMES else ""

    @property
    def website_label(self) -> str:
        """The website as the page shows it: the host the link really goes to, and its path
        ("https://a.example@b.example/" reads "b.example")."""
        parts = urlsplit(self.website_link)
        return f"{parts.hostname or ''}{parts.path}".rstrip("/")
