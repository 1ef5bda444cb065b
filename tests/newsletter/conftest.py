"""Fixtures for the newsletter's tests; factories live in tests/factories.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.newsletter.models import Newsletter
from site_config.settings import mailer_from_url
from tests import factories

from .smtp import Recorder, start_server


@pytest.fixture
def newsletter(db) -> Newsletter:
    """The default newsletter, made by the migrations."""
    return Newsletter.default()


@pytest.fixture
def article(subcategory, author):
    """The suite's article, published an hour ago: issues offer and prefill recent articles,
    and the factory's default date moves back an hour with every object the run has made."""
    return factories.create_article(
        title="Living with an M6",
        slug="living-with-an-m6",
        category=subcategory,
        author=author,
        published_at=timezone.now() - timedelta(hours=1),
    )


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (tests/newsletter/smtp.py), and the site's mail sent
    to it: the fixture is its `Recorder` (`.messages`, `.connections`, `.refuse`, `.port`)."""
    recorder = Recorder()
    controller = start_server(recorder)
    recorder.port = controller.port
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{controller.port}")}
    yield recorder
    controller.stop()
