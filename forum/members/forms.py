import io
import re
import uuid
import warnings

from django import forms
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from forum.core.words import has_letter_or_digit

from .models import BIO_MAX_LENGTH, User

AVATAR_SIZE = 160
AVATAR_MAX_BYTES = 4 * 1024 * 1024
# Opening a picture takes about 4 bytes of memory a pixel, whatever the size of its file.
AVATAR_MAX_PIXELS = 40_000_000


class AvatarField(forms.ImageField):
    """An uploaded picture, refused by its file size and by its size in pixels, read from its
    header before anything decodes it: a 20 kB PNG can be 13,000 x 13,000 pixels (a
    "decompression bomb") and take a gigabyte and seconds to open."""

    def to_python(self, data):
        if data in self.empty_values:
            return super().to_python(data)
        if data.size > AVATAR_MAX_BYTES:
            raise forms.ValidationError(
                "That picture is larger than 4 MB. Please choose a smaller one.", code="file_size"
            )
        try:
            with warnings.catch_warnings():
                # Pillow warns only, below twice its own limit (89 megapixels); ours is lower.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(data) as image:  # reads the header, decodes nothing
                    width, height = image.size
        except Image.DecompressionBombError:
            width = height = AVATAR_MAX_PIXELS  # beyond Pillow's own limit: too large too
        except Exception:  # noqa: BLE001 -- not a picture; ImageField below says so
            width = height = 0
        finally:
            data.seek(0)
        if width * height > AVATAR_MAX_PIXELS:
            raise forms.ValidationError(
                "That picture is too large: %(width)s × %(height)s pixels. Please choose one "
                "of at most 40 megapixels.",
                code="pixels",
                params={"width": width, "height": height},
            )
        return super().to_python(data)


DISPLAY_NAME_LABEL = "Name shown with your comments"


def check_display_name(name: str) -> str:
    """The one rule for a name shown beside comments, on sign-up and on the profile page."""
    if name and not has_letter_or_digit(name):
        # Invisible characters alone would show as no name at all beside the comments.
        raise forms.ValidationError(
            "Please give a name with at least one letter or number.", code="invalid"
        )
    return name


class SignupForm(forms.Form):
    """What allauth's sign-up form asks besides the email address and password
    (ACCOUNT_SIGNUP_FORM_CLASS): the name shown beside the member's comments, so that nothing
    made from their email address is ever shown to others."""

    display_name = forms.CharField(
        label=DISPLAY_NAME_LABEL,
        max_length=User._meta.get_field("display_name").max_length,
        help_text="Your email address is never shown to other readers.",
    )

    def clean_display_name(self):
        return check_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        """Nothing more to do: the adapter's `save_user` has stored the name, before the
        username is made from it."""


class DisplayNameForm(forms.ModelForm):
    """The one question for a member who has just confirmed their address without a name to
    show beside their comments."""

    class Meta:
        model = User
        fields = ["display_name"]
        labels = {"display_name": "Display name"}
        help_texts = {
            "display_name": "The name shown beside your comments, such as your own name or one "
            "you are known by. Your email address is never shown to other readers."
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True

    def clean_display_name(self):
        return check_display_name(self.cleaned_data["display_name"])


class ProfileForm(forms.ModelForm):
    """What members show beside their comments (a name and, if they like, a picture), and the
    public profile page they may choose to have."""

    remove_avatar = forms.BooleanField(label="Remove my picture", required=False)
    # Declared for the https assumed when a member types "example.com", as the comment form's
    # Website field does; the model's own validator still refuses other schemes.
    website = forms.URLField(
        label="Website",
        required=False,
        max_length=User._meta.get_field("website").max_length,
        assume_scheme="https",
        help_text="Optional. Linked from your profile page.",
        error_messages={"invalid": "Please enter a full web address, like https://example.com."},
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )

    class Meta:
        model = User
        fields = ["display_name", "avatar", "public_profile", "bio", "website"]
        labels = {
            "display_name": DISPLAY_NAME_LABEL,
            "avatar": "Picture",
            "public_profile": "Show my profile page to everyone",
            "bio": "About you",
        }
        help_texts = {
            "display_name": "Leave empty to use your account name.",
            "avatar": "JPEG, PNG or WebP up to 4 MB and 40 megapixels; we crop it to a square. "
            "Without one, your initials are shown.",
            "public_profile": "Your page shows your name, picture, the words below, your website "
            "and your published comments, and your name beside a comment links to it. Your "
            "email address is never shown. Untick to take the page down.",
            "bio": f"Optional. A few words for your profile page, up to {BIO_MAX_LENGTH} "
            "characters of plain text; line breaks are kept.",
        }
        widgets = {
            "avatar": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            "bio": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"avatar": AvatarField}
        error_messages = {
            "bio": {
                "max_length": "Please keep it to %(limit_value)d characters; this has "
                "%(show_value)d."
            },
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.instance.avatar:
            del self.fields["remove_avatar"]

    def clean_display_name(self):
        return check_display_name(self.cleaned_data["display_name"])

    def clean_bio(self):
        # Line breaks are kept on the page, but not a tall column of empty lines.
        lines = [line.rstrip() for line in self.cleaned_data["bio"].splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload or upload == self.instance.avatar:
            return upload
        return square_avatar(upload)

    def save(self, commit=True):
        if self.cleaned_data.get("remove_avatar") and "avatar" not in self.changed_data:
            self.instance.avatar = ""
        return super().save(commit)

    def shown_with_comments(self):
        """The fields of the first part of the page: what readers see beside a comment."""
        return [field for field in self.visible_fields() if field.name not in PROFILE_PAGE]

    def profile_page(self):
        """The fields of the public profile page, set apart under their own heading."""
        return [field for field in self.visible_fields() if field.name in PROFILE_PAGE]


PROFILE_PAGE = ("public_profile", "bio", "website")


def square_avatar(upload) -> ContentFile:
    """Crop to the centre square and scale down, so no full-size photo is ever served.

    `upload` has passed `AvatarField`, so it is known to be of a size we can afford to open."""
    try:
        image = Image.open(upload)
        # A JPEG decodes straight to an eighth of its size or so, if that still covers the square.
        image.draft("RGB", (AVATAR_SIZE, AVATAR_SIZE))
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, Image.DecompressionBombError) as error:
        raise forms.ValidationError(
            "We could not read that picture. Please try a JPEG or PNG."
        ) from error
    image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
