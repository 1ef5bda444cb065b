"""The preference page reached from every mail without signing in, and the form that mails its
link: each change recorded with its source, the same answer for known and unknown addresses."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from forum.newsletter import services, tokens
from forum.newsletter.models import Source, Subscriber, Subscription
from tests import factories

from .reader_pages import (
    input_value,
    last_sources,
    link_in,
    main_text,
    manage_path,
    old_token,
    statuses,
    without_csrf,
)

CONFIRMED = Subscription.Status.CONFIRMED
PENDING = Subscription.Status.PENDING
UNSUBSCRIBED = Subscription.Status.UNSUBSCRIBED
ADDRESS = "ada@example.org"


@pytest.fixture
def darkroom(db):
    return factories.create_newsletter(
        name="Darkroom notes", slug="darkroom", description="Monthly <b>chemistry</b>."
    )


@pytest.fixture
def subscriber(newsletter, darkroom) -> Subscriber:
    return factories.create_subscriber(email=ADDRESS, newsletter=newsletter)


def test_the_page_names_the_address_and_offers_each_public_newsletter(client, subscriber, darkroom):
    factories.create_newsletter(name="Staff only", slug="staff", is_public=False)

    response = client.get(manage_path(subscriber))

    assert f"Preferences for {ADDRESS}" in main_text(response)
    html = response.content.decode()
    assert html.count('type="checkbox" name="newsletters"') == 2
    assert "Staff only" not in html
    magazine = subscriber.subscriptions.get().newsletter
    assert f'name="newsletters" value="{magazine.pk}" id="id_newsletters_0" checked' in html
    assert f'name="newsletters" value="{darkroom.pk}" id="id_newsletters_1">' in html
    assertContains(response, '<button type="submit" name="save">Save</button>', html=True)
    assertContains(response, "Unsubscribe from everything")
    assertContains(response, "Monthly &lt;b&gt;chemistry&lt;/b&gt;.")


def test_saving_changes_each_newsletter_and_records_the_source(client, subscriber, darkroom):
    response = client.post(
        manage_path(subscriber), {"newsletters": [darkroom.pk], "save": ""}, REMOTE_ADDR="192.0.2.5"
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/newsletter/manage/")
    assert statuses(subscriber) == {"magazine": UNSUBSCRIBED, "darkroom": CONFIRMED}
    assert last_sources(subscriber) == {
        "magazine": Source.PREFERENCES,
        "darkroom": Source.PREFERENCES,
    }
    assertContains(client.get(response["Location"]), "Your preferences are saved.")


def test_unsubscribe_from_everything(client, subscriber, darkroom):
    services.set_subscriptions(
        subscriber=subscriber, wanted=[darkroom, subscriber.subscriptions.get().newsletter]
    )

    response = client.post(manage_path(subscriber), {"unsubscribe_all": ""})

    assert response.status_code == 302
    assert statuses(subscriber) == {"magazine": UNSUBSCRIBED, "darkroom": UNSUBSCRIBED}
    assert set(last_sources(subscriber).values()) == {Source.PREFERENCES}
    assertContains(client.get(response["Location"]), "You are unsubscribed from every newsletter.")


def test_the_preference_form_needs_its_csrf_token(subscriber):
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(manage_path(subscriber), {"unsubscribe_all": ""}).status_code == 403
    assert statuses(subscriber) == {"magazine": CONFIRMED}


def test_bad_preference_links_change_nothing_and_name_nobody(client, subscriber):
    token = tokens.make_token(subscriber, tokens.MANAGE)
    expired = old_token(subscriber, tokens.MANAGE, days=401)
    cases = [
        (f"/newsletter/manage/{token[:-3]}xyz/", 404, "This link is not valid"),
        (f"/newsletter/manage/{tokens.make_token(subscriber, tokens.CONFIRM)}/", 404, "not valid"),
        (f"/newsletter/manage/{expired}/", 400, "This link has expired"),
    ]
    for path, status, text in cases:
        for response in (client.get(path), client.post(path, {"unsubscribe_all": ""})):
            assert response.status_code == status
            assert text in main_text(response)
            assert ADDRESS not in response.content.decode()
    assert statuses(subscriber) == {"magazine": CONFIRMED}


def test_an_expired_preference_link_offers_to_mail_a_new_one(client, subscriber):
    response = client.get(f"/newsletter/manage/{old_token(subscriber, tokens.MANAGE, days=401)}/")

    assertContains(response, 'action="/newsletter/manage/"', status_code=400)
    assertContains(response, "Email me a link", status_code=400)


# Email me a link to my preferences.


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def send(email, *, ip="198.51.100.7", client=client):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/newsletter/manage/", {"email": email}, REMOTE_ADDR=ip)

    return send


def test_the_link_form_asks_for_an_email(client, db):
    response = client.get("/newsletter/manage/")

    assert "Email me a link to my preferences" in main_text(response)
    assertContains(response, '<label for="id_email">Email</label>', html=False)


def test_a_known_address_gets_the_link_and_an_unknown_one_the_same_answer_and_no_mail(
    subscriber, ask, mailoutbox
):
    known = without_csrf(ask(ADDRESS, client=Client()))
    [mail] = mailoutbox
    unknown = without_csrf(ask("nobody@example.org", client=Client()))

    assert known.replace(ADDRESS, "X") == unknown.replace("nobody@example.org", "X")
    assert len(mailoutbox) == 1
    assert mail.to == [ADDRESS]
    assert Subscriber.objects.count() == 1
    client = Client()
    assert f"Preferences for {ADDRESS}" in main_text(
        client.get(link_in(mail, "/newsletter/manage/"))
    )


def test_the_link_form_is_rate_limited_per_network_and_keeps_the_address(
    subscriber, ask, mailoutbox
):
    for n in range(services.SIGNUPS_PER_NETWORK_PER_HOUR):
        ask(f"r{n}@example.org", ip="203.0.113.1")

    refused = ask(ADDRESS, ip="203.0.113.2")

    assertContains(refused, "Too many", status_code=400)
    assert input_value(refused, "email") == ADDRESS
    assert mailoutbox == []


def test_the_link_form_mails_an_address_at_most_three_times_a_day(subscriber, ask, mailoutbox):
    for _ in range(5):
        ask(ADDRESS, client=Client())

    assert len(mailoutbox) == services.CONFIRMATIONS_PER_ADDRESS_PER_DAY


def test_the_link_form_says_what_is_wrong_with_an_address(db, ask):
    response = ask("not an address")

    assertContains(response, "That doesn’t look like an email address", status_code=400)
    assert input_value(response, "email") == "not an address"


def test_the_preference_page_escapes_what_a_subscriber_or_editor_wrote(client, darkroom):
    darkroom.name = "<script>alert(1)</script>"
    darkroom.save()
    subscriber = factories.create_subscriber(
        email=ADDRESS, newsletter=darkroom, name="<script>x</script>"
    )

    response = client.get(manage_path(subscriber))

    assertNotContains(response, "<script>")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
