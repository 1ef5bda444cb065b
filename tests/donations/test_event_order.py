"""Events in any order, events that break off, and events that are not ours: a gift ends where
the facts put it, whatever order the provider delivers them in."""

from unittest import mock

import pytest
from django.db import OperationalError

from forum.donations import providers, services
from forum.donations.models import Donation, Payment, WebhookEvent
from tests import factories
from tests.donations.events import deliver, post_event

pytestmark = pytest.mark.django_db
Status = Donation.Status


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return lambda *events: deliver(client, django_capture_on_commit_callbacks, *events)


def monthly(**fields) -> Donation:
    return factories.create_donation(kind="monthly", status="active", public=True, **fields)


def test_an_event_whose_processing_broke_off_is_done_when_redelivered(send, mailoutbox):
    donation = factories.create_donation(status="pending", checkout_id="cs_dev_broken")
    [paid] = providers.dev_payment_events(donation, checkout_id="cs_dev_broken")
    real = services.HANDLERS["checkout.session.completed"]
    broken = mock.Mock(side_effect=OperationalError("database is locked"))

    with mock.patch.dict(services.HANDLERS, {"checkout.session.completed": broken}):
        assert send(paid) == [200]
    event = WebhookEvent.objects.get()
    assert (event.status, event.error) == ("received", "OperationalError: database is locked")

    assert services.HANDLERS["checkout.session.completed"] is real
    assert send(paid) == [200]  # the provider tries again, as it does until it hears 200

    event.refresh_from_db()
    donation.refresh_from_db()
    assert (event.status, donation.status) == ("processed", Status.PAID)
    assert len(mailoutbox) == 1


def test_housekeeping_finishes_an_event_whose_processing_broke_off(send):
    donation = factories.create_donation(status="pending", checkout_id="cs_dev_later")
    [paid] = providers.dev_payment_events(donation, checkout_id="cs_dev_later")
    broken = mock.Mock(side_effect=OperationalError("database is locked"))
    with mock.patch.dict(services.HANDLERS, {"checkout.session.completed": broken}):
        send(paid)

    assert services.retry_waiting_events() == 1

    donation.refresh_from_db()
    assert donation.status == Status.PAID


def test_a_refund_then_a_cancellation_keeps_the_gift_off_the_supporters_page(send):
    donation = monthly()
    send(providers.dev_refund_event(donation.payments.get()), providers.dev_cancel_event(donation))

    donation.refresh_from_db()
    assert donation.status == Status.CANCELLED
    assert not Donation.objects.supporters().filter(pk=donation.pk).exists()


def test_a_month_paid_late_after_a_cancellation_is_recorded_and_the_gift_stays_cancelled(send):
    donation = monthly()
    late = providers.dev_renewal_event(donation)
    send(providers.dev_cancel_event(donation), late)

    donation.refresh_from_db()
    assert donation.status == Status.CANCELLED
    assert donation.payments.count() == 2
    assert not Donation.objects.manageable().filter(pk=donation.pk).exists()


def test_refunding_the_only_month_of_a_running_gift_leaves_it_manageable(send):
    donation = monthly()
    send(providers.dev_refund_event(donation.payments.get()))

    donation.refresh_from_db()
    assert donation.status == Status.ACTIVE
    assert Donation.objects.manageable().filter(pk=donation.pk).exists()
    assert not Donation.objects.supporters().filter(pk=donation.pk).exists()


def test_partial_refunds_delivered_out_of_order_keep_the_larger_total(send):
    donation = factories.create_donation(amount=1000)
    payment = donation.payments.get()
    first, second = (providers.dev_refund_event(payment) for _ in range(2))
    first["data"]["object"]["amount_refunded"] = 200
    second["data"]["object"]["amount_refunded"] = 500

    send(second, first)

    payment.refresh_from_db()
    assert payment.refunded_amount == 500
    assert Payment.objects.in_month().net_total("GBP") == 500


def test_pay_pressed_twice_at_one_checkout_is_one_payment_and_one_receipt(send, mailoutbox):
    for kind in ("one_off", "monthly"):
        donation = factories.create_donation(kind=kind, status="pending", subscription_id="")
        twice = [
            *providers.dev_payment_events(donation, checkout_id=donation.checkout_id),
            *providers.dev_payment_events(donation, checkout_id=donation.checkout_id),
        ]
        send(*twice)
        assert donation.payments.count() == 1
    assert len(mailoutbox) == 2


def test_a_decline_that_names_no_gift_of_ours_is_kept_and_ignored(send):
    intent = {"id": "pi_elsewhere", "object": "payment_intent", "metadata": {}}
    send(providers.dev_event("payment_intent.payment_failed", intent))

    assert WebhookEvent.objects.get().status == "ignored"


def test_a_month_of_a_subscription_we_never_started_is_ignored_not_left_waiting(send):
    invoice = {"id": "in_elsewhere", "subscription": "sub_elsewhere", "amount_paid": 900}
    send(providers.dev_event("invoice.paid", {**invoice, "currency": "gbp"}))

    assert WebhookEvent.objects.get().status == "ignored"
    assert not Payment.objects.exists()


def test_a_signature_in_another_script_is_a_400_not_a_500(client):
    response = post_event(client, {"id": "evt_1", "type": "x"}, signature="t=1,v1=é")

    assert response.status_code == 400


def test_the_dev_provider_does_not_answer_on_a_site_that_uses_stripe(client, settings):
    settings.DONATIONS_PROVIDER = "stripe"
    donation = factories.create_donation(status="pending")
    [paid] = providers.dev_payment_events(donation, checkout_id=donation.checkout_id)
    token = providers.DevProvider().create_checkout(donation, success_url="/", cancel_url="/")

    assert post_event(client, paid).status_code == 404
    assert client.get(token.url).status_code == 404
    assert not WebhookEvent.objects.exists()
