"""A reader finds their way around the magazine in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories


@pytest.fixture
def magazine(transactional_db):
    """A small magazine: Cameras › Leica, one author, an article with figures and links."""
    cameras = factories.create_category(name="Cameras", slug="cameras")
    leica = factories.create_category(name="Leica", slug="leica", parent=cameras)
    author = factories.create_author(
        name="Ada Lowe", slug="ada-lowe", bio="Ada has repaired rangefinders for twenty years."
    )
    older = factories.create_article(
        title="Choosing a first rangefinder", category=cameras, author=author
    )
    article = factories.create_article(
        title="Living with an M6",
        slug="living-with-an-m6",
        standfirst="Ten years, two near-sales and one camera.",
        body="## The shutter\n\nIt is quiet.\n\n![The top plate](image:1)\n\nMore text.",
        category=leica,
        author=author,
        hero=True,
        tags=[factories.create_tag(name="Rangefinders")],
    )
    factories.create_article_image(
        article=article, position=1, caption="Brass through the paint.", credit="Photo: Ada Lowe"
    )
    factories.create_related_link(article=article, target=older)
    factories.create_related_link(
        article=article, url="https://en.wikipedia.org/wiki/Leica_M6", title="The M6 elsewhere"
    )
    return article


def test_reader_goes_from_home_to_article_to_section_to_author(
    page, live_server, magazine, assert_accessible
):
    page.goto(live_server.url + "/")
    assert_accessible(page)

    page.get_by_role("link", name="Living with an M6", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Living with an M6")
    expect(page.get_by_text("Ten years, two near-sales and one camera.").first).to_be_visible()
    hero = page.locator("figure.hero")
    expect(hero.locator("figcaption")).to_contain_text("Photo: Test Person")
    expect(page.locator(".prose figure figcaption")).to_have_text(
        "Brass through the paint. Photo: Ada Lowe"
    )
    expect(page.locator(".author-box")).to_contain_text("repaired rangefinders")
    read_more = page.get_by_role("region", name="Read more")
    expect(read_more.get_by_role("link", name="Choosing a first rangefinder")).to_be_visible()
    expect(read_more.get_by_role("link", name="The M6 elsewhere")).to_be_visible()
    assert_accessible(page)

    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumb.get_by_role("link")).to_have_text(["Home", "Cameras", "Leica"])
    breadcrumb.get_by_role("link", name="Cameras").click()
    expect(page).to_have_url(re.compile(r"/section/cameras/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cameras")
    # The section lists its subsection's articles and links to the subsection.
    expect(page.get_by_role("link", name="Living with an M6", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Subsections of Cameras")).to_contain_text("Leica")
    assert_accessible(page)

    page.get_by_role("link", name="Ada Lowe").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lowe")
    expect(page.get_by_role("link", name="Living with an M6", exact=True)).to_be_visible()
    assert_accessible(page)


def test_article_page_is_accessible_in_dark_mode_and_on_a_phone(
    page, live_server, magazine, assert_accessible
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    page.goto(live_server.url + magazine.get_absolute_url())
    assert_accessible(page)
    # Images never overflow the column.
    widths = page.eval_on_selector_all("main img", "imgs => imgs.map(i => i.clientWidth)")
    assert widths and max(widths) <= 390


def test_keyboard_reader_skips_to_the_content_and_sees_where_focus_is(page, live_server, magazine):
    page.goto(live_server.url + magazine.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_unknown_address_shows_the_friendly_404_page(page, live_server, transactional_db):
    response = page.goto(live_server.url + "/articles/no-such-article/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We couldn’t find that page")
    expect(page.get_by_role("link", name="latest articles")).to_be_visible()


HOSTILE_BODY = "\n\n".join(
    [
        "<script>window.__xss = 'script'</script>",
        '<img src="x" onerror="window.__xss = \'onerror\'">',
        '<svg onload="window.__xss = \'svg\'"><circle r="4"/></svg>',
        '<a id="raw" href="javascript:window.__xss=\'href\'">raw link</a>',
        '<a id="encoded" href="jav&#x61;script:window.__xss=\'encoded\'">encoded link</a>',
        "[markdown link](javascript:window.__xss='md')",
        "<iframe src=\"javascript:window.__xss='iframe'\"></iframe>",
        "<details open ontoggle=\"window.__xss = 'toggle'\"><summary>s</summary></details>",
        '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
        '<p style="background:url(javascript:alert(1))">styled</p>',
        "<b>bold survives</b>",
    ]
)


def test_hostile_markdown_in_an_article_runs_nothing_even_without_csp(
    browser, live_server, transactional_db
):
    """The sanitiser alone must make the body harmless, so the page is loaded with the
    Content Security Policy switched off in the browser."""
    article = factories.create_article(title="Hostile", slug="hostile", body=HOSTILE_BODY)
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(live_server.url + article.get_absolute_url())
    for link in page.locator(".prose a").all():
        link.click(no_wait_after=True)
        page.wait_for_timeout(50)
        if page.url != live_server.url + article.get_absolute_url():
            page.go_back()

    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    prose = page.locator(".prose")
    expect(prose.locator("b")).to_have_text("bold survives")
    assert prose.locator("script, iframe, svg, [style]").count() == 0
    handlers = prose.evaluate(
        "el => [...el.querySelectorAll('*')].flatMap(n => [...n.attributes]"
        ".filter(a => a.name.startsWith('on') || /^(javascript|data):/i.test(a.value))"
        ".map(a => a.name + '=' + a.value))"
    )
    assert handlers == []
    context.close()
