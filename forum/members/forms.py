import io
import uuid

from django import forms
from django.core.files.base import ContentFile
from django.db.models import F
from PIL import Image, ImageOps

from forum.articles.models import Article
from forum.core.words import has_letter_or_digit

from .models import User

AVATAR_SIZE = 160
AVATAR_MAX_BYTES = 4 * 1024 * 1024


class ProfileForm(forms.ModelForm):
    """What members show beside their comments: a name and, if they like, a picture."""

    remove_avatar = forms.BooleanField(label="Remove my picture", required=False)

    class Meta:
        model = User
        fields = ["display_name", "avatar"]
        labels = {"display_name": "Name shown with your comments", "avatar": "Picture"}
        help_texts = {
            "display_name": "Leave empty to use your account name.",
            "avatar": "JPEG, PNG or WebP up to 4 MB; we crop it to a square. "
            "Without one, your initials are shown.",
        }
        widgets = {"avatar": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.avatar:
            del self.fields["remove_avatar"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"]
        if name and not has_letter_or_digit(name):
            # Invisible characters alone would show as no name at all beside the comments.
            raise forms.ValidationError(
                "Please give a name with at least one letter or number.", code="invalid"
            )
        return name

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload or upload == self.instance.avatar:
            return upload
        if upload.size > AVATAR_MAX_BYTES:
            raise forms.ValidationError(
                "That picture is larger than 4 MB. Please choose a smaller one."
            )
        return square_avatar(upload)

    def save(self, commit=True):
        if self.cleaned_data.get("remove_avatar") and "avatar" not in self.changed_data:
            self.instance.avatar.delete(save=False)
            self.instance.avatar = ""
        user = super().save(commit)
        if commit and self.has_changed():
            # The cached comment threads show the old name or picture: move them on.
            Article.objects.filter(comments__user=user).update(
                comment_version=F("comment_version") + 1
            )
        return user


def square_avatar(upload) -> ContentFile:
    """Crop to the centre square and scale down, so no full-size photo is ever served."""
    try:
        image = Image.open(upload)
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(
            "We could not read that picture. Please try a JPEG or PNG."
        ) from error
    image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
