import time
import uuid
from datetime import datetime, timedelta

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format

from forum.core.words import has_letter_or_digit

from .models import REPLY_GONE, Ban, Report, TrustedCommenter, normalize_email

TOKEN_SALT = "comments.form"  # noqa: S105 (a signing namespace, not a secret)
# How far back a renewed form is dated when its own time is long past (an expired form): the
# text is already written, so the form timer need not hold the reader up again.
RENEWED_FORM_HEAD_START = 60
MARKDOWN_HINT = (
    "Plain text. *Emphasis*, [links](https://…), > quotes, `code` and lists work; "
    "web addresses become links."
)


def new_token(article_id: int, *, issued: float | None = None) -> str:
    """A signed, single-use key for one showing of the form: a second click posts nothing.
    It also says when the form was shown, for the moderation rules' form timer."""
    issued = time.time() if issued is None else issued
    return signing.dumps({"a": article_id, "k": uuid.uuid4().hex, "t": issued}, salt=TOKEN_SALT)


def read_token(token: str, *, article_id: int) -> uuid.UUID | None:
    return _token_data(token, article_id=article_id)[0]


def _token_data(token: str, *, article_id: int) -> tuple[uuid.UUID | None, float | None]:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        if data["a"] != article_id:
            return None, None
        return uuid.UUID(data["k"]), float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, None


class CommentForm(forms.Form):
    """The comment box. Members see only the text; guests also give a name and an email.

    The two notification boxes start unticked, and "Remember me" does not keep them: each is
    asked about this comment or this discussion alone."""

    body = forms.CharField(
        label="Comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Please write your comment."},
    )
    name = forms.CharField(
        label="Name",
        max_length=80,
        error_messages={"required": "Please give a name to show with your comment."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Never shown to other readers.",
        error_messages={
            "required": "Please give your email address; it is never shown.",
            "invalid": "That doesn’t look like an email address. Please check it.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.URLField(
        label="Website",
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text="Optional. Your name will link to it.",
        error_messages={"invalid": "Please enter a full web address, like https://example.com."},
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remember = forms.BooleanField(label="Remember me in this browser", required=False)
    notify = forms.BooleanField(label="Notify me of replies by email", required=False)
    follow = forms.BooleanField(label="Notify me of new comments on this article", required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, article, member: bool, max_length: int, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.article = article
        self.max_length = max_length
        self.issued: float | None = None  # when the form was shown, from a sound token
        self.fields[
            "body"
        ].help_text = (
            f"{MARKDOWN_HINT} Up to {number_format(max_length, force_grouping=True)} characters."
        )
        if member:
            # A member's replies are mailed as their account settings say (forum.notifications).
            for name in ("name", "email", "website", "remember", "notify"):
                del self.fields[name]
        self.fields["token"].error_messages["required"] = "This form was incomplete."
        if not self.is_bound:
            self.initial.setdefault("token", new_token(article.pk))

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Please write your comment.", code="required")
        if len(body) > self.max_length:
            raise forms.ValidationError(
                f"Comments can be up to {number_format(self.max_length, force_grouping=True)} "
                f"characters; yours has {number_format(len(body), force_grouping=True)}. "
                "Please shorten it.",
                code="max_length",
            )
        return body

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(self.fields["name"].error_messages["required"])
        if not has_letter_or_digit(name):
            # Invisible characters alone would show as no name at all.
            raise forms.ValidationError(
                "Please give a name with at least one letter or number.", code="invalid"
            )
        return name

    def clean_token(self):
        key, self.issued = _token_data(self.cleaned_data["token"], article_id=self.article.pk)
        if key is None:
            raise forms.ValidationError("This form was altered or belongs to another page.")
        return key

    def renew_token(self) -> None:
        """Give the re-rendered form a fresh key, so the reader can simply post again.

        The new key is never dated before the one it replaces, or sending a broken key would
        buy a form the timer lets through at once. A key whose time is unknown (it was broken
        or missing) is dated now; an expired one a minute back, since its text is written."""
        now = time.time()
        issued = now if self.issued is None else max(self.issued, now - RENEWED_FORM_HEAD_START)
        data = self.data.copy()
        data["token"] = new_token(self.article.pk, issued=issued)
        self.data = data

    def clean(self):
        cleaned = super().clean()
        if "token" in self.errors:
            # A broken hidden field cannot be shown beside itself: say so above the form.
            del self.errors["token"]
            self.add_error(
                None,
                "Sorry, this form had expired or was incomplete. Your text is kept below; "
                "please post it again.",
            )
            self.renew_token()
        if "parent" in self.errors:
            # A hidden field's error would not be shown at all: say so above the form.
            del self.errors["parent"]
            self.add_error(None, REPLY_GONE)
        return cleaned


class EditCommentForm(forms.Form):
    body = CommentForm.base_fields["body"]

    def __init__(self, *args, max_length: int, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.fields[
            "body"
        ].help_text = (
            f"{MARKDOWN_HINT} Up to {number_format(max_length, force_grouping=True)} characters."
        )

    clean_body = CommentForm.clean_body


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=Report.Reason,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what is wrong with the comment."},
    )
    note = forms.CharField(
        label="Anything a moderator should know?",
        required=False,
        max_length=500,
        help_text="Optional. Up to 500 characters.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# The moderation desk (the admin)


# The ban forms' preset lengths; a month is thirty days.
BAN_PRESETS = {"day": timedelta(days=1), "week": timedelta(weeks=1), "month": timedelta(days=30)}
FOR_GOOD, UNTIL = "for-good", "until"


class BanLengthForm(forms.Form):
    """For how long a ban lasts: a preset length, for good, or until the end given in the form's
    own end field (`end_field`). `ban_ends` is the moment it lifts, None for good.

    A form sent without a choice (an older page) is read by its end field: a given end, or for
    good when it is empty."""

    end_field = "ends"
    until_label = "Until the day below"

    length = forms.ChoiceField(
        label="For how long",
        required=False,
        widget=forms.RadioSelect(attrs={"class": "ban-length"}),
        initial=FOR_GOOD,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["length"].choices = [
            ("day", "A day"),
            ("week", "A week"),
            ("month", "A month"),
            (FOR_GOOD, "For good"),
            (UNTIL, self.until_label),
        ]

    def clean(self):
        data = super().clean()
        length = data.get("length") or (UNTIL if data.get(self.end_field) else FOR_GOOD)
        end = data.get(self.end_field)
        if length == UNTIL:
            if not end and self.end_field not in self.errors:
                self.add_error(self.end_field, "Give the end, or choose a length above.")
        elif end:
            self.add_error(
                "length",
                f"You gave an end as well: choose “{self.until_label}” to use it, or clear it.",
            )
        self.chosen_length = length
        return data

    @property
    def ban_ends(self):
        if self.chosen_length in BAN_PRESETS:
            return timezone.now() + BAN_PRESETS[self.chosen_length]
        if self.chosen_length == UNTIL:
            return self.end_as_moment()
        return None

    def end_as_moment(self):
        return self.cleaned_data[self.end_field]


class BanCommenterForm(BanLengthForm):
    """What the "Ban the commenter" action asks before it bans."""

    email = forms.BooleanField(label="Ban their email", required=False, initial=True)
    account = forms.BooleanField(
        label="Ban their account",
        required=False,
        initial=True,
        help_text="Only for members: guests have no account.",
    )
    network = forms.BooleanField(
        label="Ban their network (the /24 or /48 their address belongs to)",
        required=False,
        help_text="Stops everyone commenting from that network: for spammers, not for a "
        "reader on a shared office or mobile connection.",
    )
    ends = forms.DateField(
        label="Ends",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="With “Until the day below”: the ban lifts at the start of this day.",
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="For moderators only; it goes into the audit log.",
    )
    remove_comments = forms.BooleanField(label="Also remove all of their comments", required=False)

    class Media:
        js = ["admin-extra/ban-length.js"]

    def clean_ends(self):
        ends = self.cleaned_data["ends"]
        if ends and ends <= timezone.localdate():
            raise ValidationError("Choose a day after today, or leave this empty.")
        return ends

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("account") or data.get("network")):
            raise ValidationError("Choose what to ban: their email, account or network.")
        return data

    def end_as_moment(self):
        return timezone.make_aware(datetime.combine(self.cleaned_data["ends"], datetime.min.time()))

    @property
    def expires(self):
        """When the ban lifts: None for a ban without end."""
        return self.ban_ends


class BanAddForm(BanLengthForm, forms.ModelForm):
    end_field = "expires"
    until_label = "Until the end below"

    remove_comments = forms.BooleanField(
        label="Also remove all of their comments",
        required=False,
        help_text="Every comment with this email or account, or posted from this network.",
    )

    class Meta:
        model = Ban
        fields = ["email", "user", "ip_range", "expires", "reason"]
        help_texts = {"expires": "With “Until the end below”: when the ban lifts."}

    class Media:
        js = ["admin-extra/ban-length.js"]

    def clean(self):
        data = super().clean()
        # The model's field is what is saved: the moment the chosen length gives.
        if not self.has_error("length") and not self.has_error("expires"):
            data["expires"] = self.ban_ends
        return data


class TrustedCommenterForm(forms.ModelForm):
    class Meta:
        model = TrustedCommenter
        fields = ["email", "user"]
        help_texts = {
            "email": "For a guest: the email they comment with.",
            "user": "For a member: their account.",
        }

    def clean(self):
        data = super().clean()
        if bool(data.get("email")) == bool(data.get("user")):
            raise ValidationError("Give either an email (for a guest) or an account (a member).")
        data["email"] = normalize_email(data.get("email") or "")
        return data
