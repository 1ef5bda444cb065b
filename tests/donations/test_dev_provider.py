"""The dev provider's hosted checkout and portal: they look like a provider's pages, take no
card, and only ever tell the site what happened through its webhook."""

import time
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from forum.donations import providers, services
from forum.donations.models import Donation, WebhookEvent
from tests import factories
from tests.donations.events import deliver

THANKS = "http://testserver/support/thanks/{donation}/"
CANCELLED = "http://testserver/support/?cancelled={donation}"
BACK = "http://testserver/support/manage/some-token/"


@pytest.fixture
def sent(monkeypatch):
    """What the dev provider would POST to the webhook: (url, events) per call, instead of
    sending it from a thread (the test client's site is not on the network)."""
    calls = []
    monkeypatch.setattr(providers, "dev_send", lambda url, events: calls.append((url, events)))
    return calls


def start(*, kind=Donation.Kind.ONE_OFF, amount=500, **fields) -> tuple[Donation, str]:
    """A donation as /support/ starts it, and its dev checkout's path."""
    fields = {"name": "Nia Okafor", "email": "nia@example.org", **fields}
    return services.start_donation(
        kind=kind,
        amount=amount,
        currency="GBP",
        success_url=THANKS,
        cancel_url=CANCELLED,
        **fields,
    )


def portal_path(donation) -> str:
    return providers.get("dev").manage_url(donation, return_url=BACK)


@contextmanager
def signed_ago(seconds: int):
    """Sign as if `seconds` ago: the clock that django.core.signing reads, and only there."""
    now = time.time()
    with mock.patch("django.core.signing.time.time", return_value=now - seconds):
        yield


def types(events) -> list[str]:
    return [event["type"] for event in events]


# The checkout --------------------------------------------------------------------------------


def test_the_checkout_shows_the_gift_and_no_card_fields(client, db):
    donation, url = start(kind=Donation.Kind.MONTHLY, amount=750)

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Test checkout: no money moves" in html
    assert "Frame &amp; Grain" in html
    assert "£7.50" in html
    assert "a month" in html
    assert "nia@example.org" in html
    assert "<input" not in html.replace('<input type="hidden" name="csrfmiddlewaretoken"', "")
    for label, action in (("Pay", "pay"), ("Fail", "fail"), ("Cancel", "cancel")):
        assert f'name="action" value="{action}"' in html
        assert f">{label}</button>" in html


def test_a_one_off_checkout_does_not_say_a_month(client, db):
    donation, url = start(amount=500)

    html = client.get(url).content.decode()

    assert "£5" in html
    assert "a month" not in html


def test_pay_sends_the_payment_to_the_webhook_and_returns_the_reader(client, db, sent):
    donation, url = start()

    response = client.post(url, {"action": "pay"})

    assert response.status_code == 303
    assert response["Location"] == THANKS.format(donation=services.return_token(donation))
    [(webhook, events)] = sent
    assert webhook == "http://127.0.0.1:8000/support/webhook/dev/"  # SITE_URL, not the Host
    assert types(events) == ["checkout.session.completed"]
    assert events[0]["data"]["object"]["id"] == donation.checkout_id
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING  # the redirect confirms nothing


def test_what_pay_sends_confirms_a_one_off_gift_at_the_webhook(
    client, db, sent, django_capture_on_commit_callbacks, mailoutbox
):
    donation, url = start(amount=1000)
    client.post(url, {"action": "pay"})

    assert deliver(client, django_capture_on_commit_callbacks, *sent[0][1]) == [200]

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert donation.payments.get().amount == 1000
    assert [mail.to for mail in mailoutbox] == [["nia@example.org"]]


def test_what_pay_sends_starts_a_monthly_gift_with_one_payment(
    client, db, sent, django_capture_on_commit_callbacks, mailoutbox
):
    donation, url = start(kind=Donation.Kind.MONTHLY)
    client.post(url, {"action": "pay"})
    [(_, events)] = sent
    assert types(events) == ["invoice.paid", "checkout.session.completed"]

    assert deliver(client, django_capture_on_commit_callbacks, *events) == [200, 200]

    donation.refresh_from_db()
    assert donation.status == Donation.Status.ACTIVE
    assert donation.payments.count() == 1
    assert len(mailoutbox) == 1
    assert "/support/manage/" in mailoutbox[0].body


def test_pay_pressed_twice_pays_once(client, db, sent):
    donation, url = start()

    first = client.post(url, {"action": "pay"})
    second = client.post(url, {"action": "pay"})

    assert first.status_code == 303
    assert second.status_code == 200
    assert "This checkout is complete" in second.content.decode()
    assert len(sent) == 1


def test_fail_says_the_card_was_declined_and_the_reader_may_pay_next(
    client, db, sent, django_capture_on_commit_callbacks
):
    donation, url = start()

    response = client.post(url, {"action": "fail"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your card was declined" in html
    assert 'value="pay"' in html
    assert 'value="cancel"' in html
    [(_, events)] = sent
    assert types(events) == ["payment_intent.payment_failed"]
    deliver(client, django_capture_on_commit_callbacks, *events)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED

    assert client.post(url, {"action": "pay"}).status_code == 303
    deliver(client, django_capture_on_commit_callbacks, *sent[1][1])
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert donation.failure == ""


def test_cancel_returns_to_the_cancel_url_and_sends_nothing(client, db, sent):
    donation, url = start()

    response = client.post(url, {"action": "cancel"})

    assert response.status_code == 303
    assert response["Location"] == CANCELLED.format(donation=services.return_token(donation))
    assert sent == []
    assert not WebhookEvent.objects.exists()


def test_a_paid_checkout_says_it_is_complete_with_a_way_back(client, db, sent):
    donation, url = start()
    Donation.objects.filter(pk=donation.pk).update(status="paid", first_paid_at=timezone.now())

    response = client.get(url)
    pay = client.post(url, {"action": "pay"})

    success = THANKS.format(donation=services.return_token(donation))
    assert "This checkout is complete" in response.content.decode()
    assert f'href="{success}"' in response.content.decode()
    assert pay.status_code == 200
    assert sent == []


@pytest.mark.parametrize(
    "change",
    [
        lambda path: path.replace("/checkout/", "/checkout/x"),
        lambda path: path[:-3] + "AA/",
        lambda path: "/support/dev/checkout/not-a-token/",
    ],
    ids=["prefixed", "tampered", "garbage"],
)
def test_a_bad_checkout_token_is_404(client, db, change):
    donation, url = start()

    assert client.get(change(url)).status_code == 404


def test_a_checkout_older_than_a_day_is_404(client, db):
    with signed_ago(25 * 3600):
        donation, url = start()

    assert client.get(url).status_code == 404


def test_a_portal_token_does_not_open_a_checkout(client, db):
    donation = factories.create_donation(kind=Donation.Kind.MONTHLY, status="active")
    token = portal_path(donation).rstrip("/").rsplit("/", 1)[1]

    assert client.get(f"/support/dev/checkout/{token}/").status_code == 404


def test_the_checkout_needs_a_csrf_token(db, sent):
    donation, url = start()
    client = Client(enforce_csrf_checks=True)

    assert client.post(url, {"action": "pay"}).status_code == 403
    assert sent == []


def test_what_the_donor_typed_is_escaped_at_the_checkout(client, db):
    donation, url = start(name="<script>alert(1)</script>")

    html = client.get(url).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("role", factories.ROLES)
def test_the_checkout_is_the_same_for_every_role(db, role):
    """The signed token is the key, as at a hosted checkout: signing in changes nothing."""
    donation, url = start()

    response = factories.client_as(role).get(url)

    assert response.status_code == 200
    assert "nia@example.org" in response.content.decode()


def test_the_checkout_refuses_other_methods(client, db):
    donation, url = start()

    assert client.put(url).status_code == 405


# The portal ----------------------------------------------------------------------------------


def test_the_portal_shows_a_running_monthly_gift(client, db):
    donation = factories.create_donation(
        kind=Donation.Kind.MONTHLY,
        status="active",
        amount=500,
        paid_at=timezone.make_aware(datetime(2026, 9, 14, 12)),
    )

    response = client.get(portal_path(donation))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Test portal: no money moves" in html
    assert "£5 a month" in html
    assert "14 September 2026" in html
    assert "Active" in html
    assert 'value="cancel"' in html and ">Cancel monthly gift</button>" in html
    assert f'href="{BACK}"' in html and "Back to Frame &amp; Grain" in html


def test_cancelling_at_the_portal_tells_the_webhook_which_cancels_the_gift(
    client, db, sent, django_capture_on_commit_callbacks
):
    donation = factories.create_donation(kind=Donation.Kind.MONTHLY, status="active")
    path = portal_path(donation)

    response = client.post(path, {"action": "cancel"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your monthly gift is cancelled" in html
    assert f'href="{BACK}"' in html and "Back to Frame &amp; Grain" in html
    [(webhook, events)] = sent
    assert webhook == "http://127.0.0.1:8000/support/webhook/dev/"  # SITE_URL, not the Host
    assert types(events) == ["customer.subscription.deleted"]
    assert events[0]["data"]["object"]["id"] == donation.subscription_id
    donation.refresh_from_db()
    assert donation.status == Donation.Status.ACTIVE  # until the webhook says so

    deliver(client, django_capture_on_commit_callbacks, *events)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.CANCELLED
    again = client.get(path)
    assert "Your monthly gift is cancelled" in again.content.decode()
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("kind", "status"),
    [("one_off", "paid"), ("monthly", "pending"), ("monthly", "failed"), ("monthly", "refunded")],
)
def test_the_portal_is_only_for_a_monthly_gift_that_ran(client, db, sent, kind, status):
    donation = factories.create_donation(kind=kind, status=status)
    path = portal_path(donation)

    assert client.get(path).status_code == 404
    assert client.post(path, {"action": "cancel"}).status_code == 404
    assert sent == []


def test_a_portal_link_older_than_a_day_is_404(client, db):
    donation = factories.create_donation(kind=Donation.Kind.MONTHLY, status="active")
    with signed_ago(25 * 3600):
        path = portal_path(donation)

    assert client.get(path).status_code == 404


def test_a_portal_link_a_few_hours_old_still_works(client, db):
    donation = factories.create_donation(kind=Donation.Kind.MONTHLY, status="active")
    with signed_ago(20 * 3600):
        path = portal_path(donation)

    assert client.get(path).status_code == 200


def test_a_tampered_portal_link_is_404(client, db):
    donation = factories.create_donation(kind=Donation.Kind.MONTHLY, status="active")

    assert client.get(portal_path(donation)[:-3] + "AA/").status_code == 404


def test_the_portal_needs_a_csrf_token(db, sent):
    donation = factories.create_donation(kind=Donation.Kind.MONTHLY, status="active")

    response = Client(enforce_csrf_checks=True).post(portal_path(donation), {"action": "cancel"})

    assert response.status_code == 403
    assert sent == []


# Over the network, as it runs ----------------------------------------------------------------


def test_the_dev_provider_posts_its_signed_events_to_the_live_webhook(live_server):
    """dev_send's thread reaches the webhook over HTTP, and the webhook acts on what it sent."""
    donation, url = start()

    providers.dev_send(
        live_server.url + "/support/webhook/dev/",
        providers.dev_payment_events(donation, checkout_id=donation.checkout_id),
    )

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        donation.refresh_from_db()
        if donation.status == Donation.Status.PAID:
            break
        time.sleep(0.1)
    assert donation.status == Donation.Status.PAID
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED


def test_the_dev_pages_read_the_gift_and_little_else(client, db, django_assert_max_num_queries):
    """The gift, and (until cached) the site's sections that every page's context reads."""
    donation, url = start(kind=Donation.Kind.MONTHLY)
    Donation.objects.filter(pk=donation.pk).update(status="active", subscription_id="sub_dev_q")

    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(portal_path(donation)).status_code == 200
