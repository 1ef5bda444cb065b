from django import forms

from .models import PrivacyRequest

# The robot trap's field, as on the comment and newsletter forms: people never see it.
HONEYPOT = "homepage"

COMMENT_CHOICES = [
    (
        PrivacyRequest.Comments.ANONYMISE,
        "Anonymise my comments: they stay where they are, signed “{former}”, with nothing "
        "that says they were mine",
    ),
    (
        PrivacyRequest.Comments.REMOVE,
        "Remove my comments: each is deleted; where others replied to it, a note that a "
        "comment was deleted keeps their replies in place",
    ),
]


class GuestLinkForm(forms.Form):
    """A guest asks for a link to their data, mailed to the address."""

    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={
            "required": "Please give the email address you commented or subscribed with.",
            "invalid": "That doesn’t look like an email address. Please check it.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class EraseForm(forms.Form):
    """The last step before an erasure: what happens to the comments, and a confirmation."""

    comments = forms.ChoiceField(
        label="Your comments",
        widget=forms.RadioSelect,
        initial=PrivacyRequest.Comments.ANONYMISE,
        error_messages={"required": "Please choose what happens to your comments."},
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Please tick the box to confirm: this cannot be undone."},
    )

    def __init__(self, *args, former: str = "Former member", **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = [
            (value, label.format(former=former)) for value, label in COMMENT_CHOICES
        ]


class StaffLookupForm(forms.Form):
    """The admin's privacy requests: whose data."""

    email = forms.EmailField(label="Email address", max_length=254)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StaffEraseForm(EraseForm):
    """Staff erase for an address: the same choice, in the third person."""

    email = forms.EmailField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].label = "Their comments"
        self.fields["comments"].choices = [
            (PrivacyRequest.Comments.ANONYMISE, "Anonymise: they stay, with nothing of the writer"),
            (
                PrivacyRequest.Comments.REMOVE,
                "Remove: deleted, a placeholder where others replied",
            ),
        ]
        self.fields[
            "confirm"
        ].label = "I have checked this request and understand it cannot be undone"
