"""A moderator reading an article clears its held comments where they sit, in Chromium: with
the keyboard, with and without JavaScript, at desktop and phone widths."""

import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from forum.comments.models import AuditEntry, Comment
from tests import factories

from .test_comments import PASSWORD, sign_in

MODERATOR = "moderator@example.com"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("COMMENT_SHOTS")  # a folder: save the screenshots there


@pytest.fixture
def moderator(transactional_db):
    user = factories.create_staff(email=MODERATOR, password=PASSWORD, groups=("Moderators",))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def held(article):
    """A published comment and a reply to it held for moderation."""
    first = factories.create_comment(
        article=article, name="Mina Hale", body="The harbour frames are the best of the set."
    )
    return factories.create_comment(
        article=article,
        parent=first,
        name="Pavel Brandt",
        body="Agreed. I printed two of them on [baryta](https://paper.example) at home.",
        status=Comment.Status.PENDING,
        status_reasons=["first comment from this email"],
    )


def moderators_page(open_context, live_server, **options):
    page = open_context(**options).new_page()
    sign_in(page, live_server.url + "/accounts/login/", MODERATOR)
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    return page


def test_a_moderator_approves_a_held_reply_from_the_keyboard_and_lands_on_it(
    live_server, article, moderator, held, open_context, assert_accessible
):
    url = live_server.url + article.get_absolute_url()
    page = moderators_page(open_context, live_server)
    page.goto(url)
    comment = page.locator(f"#comment-{held.pk}")
    expect(comment).to_contain_text("Held for moderation: first comment from this email.")
    assert_accessible(page)

    comment.get_by_role("link", name="baryta").focus()  # the last link in its text
    page.keyboard.press("Tab")
    approve = comment.get_by_role("button", name="Approve the comment by Pavel Brandt")
    expect(approve).to_be_focused()
    assert approve.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"#comment-{held.pk}$"))
    expect(comment).to_be_in_viewport()
    notice = page.locator(f"article#comment-{held.pk} + #comment-notices")
    expect(notice).to_contain_text("The comment by Pavel Brandt is approved: readers see it now.")
    expect(comment).not_to_contain_text("Held for moderation")
    expect(comment.get_by_role("button", name="Approve the comment by Pavel Brandt")).to_have_count(
        0
    )
    assert_accessible(page)
    entry = AuditEntry.objects.get(comment=held, action=AuditEntry.Action.STATUS)
    assert (entry.actor, entry.new_status) == (moderator, Comment.Status.APPROVED)

    guest = open_context().new_page()
    guest.goto(url)
    expect(guest.locator(f"#comment-{held.pk}")).to_contain_text("printed two of them")
    expect(guest.locator(".comment__moderation")).to_have_count(0)


def test_a_moderator_without_javascript_removes_a_comment_and_readers_no_longer_see_it(
    live_server, article, moderator, held, open_context
):
    url = live_server.url + article.get_absolute_url()
    guest = open_context().new_page()
    guest.goto(url)
    first = Comment.objects.get(parent=None)
    expect(guest.locator(f"#comment-{first.pk}")).to_be_visible()
    page = moderators_page(open_context, live_server, java_script_enabled=False)
    page.goto(url)

    page.get_by_role("button", name="Remove the comment by Mina Hale").click()

    expect(page).to_have_url(re.compile(rf"#comment-{first.pk}$"))
    expect(page.locator("#comment-notices")).to_contain_text(
        "The comment by Mina Hale is removed: readers no longer see it."
    )
    expect(page.locator(f"#comment-{first.pk}")).to_contain_text("Removed")
    if SHOTS:
        page.locator("#comment-list").screenshot(path=Path(SHOTS) / "moderate-in-place-removed.png")
    guest.reload()
    expect(guest.get_by_text("harbour frames")).to_have_count(0)


@pytest.mark.parametrize(
    ("viewport", "scheme"), [(DESKTOP, "light"), (PHONE, "dark")], ids=["1280-light", "390-dark"]
)
def test_the_held_comment_and_its_buttons_at_each_width(
    live_server, article, moderator, held, open_context, assert_accessible, scheme, viewport
):
    """Saved as screenshots when COMMENT_SHOTS names a folder."""
    page = moderators_page(open_context, live_server, viewport=viewport, color_scheme=scheme)
    page.goto(f"{live_server.url}{article.get_absolute_url()}#comment-{held.pk}")
    comment = page.locator(f"#comment-{held.pk}")
    buttons = comment.locator(".comment__moderation")

    expect(buttons).to_be_in_viewport()
    box = buttons.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page, f"#comment-{held.pk}")
    if SHOTS:
        # The whole thread, without the tint of the comment linked to.
        page.goto(f"{live_server.url}{article.get_absolute_url()}")
        shot = Path(SHOTS) / f"moderate-in-place-{viewport['width']}-{scheme}.png"
        page.locator("#comment-list").screenshot(path=shot)
