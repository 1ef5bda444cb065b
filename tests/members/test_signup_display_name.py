"""Sign-up asks for the name shown beside comments; an email address is never shown."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from tests import factories
from tests.comments import pages

from .test_accounts import PASSWORD, SIGNUP, link_in

EMAIL = "carys.member@example.com"


def sign_up(client, **fields):
    data = {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, **fields}
    return client.post(SIGNUP, data)


def confirm(client, mailoutbox):
    """Follow the confirmation link, which signs the new member in."""
    client.post(link_in(mailoutbox[-1], "/accounts/confirm-email/"))


def header(response) -> str:
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_sign_up_form_asks_for_the_name_shown_with_comments(client, db):
    response = client.get(SIGNUP)
    assertContains(response, '<label for="id_display_name">Name shown with your comments')
    assertContains(response, 'name="display_name"')


def test_a_new_member_is_shown_by_their_display_name_in_the_header_and_beside_their_comment(
    client, mailoutbox, article
):
    sign_up(client, display_name="Carys Pritchard")
    user = get_user_model().objects.get(email=EMAIL)
    assert user.display_name == "Carys Pritchard"
    assert "carys.member" not in user.username
    assert user.public_name == "Carys Pritchard"

    confirm(client, mailoutbox)
    home = client.get("/")
    assert home.wsgi_request.user == user
    assert "Carys Pritchard" in header(home)
    # The member's own address appears only in the messages to them ("Confirmation email
    # sent to …"), never as their name.
    assert EMAIL not in header(home)
    assert "carys.member" not in header(home)

    pages.post(client, article, pages.member_data(article))
    page = client.get(article.get_absolute_url())
    assertContains(page, "Carys Pritchard")
    assert pages.BODY in pages.section(page)
    assert "Carys Pritchard" in pages.section(page)
    assertNotContains(page, EMAIL)
    assertNotContains(page, "carys.member")


@pytest.mark.parametrize("display_name", ["", "   ", "\u200b\u200b", "..."])
def test_sign_up_without_a_name_is_refused_beside_the_field(client, mailoutbox, display_name):
    response = sign_up(client, display_name=display_name)
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert mailoutbox == []
    form = response.context["form"]
    assert list(form.errors) == ["display_name"]


def test_the_username_made_for_a_new_member_comes_from_their_name_not_their_email(
    client, mailoutbox
):
    sign_up(client, display_name="Carys Pritchard")
    sign_up(Client(), email="other@example.com", display_name="Carys Pritchard")
    users = get_user_model().objects.order_by("pk")
    assert [user.username.startswith("carys") for user in users] == [True, True]
    assert len({user.username for user in users}) == 2
    assert not any(user.username.startswith(("carys.member", "other")) for user in users)


def test_another_reader_never_sees_a_members_email(client, mailoutbox, article):
    sign_up(client, display_name="Carys Pritchard")
    confirm(client, mailoutbox)
    pages.post(client, article, pages.member_data(article))
    comment = article.comments.get()
    comment.approve(by=factories.create_moderator())
    page = Client().get(article.get_absolute_url())
    assert "Carys Pritchard" in pages.section(page)
    assertNotContains(page, EMAIL)
    assertNotContains(page, "carys.member")
