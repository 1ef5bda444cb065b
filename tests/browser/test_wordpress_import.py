"""A magazine imported from WordPress, as readers and editors meet it in Chromium: old links with
`#comment-N` anchors reach the comment they named (on whichever page of threads it now sits),
hostile markup in the export does nothing, the imported page passes axe light and dark, and an
editor edits the converted body in the admin."""

import io
import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from playwright.sync_api import expect

from forum.wordpress.models import ImportedItem
from tests import factories
from tests.wordpress.wxr_files import MAGAZINE, UPLOADS, C, P, export, write

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("IMPORT_SHOTS")  # a folder (say /tmp/shots-import): screenshots go there
NOTE = "That comment is no longer available."
PASSWORD = "editor-password-1"  # noqa: S105


def import_wordpress(path: Path, media_dir: Path | None = None) -> None:
    """The command as an editor runs it, into the live server's database."""
    options = {"media_dir": str(media_dir)} if media_dir else {}
    call_command(
        "import_wordpress", str(path), stdout=io.StringIO(), stderr=io.StringIO(), **options
    )


def imported(kind: str, key: str):
    """What WordPress's `kind` number `key` became here."""
    return ImportedItem.objects.get(kind=kind, key=key).target


@pytest.fixture
def magazine(transactional_db):
    """The sample export (two published posts, threaded comments with a reply to spam, a
    held, a trashed and a pingback), imported with its pictures."""
    import_wordpress(MAGAZINE, UPLOADS)
    return imported(ImportedItem.Kind.POST, "101")


def shot(page, name: str, *, full_page: bool = False) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"{name}.png", full_page=full_page)


def landed_on(page, live_server, comment):
    """The reader is on the comment's article, at the comment, with no trace of the old link's
    marker in the address bar."""
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    assert page.url.startswith(live_server.url + comment.article.get_absolute_url())
    assert "from=wordpress" not in page.url
    shown = page.locator(f"article#comment-{comment.pk}")
    expect(shown).to_be_in_viewport()
    return shown


# -- Old links with comment anchors ------------------------------------------------------------


def test_an_old_link_to_a_comment_lands_on_the_imported_comment(page, live_server, magazine):
    page.set_viewport_size(PHONE)  # the discussion well below the fold
    reply = imported(ImportedItem.Kind.COMMENT, "502")
    first = imported(ImportedItem.Kind.COMMENT, "501")

    page.goto(f"{live_server.url}/2024/03/09/selenium-toning/#comment-502")
    expect(landed_on(page, live_server, reply)).to_contain_text("Paper matters more than time")
    expect(page.get_by_role("heading", level=1)).to_have_text("A print toned in selenium")
    shot(page, "landed-on-502-390-light")

    page.goto(f"{live_server.url}/?p=101#comment-501")
    expect(landed_on(page, live_server, first)).to_contain_text("Mine went brown at 1+19")

    # The shorter permalink shape WordPress offered leads to the same place.
    page.goto(f"{live_server.url}/selenium-toning/#comment-502")
    landed_on(page, live_server, reply)

    # An old link to the article alone: its top, with a clean address to copy and share.
    page.goto(f"{live_server.url}/2024/03/09/selenium-toning/")
    expect(page).to_have_url(live_server.url + magazine.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()


def test_an_old_link_to_a_comment_not_shown_here_lands_on_the_discussion_with_a_note(
    page, live_server, magazine
):
    page.set_viewport_size(PHONE)
    # The number in an old link is WordPress's, never this site's: a number that is one of the
    # comments shown here but no WordPress comment of the post must not land on that comment.
    shown = [imported(ImportedItem.Kind.COMMENT, key) for key in ("501", "502", "504", "508")]
    here = next(c.pk for c in shown if not 499 <= c.pk <= 510)  # (a PostgreSQL run's pks grow)
    # A pingback (skipped), comments held and binned in WordPress, one the export never held.
    for key in ("507", "505", "506", "9999", str(here)):
        page.goto(f"{live_server.url}/2024/03/09/selenium-toning/#comment-{key}")

        expect(page).to_have_url(f"{live_server.url}{magazine.get_absolute_url()}#comments")
        note = page.locator("#comments #comment-notices")
        expect(note).to_have_role("status")
        expect(note).to_have_text(NOTE)
        expect(note).to_be_in_viewport()
    shot(page, "comment-gone-390-light")


def test_an_old_link_to_a_comment_on_a_later_page_of_threads_lands_on_that_page(
    page, live_server, transactional_db, tmp_path
):
    # 30 threads: this site shows 25 a page, so the 28th is on page 2. The first thread has
    # seven replies, two more than a thread shows before "Show more replies".
    comments = [
        C(
            id=700 + n,
            author=f"Reader {n}",
            content=f"Thread number {n}: grain like sand.",
            date=f"2024-03-{n:02d} 10:00:00",
        )
        for n in range(1, 31)
    ] + [
        C(
            id=800 + n,
            parent=701,
            content=f"Answer {n} to the first.",
            date=f"2024-03-01 1{n}:00:00",
        )
        for n in range(1, 8)
    ]
    post = P(id=40, title="The long read", slug="long-read", comments=comments)
    import_wordpress(write(tmp_path, export(post)))
    late = imported(ImportedItem.Kind.COMMENT, "728")
    hidden = imported(ImportedItem.Kind.COMMENT, "807")

    # WordPress's own link to a comment on its second page of comments, and the plain one.
    for old in ("/long-read/comment-page-2/#comment-728", "/long-read/#comment-728"):
        page.goto(live_server.url + old)

        expect(page).to_have_url(re.compile(rf"[?&]cpage=2#comment-{late.pk}$"))
        expect(landed_on(page, live_server, late)).to_contain_text("Thread number 28")
        expect(page.locator("#comment-list")).not_to_contain_text("Thread number 3:")

    page.goto(f"{live_server.url}/2024/01/01/long-read/#comment-807")
    expect(landed_on(page, live_server, hidden)).to_contain_text("Answer 7 to the first.")


# -- Hostile markup ----------------------------------------------------------------------------

HOSTILE = (
    '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
    '<a href="javascript:window.__xss=3">click me</a>'
    '<svg onload="window.__xss=4"><circle r="4"></circle></svg>'
    '<iframe src="javascript:window.__xss=5"></iframe>'
)


def test_scripts_and_handlers_in_an_export_do_nothing_and_show_as_text(
    page, live_server, transactional_db, tmp_path, page_errors
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    content = (
        f"<p>Before the trap. {HOSTILE}</p>\n\n"
        "<p>Write <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> to test a form.</p>"
    )
    comment = C(
        id=801,
        author='<script>window.__xss=6</script>Mallory <b onclick="alert(7)">Bold</b>',
        url="javascript:window.__xss=8",
        content=f"{HOSTILE} And in words: &lt;img src=x onerror=alert(9)&gt; "
        "[md link](javascript:window.__xss=10)",
    )
    post = P(id=50, title="Hostile <em>title</em>", slug="hostile", content=content)
    post.comments.append(comment)
    import_wordpress(write(tmp_path, export(post)))
    article = imported(ImportedItem.Kind.POST, "50")

    page.goto(live_server.url + article.get_absolute_url())
    prose = page.locator(".prose")
    expect(prose).to_contain_text("Before the trap.")
    shown = page.locator(f"article#comment-{imported(ImportedItem.Kind.COMMENT, '801').pk}")
    expect(shown).to_be_visible()

    # What the writers meant as text reads as text.
    expect(page.get_by_role("heading", level=1)).to_have_text("Hostile title")
    expect(prose.locator("code")).to_have_text("<script>alert(1)</script>")
    expect(shown).to_contain_text("And in words: <img src=x onerror=alert(9)>")
    expect(shown).to_contain_text("Mallory Bold")
    # No script, handler, frame or javascript: address made it onto the page.
    for where in (prose, shown):
        expect(where.locator("script, iframe, svg, [onerror], [onload], [onclick]")).to_have_count(
            0
        )
        expect(where.locator("a[href^='javascript' i]")).to_have_count(0)
    expect(shown.locator(".comment__author")).to_have_text(re.compile(r"Mallory Bold$"))
    expect(shown.locator("a.comment__author")).to_have_count(0)  # its address was javascript:

    for where in (prose, shown):
        where.get_by_text("click me").click()
    shown.get_by_text("md link").click()
    page.wait_for_load_state()

    shot(page, "hostile-1280-light", full_page=True)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    # The autouse watcher fails the test on any Content Security Policy report: none means
    # no blocked inline handler or script was left on the page to be blocked.
    assert page_errors == []


def test_a_script_in_a_title_or_name_leaves_none_of_its_code_on_the_page(
    page, live_server, transactional_db, tmp_path
):
    comment = C(id=901, author="<script>window.__xss=1</script>Mallory", content="Nice tones.")
    post = P(
        id=60,
        title="Darkroom notes<style>h1 { color: red }</style>",
        slug="notes",
        comments=[comment],
    )
    import_wordpress(write(tmp_path, export(post)))
    article = imported(ImportedItem.Kind.POST, "60")

    page.goto(live_server.url + article.get_absolute_url())

    comment_pk = imported(ImportedItem.Kind.COMMENT, "901").pk
    seen = {
        "title": page.get_by_role("heading", level=1).inner_text(),
        "name": page.locator(f"#comment-{comment_pk} .comment__author").inner_text(),
    }
    assert seen == {"title": "Darkroom notes", "name": "Mallory"}


# -- Accessibility and looks -------------------------------------------------------------------


def test_the_imported_article_page_is_accessible_and_whole(
    live_server, magazine, open_context, assert_accessible
):
    ines, marta, theo, lost = (
        imported(ImportedItem.Kind.COMMENT, key) for key in ("501", "502", "504", "508")
    )
    for viewport, scheme in [
        (DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light"), (PHONE, "dark")
    ]:  # fmt: skip
        page = open_context(viewport=viewport, color_scheme=scheme).new_page()
        page.goto(live_server.url + magazine.get_absolute_url())

        hero = page.locator("figure.hero")
        expect(hero.locator("img")).to_have_attribute("alt", "A print in a tray of toner")
        expect(hero.locator("figcaption")).to_contain_text("The print after four minutes.")
        expect(hero.locator(".credit")).to_have_text("Photo: Marta Quell")
        figure = page.locator(".prose figure")
        expect(figure.locator("img")).to_have_attribute("alt", "A print in a tray of toner")
        expect(figure.locator("figcaption")).to_have_text(
            "The print after four minutes. Photo: Marta Quell"
        )
        expect(page.locator(".prose h3")).to_have_text("What you need")
        expect(page.locator(".prose li")).to_have_count(2)

        # Marta's answer sits in Ines's thread; Theo's reply to the spam, and the reply to a
        # comment never exported, are threads of their own; spam, held and binned are absent.
        expect(page.locator(f"#comment-{ines.pk} ~ * #comment-{marta.pk}")).to_have_count(1)
        expect(page.locator(f"#comment-{theo.pk} .comment__number")).to_have_text("#2")
        expect(page.locator(f"#comment-{lost.pk} .comment__number")).to_have_text("#3")
        comments = page.locator("#comment-list")
        for gone in ("Buy cheap pills", "Held for moderation", "Binned by", "lovely piece"):
            expect(comments).not_to_contain_text(gone)
        for picture in page.locator("main img").all():
            picture.scroll_into_view_if_needed()
            expect(picture).to_have_js_property("complete", True)
            assert picture.evaluate("img => img.naturalWidth") > 0

        shot(page, f"article-{viewport['width']}-{scheme}", full_page=True)
        if (viewport, scheme) in [(DESKTOP, "light"), (PHONE, "dark")]:
            assert_accessible(page)


# -- The editor --------------------------------------------------------------------------------


def test_an_editor_edits_the_imported_body_and_readers_see_it_with_its_figure(
    page, live_server, magazine
):
    editor = factories.create_staff(
        email="editor@example.com", password=PASSWORD, groups=("Editors",)
    )
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    page.goto(live_server.url + "/admin/")
    page.locator("#id_login").fill("editor@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.goto(f"{live_server.url}/admin/articles/article/{magazine.pk}/change/")
    body = page.get_by_label("Body")
    text = body.input_value()
    assert "![A print in a tray of toner](image:1)" in text
    assert "<h3>What you need</h3>" in text
    body.fill(text.replace("Wash for an hour", "Wash for ninety minutes"))
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(live_server.url + magazine.get_absolute_url())
    prose = page.locator(".prose")
    expect(prose).to_contain_text("Wash for ninety minutes afterwards.")
    expect(prose).not_to_contain_text("Wash for an hour")
    expect(prose.locator("figure img")).to_have_attribute("alt", "A print in a tray of toner")
    expect(prose.locator("figure figcaption")).to_contain_text("Photo: Marta Quell")

    # The same export imported again (a second run, to bring over late comments): the post
    # did not change in WordPress, so the editor's change stays.
    import_wordpress(MAGAZINE, UPLOADS)
    page.reload()
    expect(prose).to_contain_text("Wash for ninety minutes afterwards.")
    expect(prose.locator("figure img")).to_have_attribute("alt", "A print in a tray of toner")
