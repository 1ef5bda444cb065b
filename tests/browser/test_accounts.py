"""A reader becomes a member: sign up, confirm the emailed link, sign in."""

import re

from django.core import mail
from playwright.sync_api import expect

PASSWORD = "shutter-speed-1/125"


def confirmation_path(message) -> str:
    """The path of the link in the email (its origin is the production one, https)."""
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body).group(1)


def test_reader_signs_up_confirms_by_email_and_signs_in(
    page, live_server, transactional_db, assert_accessible
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    assert_accessible(page)

    # A mistake first: the error shows beside the field and the email address stays.
    page.locator("main").get_by_label("Email", exact=True).fill("new.reader@example.com")
    page.get_by_label("Name shown with your comments").fill("New Reader")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.locator(".field--error")).to_contain_text("same password")
    expect(page.locator("main").get_by_label("Email", exact=True)).to_have_value(
        "new.reader@example.com"
    )
    assert_accessible(page)

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    [message] = mail.outbox
    assert message.to == ["new.reader@example.com"]
    page.goto(live_server.url + confirmation_path(message))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.locator("main").get_by_label("Email", exact=True).fill("new.reader@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="New Reader")).to_be_visible()
    expect(page.locator(".site-header")).not_to_contain_text("new.reader")


def test_unconfirmed_member_cannot_sign_in(page, live_server, transactional_db):
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("main").get_by_label("Email", exact=True).fill("hasty@example.com")
    page.get_by_label("Name shown with your comments").fill("Hasty")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("main").get_by_label("Email", exact=True).fill("hasty@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
