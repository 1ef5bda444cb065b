"""Fixtures for the comment tests: the site settings and a client per role."""

import pytest
from django.test import Client

from forum.site_settings.models import SiteSettings
from tests import factories


@pytest.fixture
def configure(db):
    """Change the site settings for one test, e.g. `configure(comment_depth=2)`."""

    def change(**fields):
        settings = SiteSettings.current()
        for name, value in fields.items():
            setattr(settings, name, value)
        settings.save()
        return settings

    return change


@pytest.fixture
def member_client(reader):
    client = Client()
    client.force_login(reader)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def own_article(author_user, subcategory):
    """An article written by `author_user`, through their Author profile."""
    return factories.create_article(
        title="Notes from the darkroom", category=subcategory, author=author_user.author_profile
    )


@pytest.fixture
def moderator(db):
    return factories.create_staff(email="moderator@example.com", groups=("Moderators",))


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client
