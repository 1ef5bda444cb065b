"""The demo's gifts to the magazine: what /support/ and /support/supporters/ show on `make run`."""

from datetime import timedelta

import pytest

from forum.demo.donations import GIFTS, seed_donations
from forum.donations.models import Donation, Payment, WebhookEvent, month_start
from forum.site_settings.models import SiteSettings
from tests.factories import create_donation

Status = Donation.Status


@pytest.fixture
def seeded(db):
    """The demo's gifts alone (seed_demo calls this; tests/demo/test_seed_demo.py runs the
    whole command, twice, and counts the gifts there)."""
    seed_donations()


def counts():
    return {model.__name__: model.objects.count() for model in (Donation, Payment, WebhookEvent)}


def test_seed_demo_fills_the_support_pages_through_the_providers_events(seeded, client):
    site = SiteSettings.current()
    assert site.donation_goal == 400
    # This month: £10 + £40 + £3 + £5 + £5 + £50 one-off, £5 a month begun, two monthly gifts
    # renewed (£5, £3); the £15 refunded counts for nothing.
    assert Payment.objects.in_month().net_total("GBP") == 12_600
    last_month = month_start() - timedelta(days=1)
    assert Payment.objects.in_month(last_month).net_total("GBP") == 7_800
    assert not Payment.objects.filter(paid_at__lt=month_start(last_month)).exists()
    assert site.free_articles_a_month == 0  # the reading meter stays off

    assert Donation.objects.count() == len(GIFTS)
    assert not WebhookEvent.objects.exclude(status=WebhookEvent.Status.PROCESSED).exists()
    assert set(Donation.objects.values_list("status", flat=True)) == {
        Status.PAID,
        Status.ACTIVE,
        Status.CANCELLED,
        Status.REFUNDED,
    }
    assert Donation.objects.filter(status=Status.REFUNDED).count() == 1
    assert Donation.objects.monthly().filter(status=Status.CANCELLED).count() == 1
    waiting = Donation.objects.get(message_status=Donation.Message.WAITING)

    page = client.get("/support/").content.decode()
    assert "£126" in page and "£400" in page

    page = client.get("/support/supporters/").content.decode()
    for donation in Donation.objects.supporters():
        assert donation.name in page
    assert "Priya Raman" in page and "Kinder Scout" in page
    assert "Hannah Okafor" not in page  # did not ask to be named
    assert "Lena Vogt" not in page  # refunded
    assert waiting.name in page and "bank manager" not in page


def test_seed_demo_twice_adds_no_gift_payment_or_event(seeded):
    before = counts()
    total = Payment.objects.in_month().net_total("GBP")
    assert before["Donation"] == len(GIFTS) and total

    assert seed_donations() == 0

    assert counts() == before
    assert Payment.objects.in_month().net_total("GBP") == total


def test_demo_leaves_the_goal_of_a_site_that_already_had_gifts(db):
    create_donation()

    assert seed_donations() == len(GIFTS)

    assert SiteSettings.current().donation_goal == 0


def test_demo_gifts_mail_one_receipt_a_payment_as_real_ones_do(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        seed_donations()

    assert Payment.objects.count() == 15
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        Payment.objects.values_list("donation__email", flat=True)
    )
    assert not Payment.objects.filter(receipt_sent_at__isnull=True).exists()
