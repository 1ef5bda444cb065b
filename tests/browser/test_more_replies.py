"""A long thread in Chromium: its first replies, and "Show N more replies" loaded in place
(with the keyboard, focus on the first reply not seen before) or, without JavaScript, the page
again with the thread in full."""

import os
from pathlib import Path

from playwright.sync_api import expect

from forum.comments.tree import REPLIES_SHOWN
from tests import factories

SHOTS = os.environ.get("COMMENT_SHOTS")  # a folder: save screenshots there


def long_thread(article):
    root = factories.create_comment(article=article, name="Ines Moreau",
                                    body="Does anyone still print from these negatives?")  # fmt: skip
    replies = [
        factories.create_comment(
            article=article,
            parent=root,
            name=f"Reader {n}",
            body=f"Reply {n}: yes, on fibre paper, slowly.",
        )  # fmt: skip
        for n in range(REPLIES_SHOWN + 4)
    ]
    return root, replies


def test_show_more_replies_loads_the_rest_of_the_thread_in_place(
    page, live_server, article, assert_accessible
):
    root, replies = long_thread(article)
    page.goto(live_server.url + article.get_absolute_url())
    hidden = page.locator(f"#comment-{replies[REPLIES_SHOWN].pk}")
    expect(hidden).to_have_count(0)
    link = page.get_by_role("link", name="Show 4 more replies to Ines Moreau")
    assert_accessible(page, "#comments")

    link.focus()
    page.keyboard.press("Enter")

    expect(hidden).to_be_visible()
    expect(hidden).to_be_focused()
    expect(page.locator("#comments article.comment")).to_have_count(1 + len(replies))
    expect(page.get_by_role("link", name="Show 4 more replies to Ines Moreau")).to_have_count(0)
    assert "expand" not in page.url  # loaded in place, not a new page
    assert_accessible(page, "#comments")
    if SHOTS:
        hidden.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / "comments-more-replies.png"))


def test_without_javascript_the_link_opens_the_thread_in_full(live_server, article, open_context):
    root, replies = long_thread(article)
    page = open_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    ).new_page()
    page.goto(live_server.url + article.get_absolute_url())

    page.get_by_role("link", name="Show 4 more replies to Ines Moreau").click()

    first_unseen = page.locator(f"#comment-{replies[REPLIES_SHOWN].pk}")
    expect(first_unseen).to_be_visible()
    expect(first_unseen).to_be_in_viewport()
    expect(page.locator("#comments article.comment")).to_have_count(1 + len(replies))
