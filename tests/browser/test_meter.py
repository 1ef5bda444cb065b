"""The reading meter as a reader meets it: two free articles, the third one whole with the
invitation below it, checked with axe, and "Not now" with JavaScript on and off."""

import pytest
from playwright.sync_api import expect

from tests import factories

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def three_articles(transactional_db, site_settings):
    site_settings(free_articles_a_month=2)
    author = factories.create_author(name="Ada Lowe", slug="ada-lowe")
    return [
        factories.create_article(title=title, author=author)
        for title in (
            "Pushing HP5 to 3200",
            "A week with a Rolleiflex",
            "Scanning negatives at home",
        )
    ]


def read_three(page, live_server, articles):
    for article in articles:
        page.goto(live_server.url + article.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    return page.get_by_role("complementary", name="You have read 2 articles this month")


def test_the_third_article_invites_and_not_now_hides_it_in_place(
    page, live_server, three_articles, assert_accessible
):
    invitation = read_three(page, live_server, three_articles)

    expect(invitation).to_be_visible()
    expect(invitation).to_contain_text("Frame & Grain is free to read and paid for by its readers")
    expect(invitation.get_by_role("link", name="Support the magazine")).to_have_attribute(
        "href", "/support/"
    )
    expect(invitation.get_by_role("link", name="Join the newsletter")).to_have_attribute(
        "href", "/newsletter/"
    )
    expect(page.locator(".prose")).to_be_visible()
    assert_accessible(page)

    invitation.get_by_role("button", name="Not now").click()

    expect(invitation).to_have_count(0)
    expect(page.get_by_role("heading", name="Join the conversation")).to_be_focused()
    assert page.url.endswith(three_articles[2].get_absolute_url())  # no reload, no redirect
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(three_articles[2].title)
    expect(page.locator("[data-reading-meter]")).to_have_count(0)


def test_the_invitation_passes_axe_on_a_phone_in_dark_mode(
    open_context, live_server, three_articles, assert_accessible
):
    page = open_context(viewport=SIZES["phone"], color_scheme="dark").new_page()
    expect(read_three(page, live_server, three_articles)).to_be_visible()

    assert_accessible(page)


def test_not_now_works_with_javascript_off(open_context, live_server, three_articles):
    page = open_context(java_script_enabled=False).new_page()
    invitation = read_three(page, live_server, three_articles)
    expect(invitation).to_be_visible()

    invitation.get_by_role("button", name="Not now").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(three_articles[2].title)
    assert page.url.endswith(three_articles[2].get_absolute_url() + "#comments")
    expect(page.locator("[data-reading-meter]")).to_have_count(0)
    page.goto(live_server.url + three_articles[0].get_absolute_url())
    expect(page.locator("[data-reading-meter]")).to_have_count(0)
