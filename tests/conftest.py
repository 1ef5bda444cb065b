"""Fixtures shared by every test: media in a temporary folder, factories as fixtures."""

import pytest
from django.core.cache import cache
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend

from tests import factories


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Uploads go to a temporary folder; plain static storage (no collectstatic); empty cache.

    Passwords use a cheap hasher: the real one costs about 0.3 s for each account created.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mailoutbox(db, mailoutbox):
    """pytest-django's outbox, taken after the database is set up.

    Setting up the database gives django.core.mail a fresh `outbox` list; asking for the
    outbox first would hand the test the list that was just replaced.
    """
    return mailoutbox


@pytest.fixture
def task_queue():
    """Tasks are queued for a worker instead of run at once: the queue, to look into."""
    backend = DummyBackend(alias="default", params={})
    previous = task_backends["default"]
    task_backends["default"] = backend
    yield backend.results
    task_backends["default"] = previous


@pytest.fixture
def category(db):
    return factories.create_category(name="Cameras", slug="cameras")


@pytest.fixture
def subcategory(category):
    return factories.create_category(name="Leica", slug="leica", parent=category)


@pytest.fixture
def author(db):
    return factories.create_author(name="Ada Lowe", slug="ada-lowe")


@pytest.fixture
def article(subcategory, author):
    return factories.create_article(
        title="Living with an M6", slug="living-with-an-m6", category=subcategory, author=author
    )


@pytest.fixture
def reader(db):
    return factories.create_user(email="reader@example.com")


@pytest.fixture
def editor(db):
    return factories.create_staff(email="editor@example.com", groups=("Editors",))


@pytest.fixture
def author_user(db):
    user = factories.create_staff(email="writer@example.com", groups=("Authors",))
    factories.create_author(name="Writer", slug="writer", user=user)
    return user


@pytest.fixture
def comment(article):
    return factories.create_comment(
        article=article, name="Mina Hale", body="First light on the pier."
    )
