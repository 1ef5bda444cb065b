"""Where the reader lands after a refused comment or a confirmed action, in Chromium: at the
form with focus on what went wrong, at their comment with its confirmation beside it."""

import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from forum.comments.models import Comment
from tests import factories

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("COMMENT_SHOTS")  # a folder: save the refused form's screenshots there


@pytest.fixture
def long_article(transactional_db):
    """An article long enough that its form is screens below the top, with a discussion."""
    body = "\n\n".join(
        f"Paragraph {n}: the meter needle swings as the light changes across the street."
        for n in range(40)
    )
    article = factories.create_article(title="Living with an M6", slug="m6", body=body)
    for n in range(3):
        factories.create_comment(article=article, name=f"Reader {n}", body="Good light today.")
    return article


def respond_form(page):
    return page.locator("#respond form")


def fill_guest(page, *, body="A comment I do not want to lose.", name="Mina Hale"):
    form = respond_form(page)
    form.get_by_label("Comment", exact=True).fill(body)
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email", exact=True).fill("mina@example.com")


def test_a_refused_comment_lands_at_the_form_with_focus_on_the_message(
    page, live_server, long_article, form_timer
):
    url = live_server.url + long_article.get_absolute_url()
    page.set_viewport_size(PHONE)
    page.goto(url)
    fill_guest(page)
    respond_form(page).get_by_role("button", name="Post comment").click()  # within seconds

    # The script posts without the form's #respond and lands there itself, with focus.
    expect(page).to_have_url(re.compile(rf"/comments/post/{long_article.pk}/$"))
    message = page.locator("#respond-errors")
    expect(message).to_have_role("alert")
    expect(message).to_contain_text("take a few seconds")
    expect(message).to_be_focused()
    expect(message).to_be_in_viewport()
    expect(respond_form(page).get_by_label("Comment", exact=True)).to_have_value(
        "A comment I do not want to lose."
    )
    assert not Comment.objects.filter(body__startswith="A comment").exists()
    if SHOTS:
        page.screenshot(path=Path(SHOTS) / "comments-form-refused-phone-light.png")

    # Opening that address again (a reload from the address bar, a restored tab).
    page.goto(page.url)
    expect(page).to_have_url(url + "#respond")
    expect(page.locator("#respond")).to_be_in_viewport()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_mistake_lands_at_the_form_with_focus_on_the_first_field_in_error(
    live_server, long_article, open_context, javascript
):
    page = open_context(java_script_enabled=javascript, viewport=PHONE).new_page()
    page.goto(live_server.url + long_article.get_absolute_url())
    form = respond_form(page)
    form.get_by_label("Comment", exact=True).fill("A comment I do not want to lose.")
    form.get_by_label("Email", exact=True).fill("not-an-email")
    form.get_by_role("button", name="Post comment").click()

    # Without JavaScript the form's address carries #respond, and the browser lands there.
    expect(page).to_have_url(re.compile(r"/comments/post/\d+/$" if javascript else "#respond$"))
    expect(page.locator("#respond-heading")).to_be_in_viewport()
    name = form.get_by_label("Name")
    expect(name).to_have_attribute("aria-invalid", "true")
    if javascript:
        expect(name).to_be_focused()
    expect(form.get_by_label("Comment", exact=True)).to_have_value(
        "A comment I do not want to lose."
    )


@pytest.mark.parametrize(("size", "scheme"), [("desktop", "light"), ("phone", "dark")])
def test_refused_form_screenshots(live_server, long_article, open_context, scheme, size):
    """The refused form as the reader lands on it; saved when COMMENT_SHOTS names a folder."""
    viewport = PHONE if size == "phone" else {"width": 1280, "height": 900}
    page = open_context(viewport=viewport, color_scheme=scheme).new_page()
    page.goto(live_server.url + long_article.get_absolute_url())
    form = respond_form(page)
    form.get_by_label("Comment", exact=True).fill("A comment I do not want to lose.")
    form.get_by_label("Email", exact=True).fill("not-an-email")
    form.get_by_role("button", name="Post comment").click()

    expect(form.get_by_label("Name")).to_be_focused()
    expect(page.locator("#respond-heading")).to_be_in_viewport()
    if SHOTS:
        page.screenshot(path=Path(SHOTS) / f"comments-form-errors-{size}-{scheme}.png")


def test_a_confirmation_is_shown_beside_the_landed_comment(page, live_server, long_article):
    page.goto(live_server.url + long_article.get_absolute_url())
    fill_guest(page, body="Posted from the pier.")
    respond_form(page).get_by_role("button", name="Post comment").click()

    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    pk = int(page.url.rpartition("-")[2])
    notice = page.locator(f"article#comment-{pk} + #comment-notices")
    expect(notice).to_have_role("status")
    expect(notice).to_contain_text("Your comment is awaiting moderation and will appear")
    expect(notice).to_be_in_viewport()
    expect(page.locator(".messages")).to_have_count(0)
    if SHOTS:
        page.screenshot(path=Path(SHOTS) / "comments-posted-notice-desktop-light.png")


def test_a_confirmation_without_javascript_is_shown_above_the_thread(
    live_server, long_article, open_context
):
    reader = factories.create_user(email="carys@example.com", password="darkroom-safelight-9")
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    comment = factories.create_comment(article=long_article, user=reader, body="Mine.")
    context = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("main").get_by_label("Email", exact=True).fill("carys@example.com")
    page.get_by_label("Password").fill("darkroom-safelight-9")
    page.get_by_role("button", name="Sign In").click()
    page.goto(live_server.url + f"/comments/{comment.pk}/delete/")
    page.get_by_role("button", name="Delete comment").click()

    expect(page).to_have_url(re.compile(r"#comments$"))
    notice = page.locator("#comments-heading ~ #comment-notices")
    expect(notice).to_have_role("status")
    expect(notice).to_have_text("Your comment was deleted.")
    expect(notice).to_be_in_viewport()
    expect(page.locator(".messages")).to_have_count(0)
