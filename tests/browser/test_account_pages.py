"""The account pages as a reader walks them, at desktop and phone widths: joining, confirming,
choosing a display name, resetting a password and managing email addresses."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from tests import factories

from .test_accounts import confirmation_path

PASSWORD = "shutter-speed-1/125"
NEW_PASSWORD = "aperture-priority-f/8"

VIEWS = [
    pytest.param(({"width": 1280, "height": 900}, "light"), id="1280-light"),
    pytest.param(({"width": 390, "height": 844}, "dark"), id="390-dark"),
]


@pytest.fixture
def reader_page(open_context, request):
    viewport, scheme = request.param
    return open_context(viewport=viewport, color_scheme=scheme).new_page()


def heading(page):
    return page.get_by_role("heading", level=1)


def account_nav(page):
    return page.get_by_role("navigation", name="Your account")


def no_colon_after_any_label(page):
    labels = page.locator("main label").all_inner_texts()
    assert labels
    assert not [label for label in labels if label.strip().endswith(":")], labels


def reset_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body).group(1)


@pytest.mark.parametrize("reader_page", VIEWS, indirect=True)
def test_a_reader_joins_confirms_and_is_named_by_the_name_chosen_at_sign_up(
    reader_page, live_server, transactional_db, assert_accessible
):
    page = reader_page
    page.goto(live_server.url + "/")
    account_nav(page).get_by_role("link", name="Sign up").click()
    expect(heading(page)).to_have_text("Sign up")
    no_colon_after_any_label(page)
    assert_accessible(page)

    page.locator("main").get_by_label("Email", exact=True).fill("ffion@example.com")
    page.get_by_label("Name shown with your comments").fill("Ffion Hughes")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(heading(page)).to_have_text("Check your email")
    expect(page.locator("main")).not_to_contain_text("contact us")
    assert_accessible(page)

    [message] = mail.outbox
    page.goto(live_server.url + confirmation_path(message))
    expect(heading(page)).to_have_text("Confirm your email address")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    # The name was given at sign-up: no second question, straight on to the magazine.
    expect(page).to_have_url(live_server.url + "/")
    expect(account_nav(page).get_by_role("link", name="Ffion Hughes")).to_be_visible()
    expect(page.locator(".site-header")).not_to_contain_text("ffion@")


@pytest.mark.parametrize("reader_page", VIEWS, indirect=True)
def test_a_member_without_a_name_confirms_their_address_and_chooses_one(
    reader_page, live_server, transactional_db, assert_accessible
):
    # An account made in the admin without a display name, its address not yet confirmed.
    user = factories.create_user(email="owain@example.com", password=PASSWORD, username="member")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    page = reader_page

    page.goto(live_server.url + "/accounts/login/")
    expect(heading(page)).to_have_text("Sign in")
    no_colon_after_any_label(page)
    assert_accessible(page)
    page.locator("main").get_by_label("Email", exact=True).fill("owain@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Check your email")

    [message] = mail.outbox
    page.goto(live_server.url + confirmation_path(message))
    page.get_by_role("button", name="Confirm").click()

    expect(heading(page)).to_have_text("Choose your display name")
    name = page.get_by_label("Display name")
    expect(name).to_have_accessible_description(re.compile("name shown beside your comments"))
    no_colon_after_any_label(page)
    assert_accessible(page)

    name.fill("...")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".field--error")).to_contain_text("at least one letter or number")
    assert_accessible(page)

    page.get_by_label("Display name").fill("Owain Jenkins")
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("status")).to_contain_text("Welcome to Frame & Grain, Owain Jenkins.")
    expect(account_nav(page).get_by_role("link", name="Owain Jenkins")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("owain@example.com")
    assert_accessible(page)


@pytest.mark.parametrize("reader_page", VIEWS, indirect=True)
def test_a_member_resets_their_password_and_signs_in_from_the_done_page(
    reader_page, live_server, transactional_db, assert_accessible
):
    user = factories.create_user(email="sian@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    page = reader_page

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(heading(page)).to_have_text("Reset your password")
    assert_accessible(page)
    page.locator("main").get_by_label("Email", exact=True).fill(user.email)
    page.get_by_role("button", name="Send the link").click()
    expect(heading(page)).to_have_text("Check your email")
    assert_accessible(page)

    [message] = mail.outbox
    page.goto(live_server.url + reset_path(message))
    expect(heading(page)).to_have_text("Choose a new password")
    no_colon_after_any_label(page)
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()

    expect(heading(page)).to_have_text("Your password is changed")
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="Sign in").click()
    page.locator("main").get_by_label("Email", exact=True).fill(user.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(account_nav(page).get_by_role("link", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("reader_page", VIEWS, indirect=True)
def test_a_member_manages_their_email_addresses(
    reader_page, live_server, transactional_db, assert_accessible
):
    user = factories.create_user(email="cerys@example.com", password=PASSWORD, display_name="Cerys")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    EmailAddress.objects.create(user=user, email="cerys@studio.example", verified=False)
    page = reader_page
    page.goto(live_server.url + "/accounts/login/?next=/accounts/email/")
    page.locator("main").get_by_label("Email", exact=True).fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(heading(page)).to_have_text("Email addresses")
    confirmed = page.locator(".email-address", has_text="cerys@example.com")
    expect(confirmed).to_contain_text("Primary")
    expect(confirmed).to_contain_text("Confirmed")
    expect(confirmed.get_by_role("button")).to_have_count(0)
    unconfirmed = page.locator(".email-address", has_text="cerys@studio.example")
    expect(unconfirmed).to_contain_text("Not confirmed")
    no_colon_after_any_label(page)
    assert_accessible(page)

    unconfirmed.get_by_role("button", name="Send the confirmation link again").click()
    expect(page.get_by_role("status")).to_contain_text(
        "We have sent a confirmation link to cerys@studio.example."
    )
    [message] = mail.outbox
    assert message.to == ["cerys@studio.example"]
    assert_accessible(page)
