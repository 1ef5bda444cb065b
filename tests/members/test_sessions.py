"""Where a member is signed in (allauth.usersessions), and signing out everywhere else."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from tests import factories

PASSWORD = "a-long-test-password"
SESSIONS = "/accounts/sessions/"

pytestmark = pytest.mark.django_db


def signed_in_client(email: str, user_agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert client.get("/").wsgi_request.user.is_authenticated
    return client


@pytest.fixture
def member():
    from allauth.account.models import EmailAddress

    user = factories.create_user(email="reader@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_a_member_sees_each_place_they_are_signed_in(member):
    laptop = signed_in_client(member.email, "Firefox on a laptop")
    signed_in_client(member.email, "Safari on a phone")

    response = laptop.get(SESSIONS)

    assertContains(response, "Firefox on a laptop")
    assertContains(response, "Safari on a phone")
    assertContains(response, "127.0.0.1", count=2)
    assertContains(response, "Sign out other sessions")


def test_signing_out_other_sessions_ends_the_other_but_keeps_this_one(member):
    laptop = signed_in_client(member.email, "Firefox on a laptop")
    phone = signed_in_client(member.email, "Safari on a phone")

    laptop.post(SESSIONS)

    assert not phone.get("/").wsgi_request.user.is_authenticated
    assert laptop.get("/").wsgi_request.user == member
    assert "Safari on a phone" not in laptop.get(SESSIONS).content.decode()


def test_another_members_sessions_are_not_shown(member):
    other = factories.create_user(email="other@example.com")
    Client(HTTP_USER_AGENT="Someone else's browser").force_login(other)
    laptop = signed_in_client(member.email, "Firefox on a laptop")

    assert "Someone else" not in laptop.get(SESSIONS).content.decode()


@pytest.mark.parametrize("role", factories.ROLES)
def test_the_profile_links_to_the_sessions_page(role):
    client = factories.client_as(role)

    response = client.get("/accounts/profile/")

    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in client.get(SESSIONS)["Location"]
    else:
        assertContains(response, f'href="{SESSIONS}"')
        assert client.get(SESSIONS).status_code == 200
