"""allauth's account forms as the magazine words them (ACCOUNT_FORMS in settings).

Kept apart from `forms.py`: allauth's forms import our `SignupForm` (ACCOUNT_SIGNUP_FORM_CLASS)
as they load, so a module that imports them cannot be the one they import.
"""

from allauth.account import forms as allauth_forms


class MagazineWording:
    """Put before an allauth form: labels in sentence case with no colon after them (Django
    adds one through `label_suffix`), and no placeholder repeating a label that is already
    visible. allauth adds several fields in its own `__init__`, so they are renamed after it."""

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = self.labels.get(name, field.label)
            field.widget.attrs.pop("placeholder", None)


class LoginForm(MagazineWording, allauth_forms.LoginForm):
    labels = {"login": "Email", "remember": "Keep me signed in"}


class SignupForm(MagazineWording, allauth_forms.SignupForm):
    labels = {"password2": "Password again"}


class ResetPasswordForm(MagazineWording, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(MagazineWording, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "New password again"}


class ChangePasswordForm(MagazineWording, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "New password again",
    }


class SetPasswordForm(MagazineWording, allauth_forms.SetPasswordForm):
    labels = {"password2": "Password again"}


class AddEmailForm(MagazineWording, allauth_forms.AddEmailForm):
    labels = {"email": "New email address"}


class ReauthenticateForm(MagazineWording, allauth_forms.ReauthenticateForm):
    pass
