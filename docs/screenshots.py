"""Retake the README's screenshots in docs/screenshots/ from a fresh demo site.

    make screenshots        (or: .venv/bin/python docs/screenshots.py [FOLDER])

FOLDER (docs/screenshots/ by default) lets a change be looked at before it replaces the
README's images.

Builds the demo magazine in its own var dir (var/screenshots, emptied first: the shots never
depend on what a developer has posted locally), adds one long seeded discussion, serves it
with the development server on a free port of 127.0.0.1, and photographs it with Playwright
and Debian's Chromium (/usr/bin/chromium), the browser the tests use. Desktop shots are
1280x800, phone shots 390x844, all at device scale 1 so the files stay small; a shot is the
viewport scrolled to its subject, not the whole page, so each image shows what its name says.
Nothing leaves 127.0.0.1.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
VAR = ROOT / "var" / "screenshots"
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
M6 = "living-with-a-leica-m6"  # the demo article with the discussion and the held comments
ADMIN_EMAIL = "admin@frameandgrain.test"  # forum/demo/management/commands/ensure_demo_admin.py
IMAGES_IN_SIGHT_DECODED = """async () => {
    const inSight = [...document.images].filter((img) => {
        const box = img.getBoundingClientRect();
        return box.width > 0 && box.bottom > 0 && box.top < window.innerHeight;
    });
    await Promise.all(inSight.map((img) => img.decode().catch(() => null)));
}"""


def environment() -> dict[str, str]:
    """The development settings on SQLite in var/screenshots, whatever the shell has set."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_VAR_DIR=str(VAR), DJANGO_DEBUG="1", PYTHONUNBUFFERED="1")
    return env


def manage(*args: str) -> str:
    """Run a management command in the screenshot site and return what it printed."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=environment(), capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def build_site() -> dict[str, str]:
    """A fresh demo magazine with its admin and a 300-comment discussion; the paths to shoot."""
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    manage("migrate", "--noinput", "-v", "0")
    print(manage("seed_demo").strip())
    print(manage("ensure_demo_admin").strip())
    # Unlisted, so the home page leads with the magazine's own articles.
    long_thread = manage("seed_thread", "--comments", "300").splitlines()[-1]
    m6 = manage(
        "shell",
        "-c",
        f"from forum.articles.models import Article; "
        f"print(Article.objects.get(slug={M6!r}).get_absolute_url())",
    ).splitlines()[-1]
    return {"m6": m6, "long_thread": long_thread}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    """The development server (DEBUG on: static files and media served as in `make run`),
    once it answers."""
    with (VAR / "server.log").open("w") as log:
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**environment(), "SITE_URL": f"http://127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped: see {VAR / 'server.log'}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"The server did not answer within a minute: see {VAR / 'server.log'}")


def scroll_to(locator, block: str = "start", margin: int = 16) -> None:
    """Put the subject at the top (or centre) of the viewport, with a little air above it.

    Scrolling is instant whatever the stylesheet says about smooth scrolling, so the shot
    never catches the page mid-way."""
    locator.evaluate(
        """(el, [block, margin]) => {
            el.scrollIntoView({block, behavior: "instant"});
            if (block === "start") window.scrollBy({top: -margin, behavior: "instant"});
        }""",
        [block, margin],
    )


def save(page, name: str) -> None:
    """Shoot once the images in sight have arrived: lazy ones start only when scrolled to,
    and all are decoded off the main thread."""
    page.wait_for_load_state("networkidle")
    page.evaluate(IMAGES_IN_SIGHT_DECODED)
    path = OUT / name
    page.screenshot(path=path, animations="disabled", caret="hide")
    print(f"{path}  {path.stat().st_size // 1024} KB")


def sign_in(page, base: str) -> None:
    """Through the site's own sign-in page, as an editor would."""
    password = (VAR / "demo_admin.txt").read_text().strip()
    page.goto(base + "/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("Email", exact=True).fill(ADMIN_EMAIL)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Sign out").first).to_be_attached()


def open_page(browser):
    """A desktop-sized page at device scale 1 that reports, on stderr, any script error or
    Content Security Policy refusal: a picture of a broken page is worse than none."""
    context = browser.new_context(viewport=DESKTOP, device_scale_factor=1, reduced_motion="reduce")
    context.set_default_timeout(20_000)
    context.on("weberror", lambda error: print(f"Script error: {error.error}", file=sys.stderr))
    context.on("console", report_csp)
    return context, context.new_page()


def report_csp(message) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        print(f"CSP: {message.text}", file=sys.stderr)


def shoot_reader_pages(browser, base: str, paths: dict[str, str]) -> None:
    """What a guest sees: the home page, an article, its discussion, the forms."""
    context, page = open_page(browser)
    m6 = base + paths["m6"]

    page.goto(base + "/")
    save(page, "home-desktop.png")
    page.goto(m6)
    save(page, "article-desktop.png")

    scroll_to(page.locator("#comments"))
    save(page, "comments-desktop.png")

    # The inline reply form, opened under the first reply (the author's, in the demo).
    reply = page.locator("#comment-list article[data-depth='2'] .comment__reply").first
    reply.click()
    expect(page.locator("#respond")).to_be_visible()
    scroll_to(page.locator("#comment-list article[data-depth='1']").first)
    page.locator("#id_body").fill("Mine went the same way, though it was the roof, not the boiler.")
    save(page, "comments-reply-inline.png")

    # A thread longer than a page shows: the long seeded discussion has many.
    page.goto(base + paths["long_thread"])
    more = page.get_by_role("link", name=re.compile(r"^Show \d+ more repl")).first
    scroll_to(more, block="center")
    save(page, "comments-more-replies.png")

    page.goto(base + "/accounts/signup/")
    save(page, "account-signup.png")

    page.set_viewport_size(PHONE)
    page.goto(base + "/")
    save(page, "home-phone.png")
    page.goto(m6)
    save(page, "article-phone.png")
    page.goto(base + "/comment-policy/")
    save(page, "pages-policy-phone.png")

    page.emulate_media(color_scheme="dark")
    page.goto(m6)
    save(page, "article-phone-dark.png")
    scroll_to(page.locator("#comments"))
    save(page, "comments-phone-dark.png")

    # A refused comment: the name left out and the email mistyped.
    form = page.locator("#respond")
    form.get_by_label("Comment", exact=True).fill("A comment I do not want to lose.")
    form.get_by_label("Email", exact=True).fill("not-an-email")
    form.get_by_role("button", name="Post comment").click()
    expect(form.locator(".errorlist, [aria-invalid='true']").first).to_be_attached()
    scroll_to(form)
    save(page, "comments-form-errors-phone-dark.png")
    context.close()


def shoot_moderation(browser, base: str, paths: dict[str, str]) -> None:
    """What the demo admin (a superuser) sees: held comments in place, the queue."""
    context, page = open_page(browser)
    sign_in(page, base)

    page.goto(base + paths["m6"])
    held = page.locator("#comment-list article").filter(
        has=page.get_by_role("button", name=re.compile("^Approve"))
    )
    # From the published thread above the first held one, to show the two side by side.
    scroll_to(held.first.locator("xpath=ancestor::li[1]/preceding-sibling::li[1]"), margin=0)
    save(page, "moderate-in-place.png")

    page.goto(base + "/admin/comments/comment/")
    save(page, "queue-desktop.png")
    page.emulate_media(color_scheme="dark")
    page.reload()
    save(page, "queue-desktop-dark.png")
    page.emulate_media(color_scheme="light")
    page.goto(base + "/admin/comments/comment/?status=reported")
    save(page, "queue-reported.png")
    context.close()


def shoot_newsletter(browser, base: str) -> None:
    """The newsletter: its sign-up page and an archived issue for readers; for the editor, a
    sent issue's page with its progress and the mail's preview."""
    context, page = open_page(browser)
    page.goto(base + "/newsletter/")
    save(page, "newsletter-signup.png")
    page.goto(base + "/newsletter/archive/")
    page.locator(".issue-list__title a").first.click()
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="dark")
    page.reload()
    save(page, "newsletter-issue-phone-dark.png")

    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="light")
    sign_in(page, base)
    page.goto(base + "/admin/newsletter/issue/")
    page.locator("#result_list tbody th a").first.click()
    save(page, "newsletter-issue-admin.png")
    page.get_by_role("link", name="Preview").click()
    save(page, "newsletter-preview.png")
    context.close()


def shoot_donations(browser, base: str) -> None:
    """Giving: the Support page with the month against the goal, the supporters on a phone in
    the dark, the dev provider's checkout, and the editor's list of gifts with its totals."""
    context, page = open_page(browser)
    page.goto(base + "/support/")
    save(page, "support.png")
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="dark")
    page.goto(base + "/support/supporters/")
    save(page, "supporters-phone-dark.png")

    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="light")
    page.goto(base + "/support/")
    form = page.get_by_role("region", name="Make a gift")
    form.get_by_label("£5", exact=True).check()
    form.get_by_label("Monthly", exact=True).check()
    form.get_by_label("Name").fill("Ines Duarte")
    form.get_by_label("Email", exact=True).fill("ines@example.org")
    form.get_by_role("button", name="Donate").click()
    expect(page.get_by_role("button", name="Pay")).to_be_visible()
    save(page, "support-dev-checkout.png")

    sign_in(page, base)
    page.goto(base + "/admin/donations/donation/")
    save(page, "donations-admin.png")
    context.close()

    # The reading meter, turned on for this shot only, after three articles (staff are never
    # metered, so in a context that is not signed in).
    manage("shell", "-c", METER.format(free=2))
    context, page = open_page(browser)
    page.goto(base + "/")
    links = page.locator("main a[href^='/articles/']")
    hrefs = (links.nth(n).get_attribute("href") for n in range(links.count()))
    paths = list(dict.fromkeys(href.split("#")[0] for href in hrefs))[:3]
    for path in paths:
        page.goto(base + path)
    invitation = page.get_by_role("complementary", name="You have read 2 articles this month")
    scroll_to(invitation, margin=120)
    save(page, "reading-meter.png")
    context.close()
    manage("shell", "-c", METER.format(free=0))


def shoot_members(browser, base: str, paths: dict[str, str]) -> None:
    """The member's side: the comment form's notification boxes, a guest's comment emails
    page (from the link in every notification), a public profile on a phone in the dark, and
    Your data."""
    context, page = open_page(browser)
    page.goto(base + paths["m6"] + "#respond")
    form = page.locator("#respond")
    form.get_by_label("Notify me of replies by email").check()
    scroll_to(form.get_by_label("Notify me of replies by email"), block="center")
    save(page, "notify-comment-form.png")
    settings_path = manage("shell", "-c", GUEST_SETTINGS).splitlines()[-1]
    page.goto(base + settings_path)
    save(page, "notify-settings.png")
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="dark")
    page.goto(base + "/members/rafe-collins/")
    save(page, "profile-phone-dark.png")
    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="light")
    sign_in(page, base)
    page.goto(base + "/privacy/your-data/")
    save(page, "privacy-your-data.png")
    context.close()


# A confirmed guest following the M6 review: the path of their comment emails page.
GUEST_SETTINGS = (
    "from forum.articles.models import Article; "
    "from forum.notifications import services, tokens; "
    "from forum.notifications.models import Recipient; "
    "r = Recipient.for_guest('mira.holt@example.org'); services.confirm(r); "
    f"services.start_following(r, Article.objects.get(slug={M6!r}).pk); "
    "print(tokens.settings_url(r).removeprefix(tokens.absolute('')))"
)


METER = (
    "from forum.site_settings.models import SiteSettings; "
    "s = SiteSettings.current(); s.free_articles_a_month = {free}; s.save()"
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    paths = build_site()
    port = free_port()
    server = serve(port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            shoot_reader_pages(browser, base, paths)
            shoot_moderation(browser, base, paths)
            shoot_newsletter(browser, base)
            shoot_donations(browser, base)
            shoot_members(browser, base, paths)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
