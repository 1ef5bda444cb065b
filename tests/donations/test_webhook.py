"""The webhook at /support/webhook/<provider>/: only what the provider signed gets in, each event
is stored once whatever the provider redelivers, and every signed event is answered 200."""

import json
import logging
import time

import pytest
from django.test import Client

from forum.donations import providers, services
from forum.donations.models import Donation, Payment, WebhookEvent
from forum.donations.webhooks import MAX_BODY
from tests import factories
from tests.donations.events import deliver, post_event

URL = "/support/webhook/dev/"


@pytest.fixture
def donation(db):
    """A one-off £5 gift waiting at its dev checkout, as /support/ leaves it."""
    donation, _ = services.start_donation(
        kind=Donation.Kind.ONE_OFF,
        amount=500,
        currency="GBP",
        name="Nia Okafor",
        email="nia@example.org",
        success_url="http://testserver/support/thanks/{donation}/",
        cancel_url="http://testserver/support/",
    )
    return donation


@pytest.fixture
def paid(donation):
    """The event the dev checkout's "Pay" sends for `donation`."""
    [event] = providers.dev_payment_events(donation, checkout_id=donation.checkout_id)
    return event


def nothing_changed(donation):
    donation.refresh_from_db()
    return (
        not WebhookEvent.objects.exists()
        and not Payment.objects.exists()
        and donation.status == Donation.Status.PENDING
    )


def nothing_changed_but_the_event(donation):
    donation.refresh_from_db()
    return not Payment.objects.exists() and donation.status == Donation.Status.PENDING


# Who may post ----------------------------------------------------------------------------------


def test_a_signed_event_is_answered_200_and_acted_on(
    client, paid, donation, django_capture_on_commit_callbacks
):
    assert deliver(client, django_capture_on_commit_callbacks, paid) == [200]

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=123",
        "v1=" + "0" * 64,
        "t=notatime,v1=" + "0" * 64,
        "garbage",
    ],
    ids=["missing", "no-mac", "no-time", "bad-time", "garbage"],
)
def test_an_unsigned_event_is_400_and_nothing_is_stored(
    client, paid, donation, signature, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, paid, signature=signature)

    assert response.status_code == 400
    assert nothing_changed(donation)


def test_an_event_signed_with_another_secret_is_400(
    client, paid, donation, django_capture_on_commit_callbacks
):
    forged = providers.dev_sign(json.dumps(paid).encode(), secret="not-the-site-secret")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, paid, signature=forged)

    assert response.status_code == 400
    assert nothing_changed(donation)


def test_a_changed_body_under_a_good_signature_is_400(
    client, paid, donation, django_capture_on_commit_callbacks
):
    signature = providers.dev_sign(json.dumps(paid).encode())
    paid["data"]["object"]["amount_total"] = 1

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, paid, signature=signature)

    assert response.status_code == 400
    assert nothing_changed(donation)


def test_an_old_signature_is_400_a_recent_one_is_taken(
    client, paid, donation, django_capture_on_commit_callbacks
):
    """A signature older than five minutes may be a replay by someone who saw the request."""
    body = json.dumps(paid).encode()
    old = providers.dev_sign(body, timestamp=int(time.time()) - providers.SIGNATURE_TOLERANCE - 5)
    recent = providers.dev_sign(body, timestamp=int(time.time()) - 60)

    with django_capture_on_commit_callbacks(execute=True):
        refused = post_event(client, paid, signature=old)
    assert refused.status_code == 400
    assert nothing_changed(donation)

    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, paid, signature=recent).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"type": "invoice.paid"}', b'{"id": "evt_1"}'],
    ids=["not-json", "not-an-object", "no-id", "no-type"],
)
def test_a_signed_body_that_is_not_an_event_is_400(client, db, body):
    response = client.post(
        URL,
        body,
        content_type="application/json",
        headers={providers.DEV_SIGNATURE_HEADER: providers.dev_sign(body)},
    )

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_an_unknown_provider_is_404(client, paid):
    body = json.dumps(paid).encode()

    response = client.post(
        "/support/webhook/paypal/",
        body,
        content_type="application/json",
        headers={providers.DEV_SIGNATURE_HEADER: providers.dev_sign(body)},
    )

    assert response.status_code == 404
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_the_webhook_only_takes_posts(client, db, method):
    assert getattr(client, method)(URL).status_code == 405


def test_an_oversized_body_is_400_before_it_is_read(client, paid, donation):
    paid["padding"] = "x" * MAX_BODY
    body = json.dumps(paid).encode()

    response = client.post(
        URL,
        body,
        content_type="application/json",
        headers={providers.DEV_SIGNATURE_HEADER: providers.dev_sign(body)},
    )

    assert response.status_code == 400
    assert nothing_changed(donation)


def test_the_webhook_needs_no_csrf_token(paid, donation, django_capture_on_commit_callbacks):
    """The provider has no cookie to send: its signature stands in for the token."""
    client = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, paid).status_code == 200


# Once and only once ----------------------------------------------------------------------------


def test_a_redelivered_event_changes_nothing_and_is_answered_200(
    client, paid, donation, mailoutbox, django_capture_on_commit_callbacks
):
    codes = deliver(client, django_capture_on_commit_callbacks, paid, paid)

    assert codes == [200, 200]
    assert WebhookEvent.objects.count() == 1
    assert donation.payments.count() == 1
    assert len(mailoutbox) == 1


def test_a_redelivered_refund_refunds_once(
    client, paid, donation, mailoutbox, django_capture_on_commit_callbacks
):
    deliver(client, django_capture_on_commit_callbacks, paid)
    refund = providers.dev_refund_event(donation.payments.get())

    assert deliver(client, django_capture_on_commit_callbacks, refund, refund) == [200, 200]

    assert WebhookEvent.objects.filter(type="charge.refunded").count() == 1
    payment = donation.payments.get()
    assert payment.refunded_amount == 500
    assert len(mailoutbox) == 1


def test_an_event_processed_twice_at_once_acts_once(client, paid, donation, mailoutbox):
    """Two workers handed the same stored event (a retry racing the first run): the row lock
    and its status let only one of them act."""
    stored = post_event(client, paid)  # stored; its task is not run (no on-commit here)
    assert stored.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.RECEIVED

    first = services.process_event(event.pk)
    second = services.process_event(event.pk)

    assert first == second == WebhookEvent.Status.PROCESSED
    event.refresh_from_db()
    assert event.attempts == 1
    assert donation.payments.count() == 1


def test_an_unknown_event_type_is_answered_200_and_ignored(
    client, db, django_capture_on_commit_callbacks
):
    event = providers.dev_event("customer.updated", {"id": "cus_dev_1", "object": "customer"})

    assert deliver(client, django_capture_on_commit_callbacks, event) == [200]

    stored = WebhookEvent.objects.get()
    assert stored.status == WebhookEvent.Status.IGNORED
    assert stored.type == "customer.updated"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"object": {"object": "checkout.session"}},
        {"object": {"id": "cs_dev_x", "mode": "payment", "payment_status": "paid"}},
        {"object": None},
    ],
    ids=["no-object", "no-id", "no-amount", "null-object"],
)
def test_a_malformed_event_is_failed_logged_and_answered_200(
    client, donation, data, caplog, django_capture_on_commit_callbacks
):
    event = providers.dev_event("checkout.session.completed", {})
    event["data"] = data
    if data.get("object") and data["object"].get("id"):
        data["object"]["metadata"] = {"donation": str(donation.pk)}

    with caplog.at_level(logging.ERROR, logger="forum.donations.services"):
        codes = deliver(client, django_capture_on_commit_callbacks, event)

    assert codes == [200]
    stored = WebhookEvent.objects.get()
    assert stored.status == WebhookEvent.Status.FAILED
    assert stored.error
    assert "could not process" in caplog.text
    assert nothing_changed_but_the_event(donation)


# Cost ------------------------------------------------------------------------------------------


def test_one_payment_webhook_costs_a_fixed_number_of_queries(
    client,
    paid,
    donation,
    mailoutbox,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    """Storing, processing and mailing the receipt of one payment, with many other gifts on
    the books: the webhook answers the provider in the same time however many the site holds."""
    for _ in range(30):
        factories.create_donation(kind=Donation.Kind.MONTHLY, status="active")

    with django_assert_max_num_queries(19):
        deliver(client, django_capture_on_commit_callbacks, paid)

    assert len(mailoutbox) == 1


def test_a_replayed_event_is_one_read(
    client, paid, donation, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """A provider that redelivers costs the site almost nothing: nothing is processed again."""
    deliver(client, django_capture_on_commit_callbacks, paid)

    with django_assert_max_num_queries(1) as queries:
        deliver(client, django_capture_on_commit_callbacks, paid)

    assert not any("donations_donation" in query["sql"] for query in queries.captured_queries)
