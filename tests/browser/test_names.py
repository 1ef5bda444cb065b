"""Names written with direction controls stay in their own box in Chromium: a right-to-left
override in a name reverses the name, not the date and links that follow it."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .test_comments import fill_guest, post

REVERSING_NAME = "abc\u202edef"  # a right-to-left override: what follows it runs backwards


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Without smooth scrolling, the boxes measured are where the page comes to rest.
    return {**browser_context_args, "reduced_motion": "reduce"}


def box(locator) -> dict:
    expect(locator).to_be_visible()
    return locator.bounding_box()


def test_a_name_with_a_right_to_left_override_leaves_the_date_after_it(
    page, live_server, article, assert_accessible
):
    page.goto(live_server.url + article.get_absolute_url())
    fill_guest(page, "The meter reads a stop hot under tungsten.", name=REVERSING_NAME)
    pk = post(page)

    byline = page.locator(f"#comment-{pk} .comment__byline")
    name = byline.locator("bdi")
    expect(name).to_have_text(REVERSING_NAME)
    expect(name.locator("time")).to_have_count(0)
    date = byline.locator("time")
    expect(date).to_have_count(1)
    # Laid out left to right: the name's box ends before the date's begins, on one line.
    author, shown = box(byline.locator(".comment__author")), box(date)
    assert author["x"] + author["width"] <= shown["x"] + 0.5
    assert abs(author["y"] - shown["y"]) < author["height"]
    assert_accessible(page, f"#comment-{pk}")


def test_replying_to_a_name_with_a_right_to_left_override_keeps_the_line_in_order(
    page, live_server, article
):
    comment = factories.create_comment(article=article, name=REVERSING_NAME)
    page.goto(live_server.url + article.get_absolute_url())

    page.locator(f"#comment-{comment.pk} .comment__reply").click()

    note = page.locator("#replying-to")
    expect(note.locator("bdi")).to_have_text(REVERSING_NAME)
    name, cancel = box(note.locator("#replying-to-link")), box(note.locator("#cancel-reply"))
    assert name["x"] + name["width"] <= cancel["x"] + 0.5
