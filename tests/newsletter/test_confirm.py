"""The confirmation link: a page with a button on GET (mail scanners open links), confirmation
on POST, and a clear page for a tampered, expired or used link that never names an address."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from forum.newsletter import services, tokens
from forum.newsletter.models import Source, Subscriber, Subscription
from tests import factories

from .reader_pages import (
    confirm_path,
    last_sources,
    main_text,
    manage_path,
    old_token,
    statuses,
)

CONFIRMED = Subscription.Status.CONFIRMED
PENDING = Subscription.Status.PENDING
ADDRESS = "ada@example.org"


@pytest.fixture
def pending(newsletter) -> Subscriber:
    return factories.create_subscriber(email=ADDRESS, status=PENDING, newsletter=newsletter)


def test_opening_the_link_shows_the_address_and_a_button_and_changes_nothing(client, pending):
    response = client.get(confirm_path(pending))

    assert response.status_code == 200
    text = main_text(response)
    assert "Confirm your subscription" in text
    assert ADDRESS in text
    assert "The Frame & Grain newsletter" in text
    assertContains(response, '<button type="submit">Confirm subscription</button>', html=True)
    assert statuses(pending) == {"magazine": PENDING}


def test_pressing_confirm_subscribes_and_links_to_the_preferences(client, pending):
    response = client.post(confirm_path(pending), REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 200
    assert "You’re subscribed" in main_text(response)
    assert statuses(pending) == {"magazine": CONFIRMED}
    assert last_sources(pending) == {"magazine": Source.LINK}
    assert Subscription.objects.get().changes.first().network == "198.51.100.0"
    link = response.content.decode().split('href="/newsletter/manage/', 1)[1].split('"', 1)[0]
    assert client.get(f"/newsletter/manage/{link}").status_code == 200


def test_the_confirm_button_needs_the_pages_csrf_token(pending):
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(confirm_path(pending)).status_code == 403
    assert statuses(pending) == {"magazine": PENDING}


def test_a_used_link_says_so_and_that_the_subscription_stands(client, pending):
    path = confirm_path(pending)
    client.post(path)

    for response in (client.get(path), client.post(path)):
        text = main_text(response)
        assert "This link has already been used" in text
        assert "Your subscription is confirmed" in text
        assert ADDRESS not in response.content.decode()
    assert Subscription.objects.get().changes.count() == 2  # made, confirmed: nothing more


def test_a_used_link_after_unsubscribing_does_not_claim_a_subscription(client, pending):
    path = confirm_path(pending)
    client.post(path)
    services.unsubscribe(subscriber=pending, source=Source.PREFERENCES)

    text = main_text(client.get(path))

    assert "This link has already been used" in text
    assert "confirmed" not in text


def test_a_tampered_link_is_not_valid_and_names_nobody(client, pending):
    token = tokens.make_token(pending, tokens.CONFIRM)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    for response in (
        client.get(f"/newsletter/confirm/{tampered}/"),
        client.post(f"/newsletter/confirm/{tampered}/"),
        client.get(f"/newsletter/confirm/{tokens.make_token(pending, tokens.MANAGE)}/"),
    ):
        assert response.status_code == 404
        assert "This link is not valid" in main_text(response)
        assert ADDRESS not in response.content.decode()
    assert statuses(pending) == {"magazine": PENDING}


def test_an_expired_link_says_so_and_offers_the_form_again(client, pending):
    path = f"/newsletter/confirm/{old_token(pending, tokens.CONFIRM, days=8)}/"

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        assert "This link has expired" in main_text(response)
        assertContains(response, 'action="/newsletter/subscribe/#signup"', status_code=400)
        assert ADDRESS not in response.content.decode()
    assert statuses(pending) == {"magazine": PENDING}


def test_a_link_six_days_old_still_works(client, pending):
    client.post(f"/newsletter/confirm/{old_token(pending, tokens.CONFIRM, days=6)}/")

    assert statuses(pending) == {"magazine": CONFIRMED}


def test_the_mailed_link_leads_to_the_confirm_page(
    client, newsletter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletter/subscribe/", {"newsletter-email": ADDRESS})
    path = mailoutbox[0].body.split("http://", 1)[1].split()[0]
    path = path[path.index("/") :]

    client.post(path)

    assert statuses(Subscriber.objects.get()) == {"magazine": CONFIRMED}
    assert path.startswith("/newsletter/confirm/")


def test_the_confirm_pages_escape_the_names(client, newsletter):
    newsletter.name = "<script>alert(1)</script>"
    newsletter.save()
    subscriber = factories.create_subscriber(
        email=ADDRESS, status=PENDING, newsletter=newsletter, name="<script>x</script>"
    )

    for response in (client.get(confirm_path(subscriber)), client.post(confirm_path(subscriber))):
        assertNotContains(response, "<script>")
        assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


def test_the_preference_link_on_the_success_page_is_for_this_subscriber(client, pending):
    response = client.post(confirm_path(pending))

    assert manage_path(pending).rsplit(":", 2)[0] in response.content.decode()
