"""allauth's two-factor forms as the magazine words them (MFA_FORMS in settings)."""

from allauth.mfa.base import forms as base_forms
from allauth.mfa.totp import forms as totp_forms

from .account_forms import MagazineWording

CODE_HELP = "The six digits your authenticator app shows now, or one of your recovery codes."


class AuthenticateForm(MagazineWording, base_forms.AuthenticateForm):
    labels = {"code": "Code"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = CODE_HELP


class ReauthenticateForm(MagazineWording, base_forms.ReauthenticateForm):
    labels = {"code": "Code"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = CODE_HELP


class ActivateTOTPForm(MagazineWording, totp_forms.ActivateTOTPForm):
    labels = {"code": "Code from your app"}
