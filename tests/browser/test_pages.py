"""A reader finds the comment policy from the footer, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from forum.pages.models import Page
from forum.pages.starter import create_missing_pages

from .conftest import format_violations, run_axe


@pytest.fixture
def pages(transactional_db):
    """The standing pages as the migration makes them (a transactional test flushes them)."""
    create_missing_pages(Page)


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "dark")])
def test_reader_follows_the_footer_link_to_the_comment_policy(
    live_server, article, pages, open_context, axe_source, width, scheme
):
    page = open_context(viewport={"width": width, "height": 800}, color_scheme=scheme).new_page()
    page.goto(live_server.url + article.get_absolute_url())
    link = page.get_by_role("navigation", name="Site").get_by_role("link", name="Comment policy")

    link.focus()
    expect(link).to_be_in_viewport()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")

    expect(page).to_have_url(live_server.url + "/comment-policy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comment policy")
    expect(page.get_by_role("heading", name="How moderation works")).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumb.get_by_role("link", name="Home")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = run_axe(page, axe_source)
    assert not violations, format_violations(violations)
