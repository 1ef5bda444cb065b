"""Member accounts (django-allauth): join with an email address, confirm it, sign in and out."""

import json
import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from forum.core.mail import send_email_message
from tests import factories

PASSWORD = "a-long-test-password"
SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
VERIFICATION_SENT = "/accounts/confirm-email/"


def sign_up(client, email="new.member@example.com"):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(SIGNUP, {**data, "display_name": "New Member"})


def log_in(client, email="new.member@example.com", password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in `message`'s text that starts with `path_prefix`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S*)", message.body)
    assert match, message.body
    return match.group(1)


def current_user(client):
    return client.get("/").wsgi_request.user


class _FormFields(HTMLParser):
    """Visible form controls (with their ids) and the ids that <label for> points at."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.labelled: set[str] = set()
        self._open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "label":
            self._open_labels += 1
            if attrs.get("for"):
                self.labelled.add(attrs["for"])
        elif tag in {"input", "select", "textarea"}:
            if attrs.get("type") in {"hidden", "submit", "button"}:
                return
            attrs["wrapped"] = "yes" if self._open_labels else ""
            self.controls.append(attrs)

    def handle_endtag(self, tag):
        if tag == "label":
            self._open_labels -= 1


# Joining


def test_signing_up_sends_a_confirmation_email(client, mailoutbox):
    response = sign_up(client)

    assertRedirects(response, VERIFICATION_SENT)
    [message] = mailoutbox
    assert message.to == ["new.member@example.com"]
    assert "confirm" in message.subject.lower()
    assert link_in(message, "/accounts/confirm-email/")
    address = EmailAddress.objects.get(email="new.member@example.com")
    assert not address.verified


def test_the_verification_sent_page_explains_what_to_do(client, mailoutbox):
    response = client.get(sign_up(client).url)

    assertContains(response, "<h1>Check your email</h1>", html=True)


def test_signing_up_twice_with_the_same_address_creates_one_account(client, mailoutbox):
    sign_up(client)
    sign_up(Client())

    assert get_user_model().objects.filter(email="new.member@example.com").count() == 1


def test_sign_up_rejects_mismatched_passwords(client, mailoutbox):
    response = client.post(
        SIGNUP, {"email": "x@example.com", "password1": PASSWORD, "password2": "different-one"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert mailoutbox == []
    assert not get_user_model().objects.filter(email="x@example.com").exists()


def test_login_is_refused_until_the_address_is_confirmed(client, mailoutbox):
    sign_up(client)
    stranger = Client()

    response = log_in(stranger)

    assertRedirects(response, VERIFICATION_SENT)
    assert not current_user(stranger).is_authenticated


def test_confirmation_link_shows_a_page_and_only_a_post_confirms(client, mailoutbox):
    sign_up(client)
    link = link_in(mailoutbox[0], "/accounts/confirm-email/")

    page = client.get(link)

    assertContains(page, "new.member@example.com")
    # The form's key is signed afresh (with the time), so it need not equal the emailed one.
    assertContains(page, 'action="/accounts/confirm-email/')
    assert not EmailAddress.objects.get(email="new.member@example.com").verified
    assert not current_user(client).is_authenticated


def test_confirming_the_address_verifies_it_and_logs_the_member_in(client, mailoutbox):
    sign_up(client)
    link = link_in(mailoutbox[0], "/accounts/confirm-email/")

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.member@example.com").verified
    user = current_user(client)
    assert user.is_authenticated
    assert user.email == "new.member@example.com"


def test_confirmed_member_can_log_in(client, mailoutbox):
    sign_up(client)
    client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"))
    returning = Client()

    response = log_in(returning)

    assertRedirects(response, "/")
    assert current_user(returning).email == "new.member@example.com"


def test_wrong_password_is_refused(client, mailoutbox):
    sign_up(client)
    client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"))
    stranger = Client()

    response = log_in(stranger, password="not-the-password")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not current_user(stranger).is_authenticated


# Links in mail


EVIL_HOST = "evil.example:8443"


def ask_for_a_reset(client, email):
    return client.post("/accounts/password/reset/", {"email": email}, headers={"host": EVIL_HOST})


def join(client, email):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Jo"}
    return client.post(SIGNUP, data, headers={"host": EVIL_HOST})


@pytest.mark.parametrize(
    ("send", "email", "path"),
    [
        pytest.param(
            ask_for_a_reset, "reader@example.com", "/accounts/password/reset/key/", id="reset"
        ),
        pytest.param(ask_for_a_reset, "stranger@example.com", "/accounts/signup/", id="no account"),
        pytest.param(join, "new.member@example.com", "/accounts/confirm-email/", id="confirm"),
        pytest.param(
            join, "reader@example.com", "/accounts/password/reset/", id="already a member"
        ),
    ],
)
def test_links_in_account_mail_come_from_site_url_whatever_host_the_request_names(
    client, reader, mailoutbox, settings, send, email, path
):
    settings.SITE_URL = "https://frame.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # a site that answers to any host, or a proxy that passes it

    send(client, email)

    [message] = mailoutbox
    assert message.to == [email]
    links = re.findall(r"\w+://\S+", message.body)
    assert links, message.body
    assert all(re.match(r"https://frame\.example\.org(/|$)", link) for link in links), links
    assert any(link.startswith(f"https://frame.example.org{path}") for link in links), links
    assert "evil.example" not in message.body


def test_account_mail_is_queued_for_the_mail_task_not_sent_in_the_request(
    client, mailoutbox, task_queue
):
    sign_up(client)

    [queued] = task_queue
    assert queued.task.func is send_email_message.func
    assert queued.kwargs["to"] == ["new.member@example.com"]
    assert json.loads(json.dumps(queued.kwargs)) == queued.kwargs  # a worker can take it
    assert mailoutbox == []


# Staff sign in to the admin

ADMIN = "/admin/"
MODERATOR = "mod@example.com"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def moderator(db):
    user = factories.create_moderator(email=MODERATOR, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=MODERATOR, verified=True, primary=True)
    return user


def admin_sign_in_page(client) -> str:
    """Where a signed-out visitor to the admin is sent to sign in."""
    return client.get(ADMIN, follow=True).redirect_chain[-1][0]


def sign_in_at(client, url, password):
    # The address under both names a log-in form may give it: the admin's and allauth's.
    return client.post(url, {"username": MODERATOR, "login": MODERATOR, "password": password})


def test_a_moderator_who_opens_the_admin_signed_out_signs_in_and_lands_in_the_admin(
    client, moderator
):
    response = sign_in_at(client, admin_sign_in_page(client), PASSWORD)

    assertRedirects(response, ADMIN)
    assert current_user(client) == moderator


def test_the_sixth_failed_admin_log_in_is_refused_even_with_the_right_password(client, moderator):
    page = admin_sign_in_page(client)
    for _ in range(5):
        assert sign_in_at(client, page, "not-the-password").status_code == 200

    response = sign_in_at(client, page, PASSWORD)

    assertContains(response, TOO_MANY)
    assert not current_user(client).is_authenticated


def test_failed_log_ins_on_the_site_also_shut_the_admin_log_in(client, moderator):
    for _ in range(5):
        log_in(client, MODERATOR, password="not-the-password")

    for door in ("/admin/login/?next=/admin/", admin_sign_in_page(client)):
        sign_in_at(client, door, PASSWORD)
        assert not current_user(client).is_authenticated, door
    assertContains(log_in(client, MODERATOR), TOO_MANY)


def test_a_signed_in_member_without_admin_access_is_refused_the_admin(client, reader):
    client.force_login(reader)

    assert client.get(ADMIN, follow=True).status_code == 403


# Passwords and signing out


def test_password_reset_sends_a_reset_link(client, reader, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": reader.email})

    assertRedirects(response, "/accounts/password/reset/done/")
    [message] = mailoutbox
    assert message.to == [reader.email]
    assert link_in(message, "/accounts/password/reset/key/")


def test_password_reset_link_lets_the_member_choose_a_new_password(client, reader, mailoutbox):
    client.post("/accounts/password/reset/", {"email": reader.email})
    form_page = client.get(link_in(mailoutbox[0], "/accounts/password/reset/key/"), follow=True)
    new_password = "another-long-password-42"

    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
    )

    reader.refresh_from_db()
    assert reader.check_password(new_password)


def test_logging_out_takes_a_post(client, reader):
    client.force_login(reader)

    confirm = client.get("/accounts/logout/")
    assert confirm.status_code == 200
    assert current_user(client).is_authenticated

    client.post("/accounts/logout/")
    assert not current_user(client).is_authenticated


# Pages in the site's layout


ACCOUNT_PAGES = [LOGIN, SIGNUP, "/accounts/password/reset/"]


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_account_pages_use_the_site_layout(client, db, url):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assertContains(response, '<a class="site-title" href="/">Frame &amp; Grain</a>', html=True)
    assert f'href="{reverse("newsletter:about")}"' in html
    assert f'href="{reverse("donations:support")}"' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert len(re.findall(r"<main[\s>]", html)) == 1


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_every_visible_account_form_field_has_a_label(client, db, url):
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())

    assert parser.controls, "the page should have a form"
    for control in parser.controls:
        assert control["wrapped"] or control.get("id") in parser.labelled, control


def test_sign_in_limits_count_the_readers_address_behind_the_proxy(client, moderator, settings):
    """Behind a load balancer (DJANGO_PROXY_HOPS) the limits count each reader's own address,
    as the comment rules do; a request without the header is counted by its peer, not a 500."""
    settings.PROXY_HOPS = 1
    for _ in range(10):
        client.post(
            reverse("account_login"),
            {"login": "nobody@example.com", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )

    blocked = client.post(
        reverse("account_login"),
        {"login": MODERATOR, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    other_reader = Client().post(
        reverse("account_login"),
        {"login": MODERATOR, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    no_header = Client().post(reverse("account_login"), {"login": MODERATOR, "password": "x"})

    assertContains(blocked, TOO_MANY)
    assert other_reader.status_code == 302
    assert no_header.status_code == 200
