"""A phone downloads pictures sized for its screen: the browser picks from srcset."""

import re

import pytest

from tests.articles.test_renditions import with_hero

# Scroll to the end a step at a time, so every lazy image below the fold is asked for.
SCROLL_THROUGH = """async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y);
        await new Promise((done) => setTimeout(done, 30));
    }
}"""


@pytest.fixture
def four_stories(transactional_db):
    return [with_hero(size=(1600, 900), title=f"Story {i}") for i in range(4)]


@pytest.mark.parametrize(
    ("width", "scale", "lead", "cards"),
    [
        (390, 1, 400, 400),  # a 358-pixel column: the smallest rendition for every card
        (390, 2, 800, 800),
        (1280, 1, 800, 400),  # the lead is 3/5 of the page, the grid a third
    ],
)
def test_the_browser_fetches_renditions_sized_for_the_screen_never_the_original(
    live_server, four_stories, open_context, width, scale, lead, cards
):
    context = open_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    page = context.new_page()
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))

    page.goto(live_server.url + "/", wait_until="networkidle")
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_function("() => [...document.images].every((image) => image.complete)")

    shown = page.locator(".card__image img").evaluate_all(
        "images => images.map((image) => image.currentSrc)"
    )
    assert [rendition_width(url) for url in shown] == [lead] + [cards] * 3, shown
    images = [url for url in fetched if "/media/" in url]
    assert sorted(images) == sorted(shown)  # one download each, and no original
    assert not any(url.endswith(".jpg") for url in images), images


def rendition_width(url: str) -> int | None:
    """400 for ".../story-400w.webp"; None for an original."""
    found = re.search(r"-(\d+)w\.webp$", url)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "dark")])
def test_home_page_with_renditions_is_accessible(
    live_server, four_stories, open_context, assert_accessible, width, scheme
):
    page = open_context(viewport={"width": width, "height": 800}, color_scheme=scheme).new_page()
    page.goto(live_server.url + "/", wait_until="networkidle")

    assert_accessible(page)
