"""The reader's forms: which kinds of mail they want, and a guest's address to follow a
discussion by."""

from django import forms

from .models import Kind, Recipient

HELP = {
    Kind.REPLIES: "When someone answers one of your comments.",
    Kind.APPROVALS: "When a moderator publishes a comment of yours that had been held.",
    Kind.FOLLOWING: "At most one email an hour for each discussion you follow, with its new "
    "comments.",
}


class SettingsForm(forms.ModelForm):
    """One switch per kind of mail, labelled as the mail's footer names it."""

    class Meta:
        model = Recipient
        fields = [kind.value for kind in Kind]
        help_texts = {kind.value: text for kind, text in HELP.items()}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class FollowForm(forms.Form):
    """A guest asks to follow a discussion: the link that starts it is mailed to the address,
    so nobody can sign someone else up. `homepage` is the robot trap, left empty by people."""

    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={
            "required": "Please give the address to send the new comments to.",
            "invalid": "That doesn’t look like an email address. Please check it.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    homepage = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "follow")
        super().__init__(*args, **kwargs)

    @property
    def is_robot(self) -> bool:
        return bool(self.is_bound and self.data.get(self.add_prefix("homepage"), "").strip())
