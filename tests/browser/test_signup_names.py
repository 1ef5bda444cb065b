"""A new member chooses the name shown with their comments; their email stays private."""

from django.core import mail
from playwright.sync_api import expect

from .test_accounts import confirmation_path

PASSWORD = "shutter-speed-1/125"
EMAIL = "carys.member@example.com"


def test_a_new_member_signs_up_with_a_display_name_and_comments_under_it(
    page, live_server, article, assert_accessible
):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("main").get_by_label("Email", exact=True).fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)

    # The browser asks for the name (the field is required); a name without a letter or
    # number is refused by the site beside that field, and what was typed is kept.
    name = page.get_by_label("Name shown with your comments")
    expect(name).to_have_attribute("required", "")
    name.fill("...")
    page.locator("form button[type=submit]").click()
    expect(page.locator(".field--error")).to_contain_text("at least one letter or number")
    expect(name.locator("xpath=ancestor::*[contains(@class, 'field--error')]")).to_be_visible()
    expect(page.locator("main").get_by_label("Email", exact=True)).to_have_value(EMAIL)
    assert mail.outbox == []
    assert_accessible(page)

    name.fill("Carys Pritchard")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    [message] = mail.outbox
    page.goto(live_server.url + confirmation_path(message))
    page.locator("main form button[type=submit]").click()

    account = page.get_by_role("navigation", name="Your account")
    expect(account.get_by_role("link", name="Carys Pritchard")).to_be_visible()
    expect(page.locator(".site-header")).not_to_contain_text(EMAIL)
    expect(page.locator(".site-header")).not_to_contain_text("carys.member")

    page.goto(live_server.url + article.get_absolute_url() + "#respond")
    page.get_by_label("Comment", exact=True).fill("My first roll through the M6 came back sharp.")
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator("article.comment", has_text="My first roll through the M6")
    expect(mine).to_contain_text("Carys Pritchard")
    expect(page.locator("body")).not_to_contain_text("carys.member")
    assert_accessible(page)
