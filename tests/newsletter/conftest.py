"""Fixtures for the newsletter's tests; factories live in tests/factories.py."""

import pytest

from forum.newsletter.models import Newsletter


@pytest.fixture
def newsletter(db) -> Newsletter:
    """The default newsletter, made by the migrations."""
    return Newsletter.default()
