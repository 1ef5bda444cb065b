"""The Stripe provider: the Checkout and portal sessions it asks Stripe for, the webhooks it
accepts, and the system check that stops a site from taking money it cannot.

Only Stripe's network is replaced, at one seam (`StripeProvider.http_client`, set by the
`stripe_http` fixture): the official package still builds each request and reads each answer.
Events are signed with Stripe's documented scheme and posted to the real webhook view.
"""

import json
import time

import pytest
from django.core import checks
from django.test import override_settings
from pytest_django.asserts import assertContains

from forum.donations import providers, services
from forum.donations.checks import check_donations_provider
from forum.donations.models import Donation, Payment, WebhookEvent
from tests.donations import stripe_fake
from tests.donations.stripe_fake import (
    charge_refunded_event,
    checkout_completed_event,
    event,
    invoice,
    invoice_payment_paid_event,
    network_down,
    payment_failed_event,
    post_stripe_event,
    stripe_id,
    stripe_signature,
    subscription_deleted_event,
)

pytestmark = pytest.mark.django_db

STRIPE_SETTINGS = override_settings(
    DONATIONS_PROVIDER="stripe",
    STRIPE_SECRET_KEY=stripe_fake.SECRET_KEY,
    STRIPE_WEBHOOK_SECRET=stripe_fake.WEBHOOK_SECRET,
    DONATIONS_CURRENCIES=["GBP", "EUR", "USD"],
)
SUCCESS_URL = "https://frameandgrain.example/support/thanks/{donation}/"
CANCEL_URL = "https://frameandgrain.example/support/?cancelled={donation}"


@pytest.fixture(autouse=True)
def _stripe_settings():
    with STRIPE_SETTINGS:
        yield


@pytest.fixture
def stripe_http(monkeypatch):
    """Stripe's network, recorded and answered by the fake: the one seam."""
    fake = stripe_fake.FakeStripeHTTP()
    monkeypatch.setattr(providers.StripeProvider, "http_client", fake)
    return fake


def give(*, kind="one_off", amount=500, currency="GBP", email="ada@example.org"):
    return services.start_donation(
        kind=kind,
        amount=amount,
        currency=currency,
        name="Ada Lowe",
        email=email,
        message="For the darkroom column.",
        public=True,
        success_url=SUCCESS_URL,
        cancel_url=CANCEL_URL,
    )


def deliver(client, on_commit, *events) -> list[int]:
    """Post each event as Stripe does and run what it queues (the processing task, receipts)."""
    codes = []
    for each in events:
        with on_commit(execute=True):
            codes.append(post_stripe_event(client, each).status_code)
    return codes


# The checkout and the portal -------------------------------------------------------------


def test_a_one_off_gift_opens_a_payment_mode_checkout_to_donate(stripe_http):
    donation, url = give(amount=500, currency="GBP")

    [request] = stripe_http.requests
    assert (request.method, request.path) == ("POST", "/v1/checkout/sessions")
    assert request.headers["Authorization"] == f"Bearer {stripe_fake.SECRET_KEY}"
    params = request.params
    assert params["mode"] == "payment"
    assert params["submit_type"] == "donate"
    assert params["line_items[0][price_data][currency]"] == "gbp"
    assert params["line_items[0][price_data][unit_amount]"] == "500"
    assert params["line_items[0][price_data][product_data][name]"] == "Gift to Frame & Grain"
    assert params["line_items[0][quantity]"] == "1"
    assert "line_items[0][price_data][recurring][interval]" not in params
    assert params["customer_email"] == "ada@example.org"
    assert params["client_reference_id"] == str(donation.pk)
    assert params["metadata[donation]"] == str(donation.pk)
    assert params["payment_intent_data[metadata][donation]"] == str(donation.pk)
    assert not any(name.startswith("subscription_data") for name in params)
    thanks_prefix = SUCCESS_URL.partition("{donation}")[0]
    assert params["success_url"].startswith(thanks_prefix)
    token = params["success_url"].removeprefix(thanks_prefix).rstrip("/")
    assert services.donation_from_return_token(token) == donation
    assert params["cancel_url"] == CANCEL_URL.replace("{donation}", token)

    donation.refresh_from_db()
    assert donation.provider == "stripe"
    assert donation.status == Donation.Status.PENDING
    assert url == f"https://checkout.stripe.com/c/pay/{donation.checkout_id}"


def test_a_monthly_gift_opens_a_subscription_checkout_with_a_monthly_price(stripe_http):
    donation, url = give(kind="monthly", amount=1250, currency="EUR")

    params = stripe_http.requests[0].params
    assert params["mode"] == "subscription"
    assert params["submit_type"] == "donate"
    assert params["line_items[0][price_data][currency]"] == "eur"
    assert params["line_items[0][price_data][unit_amount]"] == "1250"
    assert params["line_items[0][price_data][recurring][interval]"] == "month"
    assert (
        params["line_items[0][price_data][product_data][name]"] == "Monthly gift to Frame & Grain"
    )
    assert params["subscription_data[metadata][donation]"] == str(donation.pk)
    assert params["metadata[donation]"] == str(donation.pk)
    assert params["customer_email"] == "ada@example.org"
    assert not any(name.startswith("payment_intent_data") for name in params)
    assert url.startswith("https://checkout.stripe.com/c/pay/cs_test_")


def test_each_donation_has_its_own_idempotency_key_and_keeps_it(stripe_http):
    first, _ = give()
    second, _ = give()
    provider = providers.get("stripe")
    provider.create_checkout(first, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)

    keys = [request.headers["Idempotency-Key"] for request in stripe_http.requests]
    assert keys[0] == keys[2]  # the same donation asked again: Stripe answers the first session
    assert keys[0] != keys[1]
    assert str(first.pk) in keys[0]


def test_a_request_stripe_fails_is_retried_with_the_same_idempotency_key(stripe_http):
    stripe_http.failures = [500]

    donation, url = give()

    first, retry = stripe_http.requests
    assert first.headers["Idempotency-Key"] == retry.headers["Idempotency-Key"]
    assert first.params == retry.params
    assert url.endswith(donation.checkout_id)


def test_stripe_out_of_reach_tells_the_reader_nothing_was_charged(stripe_http):
    stripe_http.failures = [network_down()]

    with pytest.raises(providers.ProviderUnavailable) as raised:
        give()

    assert str(raised.value) == (
        "The payment provider could not be reached. Please try again in a minute; "
        "nothing was charged."
    )
    assert not Donation.objects.exclude(checkout_id="").exists()


def test_keys_stripe_refuses_are_not_a_server_error_either(stripe_http):
    stripe_http.failures = [401]

    with pytest.raises(providers.ProviderUnavailable):
        give()


def test_a_monthly_donor_is_sent_to_a_customer_portal_session(stripe_http):
    donation, _ = give(kind="monthly")
    donation.customer_id = "cus_test_ada"

    url = providers.get("stripe").manage_url(
        donation, return_url="https://frameandgrain.example/support/manage/abc/"
    )

    request = stripe_http.requests[-1]
    assert (request.method, request.path) == ("POST", "/v1/billing_portal/sessions")
    assert request.params == {
        "customer": "cus_test_ada",
        "return_url": "https://frameandgrain.example/support/manage/abc/",
    }
    assert url.startswith("https://billing.stripe.com/p/session/test_")


def test_the_portal_out_of_reach_is_provider_unavailable(stripe_http):
    donation, _ = give(kind="monthly")
    stripe_http.failures = [network_down()]

    with pytest.raises(providers.ProviderUnavailable):
        providers.get("stripe").manage_url(donation, return_url="https://frameandgrain.example/")


GIFT = {
    "preset": "5",
    "other": "",
    "kind": "monthly",
    "currency": "GBP",
    "name": "Vera Nakamura",
    "email": "vera@example.org",
    "message": "",
}


def test_donate_on_the_support_page_goes_to_stripes_checkout(client, stripe_http):
    answer = client.post("/support/", GIFT)

    donation = Donation.objects.get()
    assert answer.status_code == 303
    assert answer["Location"] == f"https://checkout.stripe.com/c/pay/{donation.checkout_id}"
    params = stripe_http.requests[0].params
    assert params["mode"] == "subscription"
    assert params["success_url"].startswith("http://testserver/support/thanks/")
    assert params["cancel_url"].startswith("http://testserver/support/?cancelled=")


def test_stripe_down_at_donate_keeps_the_reader_on_the_page_with_what_they_typed(
    client, stripe_http
):
    stripe_http.failures = [network_down()]

    answer = client.post("/support/", GIFT)

    assertContains(answer, "nothing was charged", status_code=503)
    assertContains(answer, "Vera Nakamura", status_code=503)


def running_monthly_gift():
    donation, _ = give(kind="monthly")
    Donation.objects.filter(pk=donation.pk).update(
        status=Donation.Status.ACTIVE, customer_id="cus_test_ada", subscription_id="sub_test_ada"
    )
    return donation, f"/support/manage/{services.manage_token(donation)}/"


def test_the_manage_page_sends_a_monthly_donor_to_the_portal(client, stripe_http):
    donation, page = running_monthly_gift()

    answer = client.post(page, {"donation": donation.pk})

    assert answer.status_code == 303
    assert answer["Location"].startswith("https://billing.stripe.com/p/session/test_")
    assert stripe_http.requests[-1].params == {
        "customer": "cus_test_ada",
        "return_url": f"http://testserver{page}",
    }


def test_stripe_down_at_the_manage_page_says_so_instead_of_a_server_error(client, stripe_http):
    donation, page = running_monthly_gift()
    stripe_http.failures = [network_down()]

    answer = client.post(page, {"donation": donation.pk})

    assertContains(answer, "The payment provider could not be reached.", status_code=503)


# Webhooks: signatures --------------------------------------------------------------------


@pytest.fixture
def one_off(stripe_http):
    donation, _ = give()
    return donation


def completed(donation):
    return checkout_completed_event(
        donation, session_id=donation.checkout_id, customer=None, payment_intent=stripe_id("pi")
    )


def test_a_signed_event_is_taken_and_processed(client, one_off, django_capture_on_commit_callbacks):
    assert deliver(client, django_capture_on_commit_callbacks, completed(one_off)) == [200]

    one_off.refresh_from_db()
    assert one_off.status == Donation.Status.PAID
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.PROCESSED


def signed_otherwise(body: bytes) -> dict[str, str]:
    wrong_secret = stripe_signature(body, secret="whsec_someone_else")
    tampered = stripe_signature(body.replace(b'"paid"', b'"unpaid"'))
    too_old = stripe_signature(body, timestamp=time.time() - 301)
    return {
        "wrong secret": wrong_secret,
        "tampered body": tampered,
        "too old": too_old,
        "no header": "",
        "not a signature": "t=soon,v1=nothing",
        "no v1": f"t={int(time.time())},v0=abc",
        "the dev provider's": providers.dev_sign(body),
    }


@pytest.mark.parametrize(
    "case",
    [
        "wrong secret",
        "tampered body",
        "too old",
        "no header",
        "not a signature",
        "no v1",
        "the dev provider's",
    ],
)
def test_an_event_stripe_did_not_sign_is_refused_and_nothing_stored(
    client, one_off, django_capture_on_commit_callbacks, case
):
    body = json.dumps(completed(one_off)).encode()

    with django_capture_on_commit_callbacks(execute=True):
        answer = post_stripe_event(client, {}, body=body, signature=signed_otherwise(body)[case])

    assert answer.status_code == 400
    assert not WebhookEvent.objects.exists()
    one_off.refresh_from_db()
    assert one_off.status == Donation.Status.PENDING


def test_a_signed_body_that_is_not_an_event_is_refused(client, one_off):
    for body in (b"not json", b'["a list"]', json.dumps({"object": "event"}).encode()):
        assert post_stripe_event(client, {}, body=body).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_without_a_webhook_secret_every_event_is_refused(client, one_off, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    assert post_stripe_event(client, completed(one_off)).status_code == 400
    assert not WebhookEvent.objects.exists()


# Webhooks: what Stripe's events do -------------------------------------------------------


def test_a_one_off_gift_is_paid_receipted_once_and_refunded(
    client, one_off, django_capture_on_commit_callbacks, mailoutbox
):
    paid = completed(one_off)
    intent = paid["data"]["object"]["payment_intent"]

    assert deliver(client, django_capture_on_commit_callbacks, paid, paid) == [200, 200]

    one_off.refresh_from_db()
    assert one_off.status == Donation.Status.PAID
    payment = one_off.payments.get()
    assert (payment.provider_id, payment.amount, payment.currency) == (intent, 500, "GBP")
    assert WebhookEvent.objects.count() == 1
    [receipt] = mailoutbox
    assert receipt.to == ["ada@example.org"]
    assert payment.receipt_number in receipt.body

    refund = charge_refunded_event(payment_intent=intent, amount=500, currency="gbp")
    assert deliver(client, django_capture_on_commit_callbacks, refund) == [200]

    one_off.refresh_from_db()
    payment.refresh_from_db()
    assert one_off.status == Donation.Status.REFUNDED
    assert payment.refunded_amount == 500
    assert one_off not in Donation.objects.supporters()


def test_a_declined_card_marks_the_one_off_gift_failed(
    client, one_off, django_capture_on_commit_callbacks, mailoutbox
):
    declined = payment_failed_event(one_off, payment_intent=stripe_id("pi"))

    assert deliver(client, django_capture_on_commit_callbacks, declined) == [200]

    one_off.refresh_from_db()
    assert one_off.status == Donation.Status.FAILED
    assert one_off.failure == "Your card was declined."
    assert not Payment.objects.exists()
    assert mailoutbox == []


def test_a_monthly_gift_runs_renews_misses_a_month_and_is_cancelled(
    client, stripe_http, django_capture_on_commit_callbacks, mailoutbox
):
    donation, _ = give(kind="monthly", amount=500, currency="GBP")
    customer, subscription = stripe_id("cus"), stripe_id("sub")
    first_month = invoice(donation, subscription=subscription, customer=customer)
    session = checkout_completed_event(
        donation,
        session_id=donation.checkout_id,
        customer=customer,
        subscription=subscription,
        invoice=first_month["id"],
    )

    # Stripe does not promise an order: the first invoice may come before the checkout.
    codes = deliver(
        client, django_capture_on_commit_callbacks, event("invoice.paid", first_month), session
    )

    assert codes == [200, 200]
    donation.refresh_from_db()
    assert donation.status == Donation.Status.ACTIVE
    assert (donation.customer_id, donation.subscription_id) == (customer, subscription)
    assert list(donation.payments.values_list("provider_id", "amount")) == [
        (first_month["id"], 500)
    ]
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}
    assert len(mailoutbox) == 1
    assert "/support/manage/" in mailoutbox[0].body

    renewal = invoice(
        donation, subscription=subscription, customer=customer, reason="subscription_cycle"
    )
    renewed = event("invoice.paid", renewal)
    assert deliver(client, django_capture_on_commit_callbacks, renewed, renewed) == [200, 200]

    assert donation.payments.count() == 2
    assert len(mailoutbox) == 2

    missed = invoice(
        donation,
        subscription=subscription,
        customer=customer,
        reason="subscription_cycle",
        amount_paid=0,
        amount_remaining=500,
        status="open",
    )
    assert deliver(
        client, django_capture_on_commit_callbacks, event("invoice.payment_failed", missed)
    ) == [200]

    donation.refresh_from_db()
    assert donation.status == Donation.Status.ACTIVE
    assert donation.failure == "This month's payment did not go through."
    assert donation.payments.count() == 2

    cancelled = subscription_deleted_event(donation)
    assert deliver(client, django_capture_on_commit_callbacks, cancelled, cancelled) == [200, 200]

    donation.refresh_from_db()
    assert donation.status == Donation.Status.CANCELLED
    assert donation.cancelled_at is not None
    assert not Donation.objects.manageable().exists()
    assert len(mailoutbox) == 2


def test_a_refunded_month_is_found_through_the_payment_that_paid_its_invoice(
    client, stripe_http, django_capture_on_commit_callbacks
):
    donation, _ = give(kind="monthly", amount=300)
    customer, subscription, intent = stripe_id("cus"), stripe_id("sub"), stripe_id("pi")
    month = invoice(donation, subscription=subscription, customer=customer)
    session = checkout_completed_event(
        donation,
        session_id=donation.checkout_id,
        customer=customer,
        subscription=subscription,
        invoice=month["id"],
    )
    events = [
        invoice_payment_paid_event(month, payment_intent=intent),
        session,
        event("invoice.paid", month),
    ]
    assert deliver(client, django_capture_on_commit_callbacks, *events) == [200] * 3

    refund = charge_refunded_event(payment_intent=intent, amount=300, currency="gbp")
    assert deliver(client, django_capture_on_commit_callbacks, refund) == [200]

    payment = donation.payments.get()
    assert (payment.charge_id, payment.refunded_amount) == (intent, 300)
    donation.refresh_from_db()
    # The subscription still runs: the gift stays active, and its refunded only month keeps
    # it off the supporters page.
    assert donation.status == Donation.Status.ACTIVE
    assert not Donation.objects.supporters().filter(pk=donation.pk).exists()
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}


def test_an_event_the_site_does_not_act_on_is_answered_200_and_kept(
    client, one_off, django_capture_on_commit_callbacks
):
    unknown = event("customer.created", {"id": stripe_id("cus"), "object": "customer"})

    assert deliver(client, django_capture_on_commit_callbacks, unknown, unknown) == [200, 200]

    stored = WebhookEvent.objects.get()
    assert (stored.provider, stored.type, stored.status) == (
        "stripe",
        "customer.created",
        WebhookEvent.Status.IGNORED,
    )
    one_off.refresh_from_db()
    assert one_off.status == Donation.Status.PENDING


# The system check ------------------------------------------------------------------------


def error_ids(**overrides) -> list[str]:
    with override_settings(**overrides):
        return [error.id for error in check_donations_provider(None)]


def test_stripe_without_its_keys_stops_the_site():
    assert error_ids() == []
    assert error_ids(STRIPE_SECRET_KEY="") == ["donations.E003"]
    assert error_ids(STRIPE_WEBHOOK_SECRET="") == ["donations.E003"]
    assert error_ids(STRIPE_SECRET_KEY="", STRIPE_WEBHOOK_SECRET="") == ["donations.E003"]


def test_the_dev_provider_is_refused_with_debug_off_unless_allowed():
    dev = {"DONATIONS_PROVIDER": "dev", "STRIPE_SECRET_KEY": "", "STRIPE_WEBHOOK_SECRET": ""}
    assert error_ids(**dev, DEBUG=False, DONATIONS_ALLOW_DEV_PROVIDER=False) == ["donations.E002"]
    assert error_ids(**dev, DEBUG=False, DONATIONS_ALLOW_DEV_PROVIDER=True) == []
    assert error_ids(**dev, DEBUG=True, DONATIONS_ALLOW_DEV_PROVIDER=False) == []


def test_the_check_runs_with_djangos_own():
    with override_settings(STRIPE_SECRET_KEY=""):
        found = checks.run_checks(tags=["donations"], include_deployment_checks=True)
    assert [error.id for error in found] == ["donations.E003"]
