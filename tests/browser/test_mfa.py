"""A moderator turns on two-factor authentication in the browser, signs in with a code, and
sees where they are signed in; axe on each page. MFA_SHOTS names a folder to save screenshots
of every look in (desktop-light and phone-dark only without it)."""

import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from playwright.sync_api import expect

from tests import factories
from tests.members.test_mfa import totp

PASSWORD = "shutter-speed-1/125"
SHOTS = os.environ.get("MFA_SHOTS")

LOOKS = [
    pytest.param(({"width": 1280, "height": 900}, "light"), id="1280-light"),
    pytest.param(({"width": 1280, "height": 900}, "dark"), id="1280-dark"),
    pytest.param(({"width": 390, "height": 844}, "light"), id="390-light"),
    pytest.param(({"width": 390, "height": 844}, "dark"), id="390-dark"),
]
if not SHOTS:
    LOOKS = LOOKS[::3]


@pytest.fixture
def look(request):
    return request.param


def shot(page, name, look):
    if SHOTS:
        viewport, scheme = look
        path = Path(SHOTS) / f"{name}-{viewport['width']}-{scheme}.png"
        page.screenshot(path=path, full_page=True)


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.locator("main").get_by_label("Email", exact=True).fill(email)
    page.locator("main").get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("look", LOOKS, indirect=True)
def test_a_moderator_turns_on_two_factor_authentication_and_signs_in_with_a_code(
    look, open_context, live_server, transactional_db, assert_accessible
):
    moderator = factories.create_staff(
        email="mod@example.com", password=PASSWORD, groups=("Moderators",), display_name="Mo"
    )
    EmailAddress.objects.create(user=moderator, email=moderator.email, verified=True, primary=True)
    viewport, scheme = look
    page = open_context(viewport=viewport, color_scheme=scheme).new_page()
    base = live_server.url

    sign_in(page, base, moderator.email)
    page.goto(base + "/accounts/profile/")
    shot(page, "profile", look)
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    assert_accessible(page)
    shot(page, "mfa-index-off", look)

    page.get_by_role("link", name="Set up an authenticator app").click()
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks again before this change
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data: URI is allowed by the CSP
    assert_accessible(page)
    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator("main .errorlist")).to_be_visible()
    shot(page, "mfa-activate-error", look)
    secret = page.locator(".mfa-secret").inner_text()
    page.get_by_label("Code from your app").fill(totp(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    assert_accessible(page)
    shot(page, "mfa-recovery-codes", look)

    page.goto(base + "/accounts/2fa/")
    shot(page, "mfa-index-on", look)
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Sign out").click()
    page.locator("main").get_by_role("button", name="Sign out").click()
    cache.clear()  # a new 30-second window: allauth refuses a code twice in one
    sign_in(page, base, moderator.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your code")
    assert_accessible(page)
    shot(page, "mfa-authenticate", look)
    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/accounts/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you are signed in")
    assert_accessible(page)
    shot(page, "sessions", look)
