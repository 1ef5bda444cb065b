"""Changing a password and an email address through allauth's pages, in the site's look."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from tests import factories

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another-long-password-9"

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    user = factories.create_user(email="old@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in_as(client, user) -> bool:
    return client.get("/").wsgi_request.user == user


def test_a_member_changes_their_password_and_signs_in_with_the_new_one(client, member):
    log_in(client, member.email)
    page = client.get("/accounts/password/change/")
    assertContains(page, "<h1>Change your password</h1>", html=True)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert signed_in_as(client, member)  # ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE is off
    client.post("/accounts/logout/")
    log_in(client, member.email, PASSWORD)
    assert not signed_in_as(client, member)
    log_in(client, member.email, NEW_PASSWORD)
    assert signed_in_as(client, member)


def test_a_wrong_current_password_is_refused_beside_the_field(client, member):
    log_in(client, member.email)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert re.search(r'id="id_oldpassword_error"[^>]*>\s*<li>', response.content.decode())


def test_a_new_email_address_signs_in_only_once_confirmed(client, member, mailoutbox):
    log_in(client, member.email)
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    added = EmailAddress.objects.get(email="new@example.com")
    assert not added.verified
    assert mailoutbox[-1].to == ["new@example.com"]
    client.post("/accounts/logout/")

    log_in(client, "new@example.com")
    assert not signed_in_as(client, member)

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mailoutbox[-1].body)
    client.post(link.group(1))
    client.post("/accounts/logout/")
    log_in(client, "new@example.com")
    assert signed_in_as(client, member)


def test_the_email_page_is_in_the_sites_look(client, member):
    log_in(client, member.email)

    response = client.get("/accounts/email/")

    assertContains(response, 'class="site-header')
    assertContains(response, member.email)
    assertRedirects(Client().get("/accounts/email/"), "/accounts/login/?next=/accounts/email/")
