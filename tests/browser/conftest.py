"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server.

Every test in this folder gets the `browser` marker. Fixtures:

- `axe`: a callable, `axe(context=None)`, that runs axe-core on the current page with the
  WCAG 2.2 AA rules and returns the violations (dicts: id, impact, help, helpUrl, nodes).
- `assert_accessible`: a callable, `assert_accessible(page, context=None)`, that fails the
  test with a readable list of the violations.
- `page_errors`: the JavaScript errors and Content Security Policy reports seen so far;
  any left at the end of a test fail it (a test that provokes one on purpose clears it).

axe-core comes from the npm registry into var/node/ (`make test` installs it).
"""

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from site_config.settings import mailer_from_url
from tests import factories

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = HERE.parents[1] / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]

# `make test` runs the SQLite and PostgreSQL suites side by side on two cores, so a page can
# take a few seconds to answer: an assertion waits up to 15 s for what it expects (5 s by
# default), which costs nothing when the page is quick.
expect.set_options(timeout=15_000)

RUN_AXE = """async ([context, tags]) => {
    const results = await axe.run(context ?? document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
            target: n.target,
            html: n.html,
            failureSummary: n.failureSummary,
        })),
    }));
}"""


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Mark the tests in this folder `browser` and run them last: once Playwright has
    started, its event loop counts as running in the main thread for the rest of the
    session, which changes how Django and asgiref behave in every later test.

    A wrapper: the mark goes on before `-m` selects tests, and the order is set after
    pytest-django has sorted them by database use."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
    yield
    browser = [item for item in items if HERE in Path(item.path).parents]
    others = [item for item in items if HERE not in Path(item.path).parents]
    items[:] = others + browser


@pytest.fixture(scope="session", autouse=True)
def _django_beside_playwright(playwright):
    """Playwright's sync API leaves its event loop running in the main thread, so Django
    takes every test from here on for async code: allow its ORM all the same (else
    SynchronousOnlyOperation). Django then keeps this thread's database connections in
    context-local storage, apart from those opened before: close them while they are
    still visible, or PostgreSQL refuses to drop the test database at the end."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    from django.db import connections

    connections.close_all()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install Debian's package "
            "(apt-get install chromium); `make test` does it when run as root."
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": browser_type_launch_args.get("headless", True),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def article(transactional_db):
    """The article under discussion (transactional: the live server must see the rows)."""
    author = factories.create_author(name="Ada Lowe", slug="ada-lowe")
    return factories.create_article(title="Living with an M6", slug="m6", author=author)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(
            f"axe-core is missing at {AXE_JS}: run `make test`, or "
            "`npm install --prefix var/node axe-core@4`."
        )
    return AXE_JS.read_text()


def run_axe(page, source, context=None):
    # evaluate(), not add_script_tag(): the site's Content Security Policy forbids inline
    # script, and evaluate() is not subject to it.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(source)
    return page.evaluate(RUN_AXE, [context, WCAG_TAGS])


def format_violations(violations):
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


@pytest.fixture
def axe(page, axe_source):
    return lambda context=None: run_axe(page, axe_source, context)


@pytest.fixture
def assert_accessible(axe_source):
    def check(page, context=None):
        violations = run_axe(page, axe_source, context)
        if violations:
            pytest.fail(
                f"{len(violations)} accessibility violation(s) on {page.url}:\n"
                + format_violations(violations),
                pytrace=False,
            )

    return check


@pytest.fixture
def page_errors():
    return []


@pytest.fixture(autouse=True)
def _fail_on_page_errors(request, page_errors):
    """Any uncaught JavaScript error, or a console error about the Content Security Policy,
    in any page of the test's browser context fails the test."""
    if "context" not in request.fixturenames:
        yield
        return
    context = request.getfixturevalue("context")

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            page_errors.append(f"CSP: {message.text}")

    context.on("weberror", lambda web_error: page_errors.append(f"JS: {web_error.error}"))
    context.on("console", on_console)
    yield
    if page_errors:
        pytest.fail("The page reported errors:\n" + "\n".join(page_errors), pytrace=False)


@pytest.fixture
def site_settings(transactional_db):
    """Change the site settings the live server reads, e.g. `site_settings(rate_limit=0)`."""
    from forum.site_settings.models import SiteSettings

    def change(**fields):
        settings = SiteSettings.current()
        for name, value in fields.items():
            setattr(settings, name, value)
        settings.save()
        return settings

    return change


@pytest.fixture(autouse=True)
def _site_url_is_the_live_server(request):
    """Links in mail, and the dev payment provider's webhook calls, go to SITE_URL: in a
    browser test that is the live server."""
    if "live_server" in request.fixturenames:
        settings = request.getfixturevalue("settings")
        settings.SITE_URL = request.getfixturevalue("live_server").url


@pytest.fixture(autouse=True)
def _forms_sent_at_once(request):
    """Playwright fills a form in milliseconds, which the comment form's timer takes for a
    robot: turn the timer off, unless the test asks for `form_timer` to try it."""
    if "live_server" not in request.fixturenames or "form_timer" in request.fixturenames:
        return
    request.getfixturevalue("site_settings")(min_seconds_to_post=0)


@pytest.fixture
def mail_folder(settings, tmp_path, live_server):
    """Mail written to files, as `make run` writes it, with links to the live server."""
    folder = tmp_path / "mail"
    settings.MAILERS = {"default": mailer_from_url(f"file://{folder}")}
    settings.SITE_URL = live_server.url
    return folder


@pytest.fixture
def form_timer(transactional_db, monkeypatch):
    """The comment form's timer as the site sets it (3 seconds), on a clock of the test's: it
    stands still at the test's start, so every form is sent "too quickly" however slowly the
    page loads, until the test calls `form_timer(seconds)` to move it on. The live server runs
    in this process, so the rules read this clock."""
    from forum.comments import moderation

    start = time.time()
    monkeypatch.setattr(moderation, "time", SimpleNamespace(time=lambda: start))

    def move_on(seconds: float) -> None:
        now = time.time() + seconds
        monkeypatch.setattr(moderation, "time", SimpleNamespace(time=lambda: now))

    return move_on


@pytest.fixture
def open_context(browser, page_errors):
    """New browser contexts (another reader, JavaScript off…) watched for errors like `page`."""
    contexts = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            page_errors.append(f"CSP: {message.text}")

    def open_(**options):
        context = browser.new_context(**{"reduced_motion": "reduce", **options})
        context.on("weberror", lambda error: page_errors.append(f"JS: {error.error}"))
        context.on("console", on_console)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()
