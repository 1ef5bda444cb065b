from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.donations import providers
from forum.donations.models import Donation, LinkRequest, Payment, WebhookEvent
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
