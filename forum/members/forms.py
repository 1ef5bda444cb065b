from django.contrib.admin.forms import AdminAuthenticationForm


class AdminEmailLoginForm(AdminAuthenticationForm):
    """The admin's log-in asks for the email address, as the rest of the site does.

    allauth's authentication backend accepts the address in the `username` field.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget.attrs.update(autocomplete="email", inputmode="email")
