"""Tests against a running cluster (`make test-cluster`): nginx, two app servers, Redis,
PostgreSQL and the task worker, all started by .ci/cluster.sh.

They are collected only when the cluster's env file was sourced (CLUSTER_PORT is set), so
`make test` never sees them. The test process works in the cluster's own database, not in a
test database: what a test creates must be visible to the app servers. Nothing is flushed,
so every test makes data of its own (`unique()` in slugs, names and emails).

Fixtures: `nginx` (the site's address), `apps` (each app server's own), `cluster` (kill and
start pieces), `sink` (the SMTP server the cluster mails to), `http_client` (a cookie-keeping
client for one reader), `chromium`.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from server import CookieJar, form_errors, hidden_field, request  # noqa: E402, F401 (for the tests)

if "CLUSTER_PORT" not in os.environ:
    collect_ignore_glob = ["test_*.py"]

HOST = "127.0.0.1"


def unique(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def wait_for(check, seconds: float = 30, step: float = 0.2):
    """The first true value `check()` gives within `seconds`, else None."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


@pytest.fixture(autouse=True)
def _isolated():
    """The suite-wide fixture clears the cache and swaps the password hasher: here the cache
    is the cluster's Redis and the app servers must read the passwords, so neither."""
    yield


@pytest.fixture(scope="session")
def django_db_setup():
    """No test database: the cluster's own, migrated by .ci/cluster.sh."""


@pytest.fixture(autouse=True)
def _cluster_db(django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="session")
def nginx() -> int:
    return int(os.environ["CLUSTER_PORT"])


@pytest.fixture(scope="session")
def apps() -> list[int]:
    return [int(port) for port in os.environ["CLUSTER_APP_PORTS"].split()]


class Cluster:
    """`bash .ci/cluster.sh` for this cluster's folder."""

    def __init__(self):
        self.dir = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster"))

    def run(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            ["bash", str(ROOT / ".ci" / "cluster.sh"), *args],  # noqa: S607
            env={**os.environ, "CLUSTER_DIR": str(self.dir)},
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr + done.stdout
        return done.stdout

    def kill(self, name: str) -> None:
        self.run("kill", name)

    def up(self) -> None:
        self.run("up")

    def log(self, name: str) -> str:
        return (self.dir / "logs" / f"{name}.log").read_text(errors="replace")


@pytest.fixture(scope="session")
def cluster():
    cluster = Cluster()
    yield cluster
    cluster.up()  # whatever a drill left down is running again for the next test


class Sink:
    """The SMTP server the cluster mails to (EMAIL_URL), in this process. `messages` are
    (recipients, email.message.Message); `slow_rcpt` / `slow_data` seconds hold each RCPT or
    DATA command that long, so that a drill can kill the worker in the middle of sending."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.rcpts_seen: list[str] = []
        self.slow_rcpt = 0.0
        self.slow_data = 0.0
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname=HOST, port=port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpts_seen.append(address)
        if self.slow_rcpt:
            import asyncio

            await asyncio.sleep(self.slow_rcpt)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """The message is kept once its final "." arrives, as a real server queues it, and
        only the answer is slow: a sender killed while waiting has still sent it."""
        with self.lock:
            self.messages.append(
                (list(envelope.rcpt_tos), message_from_bytes(envelope.original_content))
            )
        if self.slow_data:
            import asyncio

            await asyncio.sleep(self.slow_data)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [message for rcpts, message in self.messages if address in rcpts]


@pytest.fixture(scope="session")
def sink():
    url = urlsplit(os.environ["EMAIL_URL"])
    if url.scheme != "smtp":
        pytest.fail("the cluster mails to files: start it with EMAIL_URL=smtp://127.0.0.1:PORT")
    sink = Sink(url.port)
    sink.controller.start()
    yield sink
    sink.controller.stop()


class Browser:
    """One reader's cookies against nginx or one app server (`port`). Every request names
    the site as nginx does (Host 127.0.0.1:CLUSTER_PORT): the sites framework and allauth's
    sign-in limits key on it, and behind nginx both app servers see the same one."""

    def __init__(self, port: int):
        self.port = port
        self.jar = CookieJar()
        self.site = f"{HOST}:{os.environ['CLUSTER_PORT']}"

    def get(self, path: str, *, port: int | None = None, headers: dict | None = None):
        status, message, body = request(
            port or self.port,
            "GET",
            path,
            headers={"Host": self.site, **self.jar.header(), **(headers or {})},
        )
        self.jar.update(message)
        return status, message, body.decode(errors="replace")

    def post(self, path: str, fields: dict, *, port: int | None = None, headers=None):
        port = port or self.port
        status, message, body = request(
            port,
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={
                "Host": self.site,
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://{self.site}",
                "Referer": f"http://{self.site}{path}",
                **self.jar.header(),
                **(headers or {}),
            },
        )
        self.jar.update(message)
        return status, message, body.decode(errors="replace")

    def submit(self, page: str, action: str, fields: dict, *, port=None, headers=None):
        """GET `page`, then POST `fields` to `action` with the page's CSRF token."""
        status, _, html = self.get(page, port=port, headers=headers)
        assert status == 200, (page, status)
        csrf = hidden_field(html, "csrfmiddlewaretoken")
        return self.post(
            action, {"csrfmiddlewaretoken": csrf, **fields}, port=port, headers=headers
        )


@pytest.fixture
def http_client(nginx):
    return lambda port=None: Browser(port or nginx)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    # Playwright's event loop runs in this thread from now on; the database calls of the
    # tests are still plain synchronous ones (tests/browser/conftest.py does the same).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def post_comment(
    browser: Browser, article, *, body: str, name: str, email: str, port=None, headers=None
):
    """A guest reads the article page for half a minute (the form's token says so, as
    bench/concurrent_post.py mints it) and posts; the response (status, message, html)."""
    import re

    from forum.comments.forms import new_token

    status, _, html = browser.get(article.get_absolute_url(), port=port)
    assert status == 200, status
    action = re.search(r'<form\b[^>]*\baction="(/comments/post/\d+/)[^"]*"', html).group(1)
    fields = {
        "csrfmiddlewaretoken": hidden_field(html, "csrfmiddlewaretoken"),
        "token": new_token(article.pk, issued=time.time() - 30),
        "body": body,
        "name": name,
        "email": email,
        "website": "",
        "parent": "",
    }
    return browser.post(action, fields, port=port, headers=headers)


def make_article(**fields):
    from tests import factories

    slug = unique("cluster")
    category = factories.create_category(name=unique("Section"), slug=unique("section"))
    author = factories.create_author(name=unique("Author"), slug=unique("author"))
    return factories.create_article(
        title=f"Notes on {slug}", slug=slug, category=category, author=author, **fields
    )


def member(*, moderator: bool = False, password: str = "a-long-cluster-password"):  # noqa: S107
    """A member with a verified address (allauth asks for one), or a moderator."""
    from allauth.account.models import EmailAddress

    from tests import factories

    email = f"{unique('member')}@example.net"
    make = factories.create_staff if moderator else factories.create_user
    extra = {"groups": ("Moderators",)} if moderator else {}
    user = make(email=email, username=unique("user"), password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def network() -> str:
    """An address of its own, sent as X-Forwarded-For straight to an app server (one proxy
    hop is trusted), so per-network limits of one test do not reach the next."""
    n = uuid.uuid4().int
    return f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"


def sign_in(browser: Browser, email: str, password: str, *, port: int, ip: str):
    return browser.submit(
        "/accounts/login/",
        "/accounts/login/",
        {"login": email, "password": password},
        port=port,
        headers={"X-Forwarded-For": ip},
    )


@pytest.fixture
def open_posting():
    """Every post through nginx comes from 127.0.0.1 (nginx replaces X-Forwarded-For), one
    network for the comment rules: the flood and rate limits are off for the test, as an
    editor would set them in the admin (with the form timer: a browser test posts at once), and back as they were afterwards."""
    from forum.site_settings.models import SiteSettings

    settings = SiteSettings.current()
    names = ("flood_seconds", "rate_limit", "min_seconds_to_post")
    kept = {name: getattr(settings, name) for name in names}
    for name in names:
        setattr(settings, name, 0)
    settings.save()
    yield
    settings = SiteSettings.current()
    for name, value in kept.items():
        setattr(settings, name, value)
    settings.save()
