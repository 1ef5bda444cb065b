"""Fixtures for the notification tests: readers who may be mailed, and a real SMTP server."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from forum.notifications.models import Recipient
from site_config.settings import mailer_from_url
from tests import factories
from tests.newsletter.smtp import Recorder, start_server


def verified_member(email: str, **fields):
    """A member whose address allauth verified: replies are mailed to it by default."""
    user = factories.create_user(email=email, display_name=email.split("@")[0].title(), **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def confirmed_guest(email: str) -> Recipient:
    """A guest's address that was confirmed through the mailed link."""
    return Recipient.objects.create(email=email, confirmed=timezone.now())


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd, tests/newsletter/smtp.py) that the site's
    mail goes to: the fixture is its `Recorder` (`.messages`, each with its raw `body`)."""
    recorder = Recorder()
    controller = start_server(recorder)
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{controller.port}")}
    yield recorder
    controller.stop()
