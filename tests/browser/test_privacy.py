"""A member takes a copy of their data and deletes their account, keeping their comments
anonymised; a guest's link opens their data. At desktop and phone widths, with axe."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from forum.comments.models import Comment
from forum.pages.models import Page
from forum.pages.starter import create_missing_pages
from forum.privacy.links import guest_url
from forum.privacy.models import GuestLink
from tests import factories

PASSWORD = "contact-sheet-36"  # noqa: S105

LOOKS = [
    pytest.param(({"width": 1280, "height": 900}, "light"), id="1280-light"),
    pytest.param(({"width": 390, "height": 844}, "dark"), id="390-dark"),
]


@pytest.fixture
def look(open_context, request):
    viewport, scheme = request.param
    return open_context(viewport=viewport, color_scheme=scheme, accept_downloads=True).new_page()


def heading(page):
    return page.get_by_role("heading", level=1)


@pytest.mark.parametrize("look", LOOKS, indirect=True)
def test_a_member_downloads_their_data_and_deletes_their_account_keeping_comments_anonymised(
    look, live_server, article, assert_accessible
):
    page = look
    member = factories.create_user(
        email="tamsin@example.com", password=PASSWORD, display_name="Tamsin Rook"
    )
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    theirs = factories.create_comment(
        article=article, user=member, body="Pushed two stops and still clean."
    )
    factories.create_comment(
        article=article, parent=theirs, name="Ivo", email="ivo@example.org", body="Which developer?"
    )

    page.goto(live_server.url + "/accounts/login/")
    page.locator("main").get_by_label("Email", exact=True).fill(member.email)
    page.locator("main").get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/privacy/your-data/")
    expect(heading(page)).to_have_text("Your data")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(download.value.path().read_text())
    assert data["account"]["display_name"] == "Tamsin Rook"
    assert data["comments"][0]["text"] == "Pushed two stops and still clean."

    page.get_by_role("link", name="Delete my account…").click()
    expect(heading(page)).to_have_text("Confirm it is you")
    page.locator("main").get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()
    expect(heading(page)).to_have_text("Delete your account")
    assert_accessible(page)

    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Please tick the box to confirm")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Anonymise my comments").check()
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()

    expect(heading(page)).to_have_text("Your account is deleted")
    expect(page.locator("main")).to_contain_text("signed “Former member”")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text("Sign in")
    assert_accessible(page)
    assert not get_user_model().objects.filter(email="tamsin@example.com").exists()

    page.goto(live_server.url + article.get_absolute_url())
    remark = page.locator(f"#comment-{theirs.pk}")
    expect(remark).to_contain_text("Former member")
    expect(remark).to_contain_text("Pushed two stops and still clean.")
    expect(page.locator("#comments")).to_contain_text("Which developer?")
    assert Comment.objects.get(pk=theirs.pk).email == ""


@pytest.mark.parametrize("look", LOOKS, indirect=True)
def test_a_guests_link_shows_their_data_and_the_privacy_page_links_to_it(
    look, live_server, article, assert_accessible
):
    page = look
    create_missing_pages(Page)  # the live server's database starts empty
    factories.create_comment(article=article, email="ivo@example.org", name="Ivo")

    page.goto(live_server.url + "/privacy/")
    expect(page.get_by_role("heading", name="What we store and for how long")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="ask for a link by email").click()
    expect(heading(page)).to_have_text("Your data, without an account")
    assert_accessible(page)

    page.goto(guest_url(GuestLink.objects.create(email="ivo@example.org")))
    expect(heading(page)).to_have_text("Your data")
    expect(page.locator("main")).to_contain_text("ivo@example.org")
    assert_accessible(page)
    page.get_by_label("Remove my comments").check()
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Erase my data").click()

    expect(heading(page)).to_have_text("Your data is erased")
    assert not Comment.objects.filter(email="ivo@example.org").exists()


@pytest.mark.parametrize("look", LOOKS, indirect=True)
def test_a_former_moderator_is_told_why_their_account_stays(
    look, live_server, article, assert_accessible
):
    """PRIVACY_SHOTS names a folder to save a screenshot of the page in."""
    import os

    from forum.comments.models import AuditEntry

    page = look
    member = factories.create_user(
        email="hollis@example.com", password=PASSWORD, display_name="Hollis Vane"
    )
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    comment = factories.create_comment(article=article)
    AuditEntry.objects.create(comment=comment, actor=member, reason="Off-topic")

    page.goto(live_server.url + "/accounts/login/")
    page.locator("main").get_by_label("Email", exact=True).fill(member.email)
    page.locator("main").get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/privacy/your-data/")

    note = page.get_by_text("made moderation or editing decisions")
    expect(note).to_be_visible()
    expect(page.get_by_role("link", name="Delete my account…")).to_have_count(0)
    assert_accessible(page)
    if shots := os.environ.get("PRIVACY_SHOTS"):
        width = page.viewport_size["width"]
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(
                path=f"{shots}/your-data-decisions-{width}-{scheme}.png", full_page=True
            )
