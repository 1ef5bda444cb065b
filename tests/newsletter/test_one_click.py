"""RFC 8058 one-click unsubscribe: a mail client's POST of `List-Unsubscribe=One-Click` comes
with no cookie and no CSRF token and unsubscribes at once; a person's browser gets a page with
a button, protected as usual."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from forum.newsletter import rendering, tokens
from forum.newsletter.models import Source, Subscriber, Subscription
from tests import factories

from .reader_pages import last_sources, main_text, old_token, statuses, unsubscribe_path

CONFIRMED = Subscription.Status.CONFIRMED
UNSUBSCRIBED = Subscription.Status.UNSUBSCRIBED
ADDRESS = "ada@example.org"
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def subscriber(newsletter) -> Subscriber:
    subscriber = factories.create_subscriber(email=ADDRESS, newsletter=newsletter)
    darkroom = factories.create_newsletter(name="Darkroom notes", slug="darkroom")
    Subscription.objects.create(subscriber=subscriber, newsletter=darkroom, status=CONFIRMED)
    return subscriber


@pytest.fixture
def mail_client():
    """What a mail provider sends with: no cookie, no CSRF token, CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def test_a_one_click_post_without_cookie_or_token_unsubscribes_from_everything(
    mail_client, subscriber
):
    response = mail_client.post(unsubscribe_path(subscriber), ONE_CLICK)

    assert response.status_code == 200
    assert "You’re unsubscribed" in response.content.decode()
    assert not mail_client.cookies
    assert statuses(subscriber) == {"magazine": UNSUBSCRIBED, "darkroom": UNSUBSCRIBED}
    assert last_sources(subscriber) == {"magazine": Source.ONE_CLICK, "darkroom": Source.ONE_CLICK}


def test_a_one_click_post_sent_as_multipart_works_too(mail_client, subscriber):
    response = mail_client.post(unsubscribe_path(subscriber), ONE_CLICK)  # multipart by default
    urlencoded = mail_client.post(
        unsubscribe_path(subscriber),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == urlencoded.status_code == 200
    assert statuses(subscriber)["magazine"] == UNSUBSCRIBED


def test_one_click_is_idempotent(mail_client, subscriber):
    for _ in range(3):
        assert mail_client.post(unsubscribe_path(subscriber), ONE_CLICK).status_code == 200

    assert Subscription.objects.get(newsletter__slug="magazine").changes.count() == 2


def test_any_other_post_without_the_csrf_token_is_refused(mail_client, subscriber):
    for body in ({}, {"List-Unsubscribe": "Yes"}, {"action": "unsubscribe"}):
        assert mail_client.post(unsubscribe_path(subscriber), body).status_code == 403
    assert statuses(subscriber) == {"magazine": CONFIRMED, "darkroom": CONFIRMED}


def test_opening_the_link_shows_a_button_and_changes_nothing(client, subscriber):
    response = client.get(unsubscribe_path(subscriber))

    assert response.status_code == 200
    assert ADDRESS in main_text(response)
    assertContains(response, '<button type="submit">Unsubscribe</button>', html=True)
    assert statuses(subscriber) == {"magazine": CONFIRMED, "darkroom": CONFIRMED}


def test_the_pages_button_posts_with_its_csrf_token_and_unsubscribes(subscriber):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(unsubscribe_path(subscriber))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]

    response = browser.post(unsubscribe_path(subscriber), {"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert "You’re unsubscribed" in main_text(response)
    assert statuses(subscriber) == {"magazine": UNSUBSCRIBED, "darkroom": UNSUBSCRIBED}
    assert set(last_sources(subscriber).values()) == {Source.PREFERENCES}
    assertContains(response, 'href="/newsletter/manage/')


@pytest.mark.parametrize(
    ("make_token", "status"),
    [
        (lambda s: tokens.make_token(s, tokens.MANAGE)[:-4] + "abcd", 404),
        (lambda s: tokens.make_token(s, tokens.CONFIRM), 404),
        (lambda s: old_token(s, tokens.MANAGE, days=401), 400),
    ],
    ids=["tampered", "other purpose", "expired"],
)
def test_a_bad_link_changes_nothing(mail_client, client, subscriber, make_token, status):
    path = f"/newsletter/unsubscribe/{make_token(subscriber)}/"

    assert mail_client.post(path, ONE_CLICK).status_code == status
    page = client.get(path)
    assert page.status_code == status
    assert ADDRESS not in page.content.decode()
    assert statuses(subscriber) == {"magazine": CONFIRMED, "darkroom": CONFIRMED}


def test_the_headers_of_an_issue_point_at_this_page(subscriber, newsletter, mail_client):
    issue = factories.create_issue(newsletter=newsletter)
    message = rendering.personal_message(
        rendering.render_issue(issue), issue=issue, subscriber=subscriber
    )
    url = message.extra_headers["List-Unsubscribe"].split(">", 1)[0].lstrip("<")
    path = url[url.index("/newsletter/") :]

    assert mail_client.post(path, ONE_CLICK).status_code == 200
    assert statuses(subscriber)["magazine"] == UNSUBSCRIBED
