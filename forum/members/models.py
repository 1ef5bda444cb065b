from django.contrib.auth.models import AbstractUser
from django.db import models


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

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username
