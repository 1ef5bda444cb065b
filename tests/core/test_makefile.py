"""The Makefile: what `make run` and `make serve` hand the server (read with `make -n`)."""

import os
import shlex
import subprocess

import pytest
from django.conf import settings


def dry_run(target: str, *arguments: str, **environ: str) -> list[str]:
    """The command lines `make -n TARGET ARGUMENTS` would run (nothing runs)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PORT", "SITE_URL", "MAKEFLAGS", "MFLAGS"}
    }
    result = subprocess.run(  # noqa: S603 (make, fixed arguments, dry run)
        ["make", "-n", "--no-print-directory", target, *arguments],  # noqa: S607
        env={**env, **environ},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.replace("\\\n", " ").splitlines()  # continued lines joined


def server_environment(target: str, *arguments: str, **environ: str) -> dict[str, str]:
    """The VAR=value assignments in front of the command that starts the server."""
    server = "runserver" if target == "run" else "site_config.wsgi"
    lines = [line for line in dry_run(target, *arguments, **environ) if server in line]
    assert len(lines) == 1, lines
    words = shlex.split(lines[0])
    assignments = words[: next(i for i, word in enumerate(words) if "=" not in word)]
    return dict(word.split("=", 1) for word in assignments)


@pytest.mark.parametrize("target", ["run", "serve"])
def test_site_url_follows_port_on_the_command_line(target):
    assert server_environment(target, "PORT=8001")["SITE_URL"] == "http://127.0.0.1:8001"


@pytest.mark.parametrize("target", ["run", "serve"])
def test_site_url_follows_port_from_the_environment(target):
    assert server_environment(target, PORT="8001")["SITE_URL"] == "http://127.0.0.1:8001"


def test_site_url_defaults_to_port_8000():
    assert server_environment("run")["SITE_URL"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize("target", ["run", "serve"])
def test_a_site_url_that_is_set_wins_over_port(target):
    env = server_environment(target, PORT="8001", SITE_URL="https://mag.example")

    assert env["SITE_URL"] == "https://mag.example"
