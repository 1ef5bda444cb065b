"""The header's section navigation on a phone: every section in sight, none clipped."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .conftest import format_violations, run_axe

SECTIONS = {
    "Cameras": "cameras",
    "Lenses": "lenses",
    "Film & Darkroom": "film-and-darkroom",
    "Technique": "technique",
    "Community": "community",
}

# Where each link sits: its box, and whether the element at its centre is the link itself
# (not covered, not cut off by an ancestor's overflow).
LINK_BOXES = """els => els.map((el) => {
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
        name: el.textContent.trim(),
        left: box.left, right: box.right, top: box.top, bottom: box.bottom,
        onTop: el === hit || el.contains(hit),
        clipped: el.scrollWidth > el.clientWidth + 1,
    };
})"""


@pytest.fixture
def sections(transactional_db):
    for position, (name, slug) in enumerate(SECTIONS.items(), start=1):
        factories.create_category(name=name, slug=slug, position=position)


@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (390, "dark")])
def test_every_section_is_in_sight_on_a_phone(
    live_server, sections, open_context, axe_source, width, scheme
):
    page = open_context(viewport={"width": width, "height": 740}, color_scheme=scheme).new_page()
    page.goto(live_server.url + "/section/technique/")
    nav = page.get_by_role("navigation", name="Sections")

    for name in SECTIONS:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    boxes = nav.locator("a").evaluate_all(LINK_BOXES)
    assert [box["name"] for box in boxes] == list(SECTIONS)
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= width, f"{box['name']} is cut off: {box}"
        assert box["onTop"] and not box["clipped"], f"{box['name']} is hidden: {box}"
    # The page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The keyboard meets the links in the order they are read: row by row, left to right.
    reading_order = sorted(boxes, key=lambda box: (round(box["top"]), box["left"]))
    assert [box["name"] for box in reading_order] == list(SECTIONS)
    account = page.get_by_role("navigation", name="Your account").bounding_box()
    assert account["y"] >= max(box["bottom"] for box in boxes) - 1

    # Focus is visible on a section link.
    page.get_by_role("link", name="Skip to content").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Cameras"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"

    expect(nav.get_by_role("link", name="Technique")).to_have_attribute("aria-current", "true")
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(violations)


def test_sections_share_one_row_with_the_title_on_a_desktop(live_server, sections, open_context):
    page = open_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(live_server.url + "/")
    title = page.locator(".site-title").bounding_box()
    nav = page.get_by_role("navigation", name="Sections")
    tops = {round(box["top"]) for box in nav.locator("a").evaluate_all(LINK_BOXES)}
    assert len(tops) == 1
    assert abs(nav.bounding_box()["y"] - title["y"]) < title["height"]
