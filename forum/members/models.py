from django.contrib.auth.models import AbstractUser
from django.db import models

# What the comment threads show of a member: a change to any of these must reach the cached
# threads (see `User.save`).
SHOWN_WITH_COMMENTS = ("display_name", "first_name", "last_name", "username", "avatar")


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

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.get_full_name() or self.email or self.username

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        user = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        user._shown = user._shown_with_comments()
        return user

    def save(self, *args, **kwargs):
        """Save, and if the name or picture shown beside the member's comments changed, move
        on the cached threads that show them. Every path that renames a member (the profile
        page, the admin, allauth, a shell) saves the user, so this is the one place that sees
        them all; the comments app owns the versions it moves."""
        super().save(*args, **kwargs)
        shown = self._shown_with_comments()
        before = getattr(self, "_shown", None)
        if before is not None and any(
            before.get(name, value) != value for name, value in shown.items()
        ):
            from forum.comments.models import Comment

            Comment.objects.filter(user=self).move_versions()
        self._shown = shown

    def _shown_with_comments(self) -> dict[str, str]:
        # From the instance's own values, so a deferred field is never loaded just for this.
        return {
            name: str(self.__dict__[name]) for name in SHOWN_WITH_COMMENTS if name in self.__dict__
        }

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username
