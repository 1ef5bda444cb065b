"""site_config/settings.py: configuration from the environment, failing loudly when unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from site_config.settings import cache_from_url, mailer_from_url


def import_settings(
    tmp_path, code: str = "import site_config.settings", **environ
) -> subprocess.CompletedProcess:
    """Run `code` (importing the settings) in a fresh interpreter with only `environ` set."""
    env = {"PATH": "/usr/bin:/bin", "DJANGO_VAR_DIR": str(tmp_path), **environ}
    return subprocess.run(  # noqa: S603 (our own code, in tests)
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


SERVER = "import site_config.wsgi"
TEST_ENVIRONMENT = ("DJANGO_", "EMAIL_URL", "CACHE_URL", "TASKS_BACKEND", "DATABASE_URL", "PYTEST_")


def without_test_environment(**environ) -> dict:
    """This process's environment without the variables tests/settings.py gives defaults for."""
    kept = {
        name: value for name, value in os.environ.items() if not name.startswith(TEST_ENVIRONMENT)
    }
    return {**kept, **environ}


def test_pytest_runs_with_no_environment_set(tmp_path):
    """`pytest` alone works: tests/settings.py gives the defaults the Makefile used to export.

    The run gets a var folder of its own: the default one may hold the test database of the
    run that is running this test.
    """
    test = (
        "tests/comments/test_tree.py::test_article_page_has_a_comment_section_headed_by_the_count"
    )

    result = subprocess.run(  # noqa: S603 (our own code, in tests)
        [Path(sys.executable).with_name("pytest"), "-q", test],
        env=without_test_environment(DJANGO_VAR_DIR=str(tmp_path)),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_tests_keep_their_files_in_var_test_by_default():
    result = subprocess.run(  # noqa: S603 (our own code, in tests)
        [sys.executable, "-c", "import tests.settings as s; print(s.VAR_DIR, s.DEBUG)"],
        env=without_test_environment(),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == [str(settings.BASE_DIR / "var" / "test"), "False"], (
        result.stderr
    )


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = import_settings(tmp_path, SERVER, EMAIL_URL="locmem://")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_without_mail_settings_refuses_to_start(tmp_path):
    result = import_settings(tmp_path, SERVER, DJANGO_SECRET_KEY="k" * 50)

    assert result.returncode != 0
    assert "Set EMAIL_URL" in result.stderr


PRODUCTION = {"DJANGO_SECRET_KEY": "k" * 50, "EMAIL_URL": "locmem://"}
STRIPE = {"DONATIONS_PROVIDER": "stripe", "STRIPE_SECRET_KEY": "sk", "STRIPE_WEBHOOK_SECRET": "wh"}


def test_production_with_a_secret_key_mail_settings_and_a_payment_provider_starts(tmp_path):
    result = import_settings(tmp_path, SERVER, **PRODUCTION, **STRIPE)

    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_with_the_dev_payment_provider_unless_allowed(tmp_path):
    refused = import_settings(tmp_path, SERVER, **PRODUCTION)
    allowed = import_settings(tmp_path, SERVER, **PRODUCTION, DONATIONS_ALLOW_DEV_PROVIDER="1")

    assert refused.returncode != 0
    assert "DONATIONS_PROVIDER is 'dev' with DEBUG off" in refused.stderr
    assert allowed.returncode == 0, allowed.stderr


def test_production_refuses_to_start_with_stripe_but_without_its_keys(tmp_path):
    result = import_settings(tmp_path, SERVER, **PRODUCTION, DONATIONS_PROVIDER="stripe")

    assert result.returncode != 0
    assert "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are empty" in result.stderr


def test_debug_mode_runs_without_a_secret_key(tmp_path):
    result = import_settings(tmp_path, SERVER, DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_commands_that_need_no_secret_run_without_one(tmp_path):
    """makemigrations (and CI hooks that call it) work on a bare checkout: DEBUG off, no
    secrets, the dev payment provider."""
    code = (
        "import django; django.setup(); from django.core.management import call_command;"
        "call_command('makemigrations', check=True, dry_run=True)"
    )
    result = import_settings(tmp_path, code, DJANGO_SETTINGS_MODULE="site_config.settings")

    assert result.returncode == 0, result.stderr


def test_check_deploy_names_the_missing_secrets(tmp_path):
    code = (
        "import django, sys; django.setup(); from django.core.management import call_command;"
        "call_command('check', deploy=True)"
    )
    result = import_settings(
        tmp_path, code, DJANGO_SETTINGS_MODULE="site_config.settings", DJANGO_ALLOWED_HOSTS="x"
    )

    assert result.returncode != 0
    assert "forum.E001" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr and "EMAIL_URL" in result.stderr


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "forum"),
        ("redis://cache:6379/0", "forum.core.cache.ForgivingRedisCache", "redis://cache:6379/0"),
        ("rediss://cache:6380/1", "forum.core.cache.ForgivingRedisCache", "rediss://cache:6380/1"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", None),
    ],
)  # fmt: skip
def test_cache_url_names_the_cache_backend(url, backend, location):
    cache = cache_from_url(url)

    assert cache["BACKEND"] == backend
    assert cache.get("LOCATION") == location


def test_unknown_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://cache:11211")


def test_smtp_tls_email_url_gives_host_port_and_decoded_credentials():
    config = mailer_from_url("smtp+tls://mailer%40example.com:p%40ss%2Fword@smtp.example.com:587")

    assert config == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.example.com",
            "port": 587,
            "username": "mailer@example.com",
            "password": "p@ss/word",
            "use_tls": True,
            "use_ssl": False,
        },
    }


def test_smtp_ssl_email_url_uses_ssl_not_tls_on_port_465_by_default():
    options = mailer_from_url("smtp+ssl://user:pw@smtp.example.com")["OPTIONS"]

    assert options["use_ssl"] is True
    assert options["use_tls"] is False
    assert options["port"] == 465


def test_plain_smtp_email_url_without_tls_or_credentials():
    options = mailer_from_url("smtp://relay.internal")["OPTIONS"]

    assert options["host"] == "relay.internal"
    assert options["port"] == 25
    assert options["username"] == ""
    assert options["use_tls"] is False


def test_smtp_email_url_with_tls_query_flag_turns_tls_on():
    options = mailer_from_url("smtp://user:pass@smtp.example.com:587?tls")["OPTIONS"]

    assert options["use_tls"] is True


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("locmem://", {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        (
            "file:///srv/mail%20out",
            {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": "/srv/mail out"},
            },
        ),
    ],
)
def test_development_email_urls_name_their_backend(url, expected):
    assert mailer_from_url(url) == expected


def test_unknown_email_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        mailer_from_url("sendgrid://key@api")


@pytest.mark.parametrize(("site_url", "scheme"), [("https://mag.example", "https"), ("", "http")])
def test_links_in_mail_follow_the_scheme_of_site_url(tmp_path, site_url, scheme):
    env = {"DJANGO_SECRET_KEY": "k" * 50, "EMAIL_URL": "locmem://"}
    if site_url:
        env["SITE_URL"] = site_url

    result = import_settings(
        tmp_path, "import site_config.settings as s; print(s.ACCOUNT_DEFAULT_HTTP_PROTOCOL)", **env
    )

    assert result.stdout.strip() == scheme, result.stderr
