from django import forms

from .models import Newsletter

# Every sign-up form's fields are named "newsletter-…": an article page also has the comment
# form's Name and Email, and the two must not be taken for each other.
PREFIX = "newsletter"
# The robot trap's field, as on the comment form: people never see it, robots fill it in.
HONEYPOT = f"{PREFIX}-homepage"

EMAIL_ERRORS = {
    "required": "Please give the email address the newsletter should go to.",
    "invalid": "That doesn’t look like an email address. Please check it.",
}


def email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label="Email",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


class NewsletterChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, newsletter):
        return newsletter.name


class SubscribeForm(forms.Form):
    """The sign-up form of the footer, the article's panel and /newsletter/. It offers a choice
    of newsletters only when there is more than one to choose from (`choose=True`)."""

    email = email_field()
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=100,
        help_text="Optional: how the emails greet you.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    newsletters = NewsletterChoiceField(
        label="Newsletters",
        queryset=Newsletter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choose: bool = False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        offered = Newsletter.objects.public()
        if choose and len(offered) > 1:
            self.fields["newsletters"].queryset = offered
            self.fields["newsletters"].error_messages["required"] = (
                "Please tick at least one newsletter."
            )
            self.fields["newsletters"].required = True
            self.initial.setdefault("newsletters", [offered[0].pk])
        else:
            del self.fields["newsletters"]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def chosen(self) -> list[Newsletter] | None:
        """The newsletters asked for; None means the default one."""
        chosen = self.cleaned_data.get("newsletters")
        return list(chosen) if chosen else None


class LinkRequestForm(forms.Form):
    """Asks for the preference page's link by email."""

    email = email_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PreferencesForm(forms.Form):
    """The preference page: one box per newsletter offered to readers."""

    newsletters = NewsletterChoiceField(
        label="Send me",
        queryset=Newsletter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = Newsletter.objects.public()
