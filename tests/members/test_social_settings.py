"""DJANGO_SOCIAL_PROVIDERS: sign-in with other sites, off unless named (no network here)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from site_config.settings import social_providers
from tests.core.test_settings import import_settings

# Settings loaded and Django's checks run, as at start-up: the provider apps must import.
INSTALLED = (
    "import os, django; from django.conf import settings; from django.core import management; "
    "os.environ['DJANGO_SETTINGS_MODULE'] = 'site_config.settings'; django.setup(); "
    "management.call_command('check'); print(settings.INSTALLED_APPS)"
)


def test_no_providers_named_means_none_configured():
    assert social_providers([], {"GITHUB_CLIENT_ID": "id", "GITHUB_SECRET": "s"}) == {}


def test_each_named_provider_takes_its_client_id_and_secret_from_the_environment():
    environ = {
        "GITHUB_CLIENT_ID": "gh-id",
        "GITHUB_SECRET": "gh-secret",
        "GOOGLE_CLIENT_ID": "g-id",
        "GOOGLE_SECRET": "g-secret",
    }

    providers = social_providers(["github", " Google "], environ)

    assert providers == {
        "github": {"APPS": [{"client_id": "gh-id", "secret": "gh-secret"}]},
        "google": {"APPS": [{"client_id": "g-id", "secret": "g-secret"}]},
    }


def test_a_named_provider_without_its_secret_stops_the_site():
    with pytest.raises(ImproperlyConfigured, match="GITHUB_SECRET"):
        social_providers(["github"], {"GITHUB_CLIENT_ID": "gh-id"})


def test_without_providers_socialaccount_is_not_installed(tmp_path):
    result = import_settings(tmp_path, INSTALLED, DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "allauth.socialaccount" not in result.stdout


def test_named_providers_install_socialaccount_and_their_apps(tmp_path):
    result = import_settings(
        tmp_path,
        INSTALLED,
        DJANGO_DEBUG="1",
        DJANGO_SOCIAL_PROVIDERS="github",
        GITHUB_CLIENT_ID="gh-id",
        GITHUB_SECRET="gh-secret",
    )

    assert result.returncode == 0, result.stderr
    assert "'allauth.socialaccount'" in result.stdout
    assert "'allauth.socialaccount.providers.github'" in result.stdout


@pytest.mark.django_db
def test_the_log_in_page_shows_no_other_sites_by_default(client):
    assert "socialaccount" not in client.get("/accounts/login/").content.decode()
