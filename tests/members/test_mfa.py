"""Two-factor authentication (allauth.mfa, authenticator app and recovery codes) for staff."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests import factories

PASSWORD = "a-long-test-password"
LOGIN = "/accounts/login/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
ACTIVATE = "/accounts/2fa/totp/activate/"
ADMIN = "/admin/"

pytestmark = pytest.mark.django_db


def totp(secret: str) -> str:
    """The code an authenticator app shows now (RFC 6238: 30-second steps, 6 digits). allauth
    takes only the current step's code, so with under 5 s of this step left the code of the
    next is waited for, as a person would: otherwise the step can turn before the server
    reads it, on a busy machine."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def next_window():
    """allauth refuses a code already used in its 30-second window; forget that, as if the next
    window had come, so a test need not wait for it."""
    cache.clear()


def log_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def confirm_password(client):
    """allauth asks for the password again before two-factor settings change."""
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})


@pytest.fixture
def moderator():
    user = factories.create_staff(email="mod@example.com", groups=("Moderators",))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def turn_on_totp(client, user) -> str:
    """Sign in with the password and activate an authenticator app; returns its secret."""
    assertRedirects(log_in(client, user.email), "/", fetch_redirect_response=False)
    confirm_password(client)
    page = client.get(ACTIVATE)
    secret = page.context["form"].secret
    response = client.post(ACTIVATE, {"code": totp(secret)})
    assert response.status_code == 302, response.content
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return secret


def test_the_setup_page_shows_the_qr_code_as_an_image_the_csp_allows(client, moderator):
    log_in(client, moderator.email)
    confirm_password(client)

    response = client.get(ACTIVATE)

    assertContains(response, 'src="data:image/svg+xml;base64,')
    assert "data:" in response["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    assertNotContains(response, "<script>")
    assertNotContains(response, " style=")


def test_staff_turn_on_totp_then_sign_in_with_a_code(client, moderator):
    secret = turn_on_totp(client, moderator)
    client.post("/accounts/logout/")
    next_window()

    assertRedirects(log_in(client, moderator.email), AUTHENTICATE, fetch_redirect_response=False)
    assert not client.get("/").wsgi_request.user.is_authenticated  # the password is not enough
    response = client.post(AUTHENTICATE, {"code": totp(secret)})

    assertRedirects(response, "/", fetch_redirect_response=False)
    assert client.get("/").wsgi_request.user == moderator


def test_a_recovery_code_signs_in_once(client, moderator):
    turn_on_totp(client, moderator)
    client.post("/accounts/logout/")
    authenticator = Authenticator.objects.get(
        user=moderator, type=Authenticator.Type.RECOVERY_CODES
    )
    code = RecoveryCodes(authenticator).get_unused_codes()[0]

    log_in(client, moderator.email)
    assertRedirects(client.post(AUTHENTICATE, {"code": code}), "/", fetch_redirect_response=False)
    client.post("/accounts/logout/")
    log_in(client, moderator.email)
    response = client.post(AUTHENTICATE, {"code": code})

    assert response.status_code == 200
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_wrong_code_is_refused_with_a_message_beside_the_field(client, moderator):
    turn_on_totp(client, moderator)
    client.post("/accounts/logout/")
    log_in(client, moderator.email)

    response = client.post(AUTHENTICATE, {"code": "000000"})

    assert response.status_code == 200
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="code"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    described_by = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
    errors = re.search(r'<ul class="errorlist" id="([^"]*)"><li>Incorrect code', html)
    assert errors and errors.group(1) in described_by, html
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_required_for_staff_sends_staff_without_it_to_the_setup_page(client, moderator, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    log_in(client, moderator.email)

    assertRedirects(client.get(ADMIN), ACTIVATE, fetch_redirect_response=False)
    assertRedirects(client.get("/admin/comments/"), ACTIVATE, fetch_redirect_response=False)


def test_required_for_staff_lets_them_through_once_it_is_on(client, moderator, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    turn_on_totp(client, moderator)

    assert client.get(ADMIN).status_code == 200


def test_required_for_staff_leaves_members_and_the_site_alone(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    member = factories.client_as("member")
    moderator = factories.client_as("moderator")

    assert member.get("/accounts/profile/").status_code == 200
    assert moderator.get("/accounts/profile/").status_code == 200
    assert member.get(ADMIN).status_code == 302
    assert "/admin/login/" in member.get(ADMIN)["Location"]


def test_off_by_default_staff_reach_the_admin_without_it(client, moderator):
    log_in(client, moderator.email)

    assert client.get(ADMIN).status_code == 200


@pytest.mark.parametrize("role", factories.ROLES)
def test_the_profile_offers_two_factor_authentication_to_staff_only(role):
    client = factories.client_as(role)

    response = client.get("/accounts/profile/")

    if role == "anonymous":
        assert response.status_code == 302
    elif role == "member":
        assertNotContains(response, "Two-factor authentication")
    else:
        assertContains(response, 'href="/accounts/2fa/"')


def test_staff_turn_it_off_from_its_page(client, moderator):
    turn_on_totp(client, moderator)
    assertContains(client.get("/accounts/2fa/recovery-codes/generate/"), "stop working")

    assertContains(client.get("/accounts/2fa/totp/deactivate/"), "Turn off two-factor")
    client.post("/accounts/2fa/totp/deactivate/")

    assert not Authenticator.objects.filter(user=moderator).exists()


def test_confirming_with_a_code_asks_in_the_sites_words(client, moderator):
    turn_on_totp(client, moderator)

    response = client.get("/accounts/2fa/reauthenticate/")

    assertContains(response, "<h1>Confirm it is you</h1>", html=True)
    assertContains(response, '<label for="id_code">Code</label>', html=True)
