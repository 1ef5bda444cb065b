"""Make sure the demo site has an admin account, and print how to log in to it.

The password is generated once and kept in var/demo_admin.txt, so `make run` can be run
again and again without resetting it. Never used in production.
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

EMAIL = "admin@frameandgrain.test"


class Command(BaseCommand):
    help = "Create the demo admin account if it is missing and print its credentials."

    def handle(self, *args, **options):
        credentials = settings.VAR_DIR / "demo_admin.txt"
        if credentials.exists():
            password = credentials.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(password + "\n")
            credentials.chmod(0o600)
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username="admin", defaults={"email": EMAIL, "display_name": "Demo admin"}
        )
        user.email = EMAIL
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=EMAIL, defaults={"verified": True, "primary": True}
        )
        self.stdout.write(
            f"Demo admin: log in at /admin/ or /accounts/login/ as {EMAIL} "
            f"with password {password} (kept in {credentials})"
        )
