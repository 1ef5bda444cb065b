"""The account pages read as the magazine: sentence-case headings, labels without colons, no
dead "contact us", a way to sign in after a reset, no "send again" for a confirmed address, and
a member who confirms their address without a name to show is asked for one."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from tests import factories

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another-long-password-42"
NAME_PAGE = "/accounts/profile/name/"


class _Page(HTMLParser):
    """The h1s, and the text of each label and the links inside <main> of one page."""

    def __init__(self):
        super().__init__()
        self.h1: list[str] = []
        self.labels: list[str] = []
        self.main_links: list[tuple[str, str]] = []
        self._in: dict[str, int] = {"h1": 0, "label": 0, "main": 0, "a": 0}
        self._text: dict[str, list[str]] = {"h1": [], "label": [], "a": []}
        self._href = ""

    def handle_starttag(self, tag, attrs):
        if tag in self._in:
            self._in[tag] += 1
        if tag in self._text:
            self._text[tag] = []
        if tag == "a":
            self._href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag):
        if tag not in self._in:
            return
        self._in[tag] -= 1
        text = " ".join("".join(self._text.get(tag, [])).split())
        if tag == "h1":
            self.h1.append(text)
        elif tag == "label" and self._in["main"]:
            self.labels.append(text)
        elif tag == "a" and self._in["main"]:
            self.main_links.append((self._href, text))

    def handle_data(self, data):
        for tag, parts in self._text.items():
            if self._in[tag]:
                parts.append(data)


def read(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def link_in(message, path_prefix: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", message.body)
    assert match, message.body
    return match.group(1)


def member(*, email="carys@example.com", verified=True, password=PASSWORD, **fields):
    user = factories.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def carys(db):
    return member(display_name="Carys Pritchard")


@pytest.fixture
def reset_key_page(client, carys, mailoutbox):
    """The page the emailed reset link leads to (allauth moves the key out of the address)."""
    client.post("/accounts/password/reset/", {"email": carys.email})
    return client.get(link_in(mailoutbox[0], "/accounts/password/reset/key/"), follow=True)


def signed_in(client, user):
    client.force_login(user)
    return client


# Every page a reader meets, as (how to open it, its one heading).
ANONYMOUS_PAGES = [
    ("/accounts/login/", "Sign in"),
    ("/accounts/signup/", "Sign up"),
    ("/accounts/password/reset/", "Reset your password"),
    ("/accounts/password/reset/done/", "Check your email"),
    ("/accounts/password/reset/key/done/", "Your password is changed"),
    ("/accounts/confirm-email/", "Check your email"),
    ("/accounts/confirm-email/not-a-key/", "Confirm your email address"),
    ("/accounts/password/reset/key/1-not-a-key/", "This link no longer works"),
]
MEMBER_PAGES = [
    ("/accounts/logout/", "Sign out"),
    ("/accounts/email/", "Email addresses"),
    ("/accounts/password/change/", "Change your password"),
    (NAME_PAGE, "Choose your display name"),
]


def open_page(client, carys, url):
    if url in dict(MEMBER_PAGES):
        signed_in(client, carys)
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize(("url", "heading"), ANONYMOUS_PAGES + MEMBER_PAGES)
def test_each_account_page_has_one_sentence_case_heading_named_in_its_title(
    client, carys, url, heading
):
    response = open_page(client, carys, url)

    assert read(response).h1 == [heading]
    assertContains(response, f"<title>{heading} — Frame &amp; Grain</title>", html=True)


def test_the_emailed_confirmation_link_and_the_reset_link_open_sentence_case_pages(
    client, mailoutbox, reset_key_page
):
    assert read(reset_key_page).h1 == ["Choose a new password"]
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "display_name": "New Member",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    confirm = client.get(link_in(mailoutbox[-1], "/accounts/confirm-email/"))
    assert read(confirm).h1 == ["Confirm your email address"]
    assertContains(confirm, '<button type="submit">Confirm</button>', html=True)


@pytest.mark.parametrize(
    ("url", "labels"),
    [
        ("/accounts/login/", ["Email", "Password", "Keep me signed in"]),
        (
            "/accounts/signup/",
            ["Email", "Name shown with your comments", "Password", "Password again"],
        ),
        ("/accounts/password/reset/", ["Email"]),
        ("/accounts/email/", ["New email address"]),
        (
            "/accounts/password/change/",
            ["Current password", "New password", "New password again"],
        ),
        (NAME_PAGE, ["Display name"]),
        (
            "/accounts/profile/",
            [
                "Name shown with your comments",
                "Picture",
                "Show my profile page to everyone",
                "About you",
                "Website",
            ],
        ),
    ],
)
def test_form_labels_are_sentence_case_without_a_colon(client, carys, url, labels):
    if url.startswith("/accounts/profile/") or url in dict(MEMBER_PAGES):
        signed_in(client, carys)

    assert read(client.get(url)).labels == labels


def test_the_new_password_form_labels_have_no_colon(reset_key_page):
    assert read(reset_key_page).labels == ["New password", "New password again"]


@pytest.mark.parametrize("url", [url for url, _ in ANONYMOUS_PAGES + MEMBER_PAGES])
def test_no_account_page_sends_a_reader_to_a_page_that_does_not_exist(client, carys, url):
    response = open_page(client, carys, url)

    assert "contact us" not in response.content.decode().lower()
    for href, text in read(response).main_links:
        if href.startswith("/"):
            assert Client().get(href).status_code in {200, 302}, (href, text)


def test_a_reader_stuck_resetting_their_password_is_pointed_to_the_contact_page(client, db):
    response = client.get("/accounts/password/reset/")

    assertContains(response, '<a href="/contact/">Write to us</a>', html=True)
    assert Client().get("/contact/").status_code == 200


# After a password reset


def test_after_choosing_a_new_password_the_reader_is_shown_a_sign_in_button(
    client, carys, reset_key_page
):
    response = client.post(
        reset_key_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/accounts/password/reset/key/done/"
    assertContains(response, '<a class="button" href="/accounts/login/">Sign in</a>', html=True)
    signed_in_again = Client().post(
        "/accounts/login/", {"login": carys.email, "password": NEW_PASSWORD}
    )
    assertRedirects(signed_in_again, "/", fetch_redirect_response=False)


def test_the_reset_email_speaks_of_the_password_not_of_a_username(client, carys, mailoutbox):
    client.post("/accounts/password/reset/", {"email": carys.email})

    [message] = mailoutbox
    assert message.subject == "[Frame & Grain] Reset your password"
    assert "username" not in message.body.lower()  # members sign in with their email address
    assert link_in(message, "/accounts/password/reset/key/")


# Email addresses


def address_item(response, email: str) -> str:
    """The list item of one address on the email addresses page."""
    items = re.findall(r'<li class="email-address">.*?</li>', response.content.decode(), re.S)
    [item] = [item for item in items if f"<strong>{email}</strong>" in item]
    return item


def test_only_an_unconfirmed_address_offers_to_send_the_confirmation_link_again(client, carys):
    EmailAddress.objects.create(user=carys, email="carys@work.example", verified=False)

    response = signed_in(client, carys).get("/accounts/email/")

    confirmed = address_item(response, carys.email)
    assert "Primary" in confirmed
    assert "Confirmed" in confirmed
    assert 'name="action_send"' not in confirmed
    assert 'name="action_remove"' not in confirmed  # the primary address stays
    unconfirmed = address_item(response, "carys@work.example")
    assert "Not confirmed" in unconfirmed
    assert 'name="action_send"' in unconfirmed
    assert 'name="action_remove"' in unconfirmed
    assert 'name="action_primary"' not in unconfirmed  # only a confirmed address can be


def test_a_confirmed_address_is_never_sent_another_confirmation_link(client, carys, mailoutbox):
    response = signed_in(client, carys).post(
        "/accounts/email/", {"email": carys.email, "action_send": ""}
    )

    assert response.status_code == 302
    assert mailoutbox == []


def test_an_unconfirmed_address_is_sent_the_link_again(client, carys, mailoutbox):
    EmailAddress.objects.create(user=carys, email="carys@work.example", verified=False)

    signed_in(client, carys).post(
        "/accounts/email/", {"email": "carys@work.example", "action_send": ""}
    )

    [message] = mailoutbox
    assert message.to == ["carys@work.example"]


# The display name after confirming


def confirm_by_email(client, mailoutbox):
    return client.post(link_in(mailoutbox[-1], "/accounts/confirm-email/"))


def test_a_member_who_chose_a_name_at_sign_up_goes_straight_on_after_confirming(client, mailoutbox):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "display_name": "New Member",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    response = confirm_by_email(client, mailoutbox)

    assertRedirects(response, "/", fetch_redirect_response=False)


@pytest.fixture
def nameless(db):
    """An account made without a name to show (in the admin, or before sign-up asked for
    one), its address not yet confirmed: its public name is the username made for it."""
    return member(email="nameless@example.com", verified=False, username="member7")


def test_a_member_without_a_name_is_asked_for_one_after_confirming_and_then_goes_on(
    client, nameless, mailoutbox
):
    client.post("/accounts/login/", {"login": nameless.email, "password": PASSWORD})

    response = confirm_by_email(client, mailoutbox)

    assertRedirects(response, NAME_PAGE + "?next=%2F")
    page = client.get(response.url)
    assertContains(page, '<label for="id_display_name">Display name</label>', html=True)
    assertContains(page, "The name shown beside your comments")
    assert not page.context["form"]["display_name"].value()  # not the username made for them

    saved = client.post(NAME_PAGE, {"display_name": "Nia Rowlands", "next": "/"}, follow=True)

    assert saved.redirect_chain == [("/", 302)]
    nameless.refresh_from_db()
    assert nameless.display_name == "Nia Rowlands"
    assertContains(saved, "Welcome to Frame &amp; Grain, Nia Rowlands.")
    header = saved.content.decode().split('<main id="content"')[0]
    assert "Nia Rowlands" in header
    assert "nameless@example.com" not in saved.content.decode()


def test_a_member_who_confirms_signed_out_is_asked_for_a_name_once_signed_in(
    client, nameless, mailoutbox
):
    client.post("/accounts/login/", {"login": nameless.email, "password": PASSWORD})
    elsewhere = Client()  # another browser: the link opened on a phone, say

    confirmed = confirm_by_email(elsewhere, mailoutbox)
    signed_in_there = elsewhere.post(confirmed.url, {"login": nameless.email, "password": PASSWORD})

    assertRedirects(signed_in_there, NAME_PAGE + "?next=%2F", fetch_redirect_response=False)


def test_the_name_is_asked_once_not_at_every_sign_in(client, nameless, mailoutbox):
    client.post("/accounts/login/", {"login": nameless.email, "password": PASSWORD})
    client.get(confirm_by_email(client, mailoutbox).url)  # asked, and left without answering
    client.logout()

    again = client.post("/accounts/login/", {"login": nameless.email, "password": PASSWORD})

    assertRedirects(again, "/", fetch_redirect_response=False)


@pytest.mark.parametrize("name", ["", "   ", "..."])
def test_the_display_name_must_have_a_letter_or_number(client, carys, name):
    carys.display_name = ""
    carys.save()

    response = signed_in(client, carys).post(NAME_PAGE, {"display_name": name, "next": "/"})

    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    carys.refresh_from_db()
    assert carys.display_name == ""


def test_the_name_page_goes_on_only_to_this_site(client, carys):
    response = signed_in(client, carys).post(
        NAME_PAGE, {"display_name": "Carys", "next": "https://evil.example/"}
    )

    assertRedirects(response, "/", fetch_redirect_response=False)


def test_the_name_page_is_for_members_only(client, db):
    response = client.get(NAME_PAGE)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
