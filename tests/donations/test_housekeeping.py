from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.donations import providers, services
from forum.donations.models import Donation, LinkRequest, Payment, WebhookEvent
from site_config.settings import mailer_from_url
from tests import factories

pytestmark = pytest.mark.django_db


def housekeeping() -> str:
    out = StringIO()
    call_command("donations_housekeeping", stdout=out)
    return out.getvalue()


def stored(event: dict, *, days_ago: float = 0) -> WebhookEvent:
    return WebhookEvent.objects.create(
        provider="dev",
        event_id=event["id"],
        type=event["type"],
        payload=event,
        status=WebhookEvent.Status.WAITING,
        received_at=timezone.now() - timedelta(days=days_ago),
    )


def test_a_waiting_event_is_processed_once_what_it_names_exists(mailoutbox):
    donation = factories.create_donation(kind="monthly", status="active", amount=700)
    renewal = stored(providers.dev_renewal_event(donation))

    output = housekeeping()

    renewal.refresh_from_db()
    assert renewal.status == WebhookEvent.Status.PROCESSED
    assert donation.payments.count() == 2
    assert "Events processed after waiting: 1; still waiting: 0." in output


def test_an_event_that_waited_three_days_is_given_up_and_logged(caplog):
    orphan = factories.create_donation(kind="monthly", status="active")
    event = providers.dev_renewal_event(orphan)
    event["data"]["object"]["subscription"] = "sub_nobody_knows"
    waiting = stored(event, days_ago=4)

    housekeeping()

    waiting.refresh_from_db()
    assert waiting.status == WebhookEvent.Status.FAILED
    assert "gave up" in caplog.text
    assert Payment.objects.filter(donation=orphan).count() == 1


def test_a_checkout_left_for_a_day_is_abandoned_and_old_link_requests_forgotten():
    left = factories.create_donation(status="pending")
    Donation.objects.filter(pk=left.pk).update(created_at=timezone.now() - timedelta(hours=25))
    fresh = factories.create_donation(status="pending")
    LinkRequest.objects.create(email="a@example.org", at=timezone.now() - timedelta(hours=25))
    LinkRequest.objects.create(email="b@example.org")

    output = housekeeping()

    left.refresh_from_db()
    fresh.refresh_from_db()
    assert (left.status, fresh.status) == ("abandoned", "pending")
    assert list(LinkRequest.objects.values_list("email", flat=True)) == ["b@example.org"]
    assert "Checkouts marked abandoned: 1. Link requests forgotten: 1." in output


def test_a_receipt_whose_mail_failed_is_sent_by_housekeeping(mailoutbox, settings):
    donation = factories.create_donation(status="paid")
    payment = donation.payments.get()
    Payment.objects.filter(pk=payment.pk).update(receipt_sent_at=None)
    working = settings.MAILERS
    settings.MAILERS = {"default": mailer_from_url("smtp://127.0.0.1:9")}  # nobody listens

    with pytest.raises(OSError):
        services.send_receipt.call(payment.pk)
    payment.refresh_from_db()
    assert payment.receipt_sent_at is None and not mailoutbox

    settings.MAILERS = working
    assert services.send_unsent_receipts(older_than=timedelta(0)) == 1
    assert services.send_unsent_receipts(older_than=timedelta(0)) == 0
    assert [mail.to for mail in mailoutbox] == [[donation.email]]
