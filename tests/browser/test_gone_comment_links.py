"""Old links to comments that are no longer public, and the way to the form from the top of a
long discussion, in Chromium: with and without JavaScript, by keyboard, checked with axe."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forum.comments.models import Comment
from tests import factories

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("COMMENT_SHOTS")  # a folder: save each state's screenshots there
NOTE = "That comment is no longer available."


@pytest.fixture
def discussion(transactional_db):
    """A long article with a long discussion: one comment taken down, one deleted outright."""
    body = "\n\n".join(
        f"Paragraph {n}: the meter needle swings as the light changes across the street."
        for n in range(30)
    )
    article = factories.create_article(title="Living with an M6", slug="m6", body=body)
    comments = [
        factories.create_comment(article=article, name=f"Reader {n}", body="Good light today.")
        for n in range(12)
    ]
    removed = factories.create_comment(article=article, status=Comment.Status.REMOVED)
    gone = factories.create_comment(article=article)
    gone_pk = gone.pk
    gone.delete()
    return article, comments, removed.pk, gone_pk


def shot(page, name):
    if SHOTS:
        page.screenshot(path=Path(SHOTS) / f"{name}.png")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_an_old_link_to_a_removed_comment_lands_on_the_discussion_with_a_note(
    live_server, discussion, open_context, assert_accessible, size
):
    article, _, removed, gone = discussion
    viewport = PHONE if size == "phone" else DESKTOP
    page = open_context(viewport=viewport).new_page()

    for pk in (removed, gone):
        page.goto(f"{live_server.url}{article.get_absolute_url()}#comment-{pk}")

        expect(page).to_have_url(f"{live_server.url}{article.get_absolute_url()}#comments")
        note = page.locator("#comments #comment-notices")
        expect(note).to_have_role("status")
        expect(note).to_have_text(NOTE)
        expect(note).to_be_in_viewport()
    assert_accessible(page)
    shot(page, f"comment-gone-{size}")


def test_a_permalink_to_a_removed_comment_lands_on_the_discussion_without_javascript(
    live_server, discussion, open_context
):
    article, _, removed, _ = discussion
    page = open_context(java_script_enabled=False, viewport=PHONE).new_page()

    page.goto(f"{live_server.url}/comments/{removed}/")

    expect(page).to_have_url(re.compile(r"/m6/#comments$"))
    expect(page.locator("#comment-notices")).to_have_text(NOTE)
    expect(page.locator("#comment-notices")).to_be_in_viewport()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_top_of_the_discussion_leads_to_the_form_by_keyboard(
    live_server, discussion, open_context, assert_accessible, size
):
    article, _, _, _ = discussion
    viewport = PHONE if size == "phone" else DESKTOP
    page = open_context(viewport=viewport).new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}#comments")
    link = page.locator(".comments__leave").get_by_role("link", name="Leave a comment")
    expect(link).to_be_in_viewport()
    shot(page, f"comments-leave-link-{size}")
    assert_accessible(page, "#comments")

    link.focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile("#respond$"))
    expect(page.locator("#respond-heading")).to_be_in_viewport()
    page.keyboard.press("Tab")
    # The next stop is in the form's block (here the guest's "sign in" link above the fields).
    expect(page.locator("#respond :focus")).to_have_count(1)


def test_leave_a_comment_brings_the_form_back_from_an_inline_reply(page, live_server, discussion):
    article, comments, _, _ = discussion
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f"#comment-{comments[3].pk}").get_by_role("link", name="Reply").click()
    expect(page.locator("#respond")).to_have_class(re.compile("respond--inline"))

    page.locator(".comments__leave").get_by_role("link", name="Leave a comment").click()

    respond = page.locator("#respond")
    expect(respond).not_to_have_class(re.compile("respond--inline"))
    expect(page.locator("#comment-list #respond")).to_have_count(0)
    expect(page.locator("#respond-heading")).to_have_text("Leave a comment")
    expect(page.locator("#respond-heading")).to_be_in_viewport()
    expect(page.locator("#respond input[name=parent]")).to_have_value("")


def test_the_top_of_the_discussion_leads_to_the_form_without_javascript(
    live_server, discussion, open_context
):
    article, _, _, _ = discussion
    page = open_context(java_script_enabled=False, viewport=PHONE).new_page()
    page.goto(f"{live_server.url}{article.get_absolute_url()}#comments")

    page.locator(".comments__leave").get_by_role("link", name="Leave a comment").click()

    expect(page).to_have_url(re.compile("#respond$"))
    expect(page.locator("#respond-heading")).to_be_in_viewport()
