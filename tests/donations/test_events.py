"""What each provider event does to a gift, sent through the real webhook as the dev provider
sends it: payments and their receipts, monthly renewals, failures, cancellations, refunds, and
the manage link a monthly donor's receipt carries."""

import re
import time
from unittest import mock

import pytest
from django.core import signing

from forum.donations import providers, services
from forum.donations.models import Donation, Payment, WebhookEvent, format_amount
from tests import factories
from tests.donations.events import deliver

Status = Donation.Status


def start(*, kind=Donation.Kind.ONE_OFF, amount=500, email="nia@example.org") -> Donation:
    """A gift waiting at its dev checkout, as /support/ leaves it."""
    donation, _ = services.start_donation(
        kind=kind,
        amount=amount,
        currency="GBP",
        name="Nia Okafor",
        email=email,
        success_url="http://testserver/support/thanks/{donation}/",
        cancel_url="http://testserver/support/",
    )
    return donation


def pay(donation) -> list[dict]:
    """What the dev checkout's "Pay" sends for `donation`."""
    return providers.dev_payment_events(donation, checkout_id=donation.checkout_id)


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Deliver events to the webhook and run the tasks they queue; returns the status codes."""
    return lambda *events: deliver(client, django_capture_on_commit_callbacks, *events)


def manage_link(mail) -> str:
    return re.search(r"https?://\S+/support/manage/[^/\s]+/", mail.body).group(0)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def active(db, send, mailoutbox):
    """A £5 monthly gift through its first month, its first receipt in the outbox."""
    donation = start(kind=Donation.Kind.MONTHLY)
    send(*pay(donation))
    donation.refresh_from_db()
    assert donation.status == Status.ACTIVE
    return donation


# Paying ----------------------------------------------------------------------------------------


def test_a_one_off_payment_makes_the_gift_paid_with_one_payment_and_a_receipt(db, send, mailoutbox):
    donation = start(amount=1250)

    assert send(*pay(donation)) == [200]

    donation.refresh_from_db()
    assert donation.status == Status.PAID
    assert donation.is_confirmed
    payment = donation.payments.get()
    assert (payment.amount, payment.currency) == (1250, "GBP")
    [mail] = mailoutbox
    assert mail.to == ["nia@example.org"]
    assert "£12.50" in mail.subject
    assert payment.receipt_number in mail.body
    assert re.fullmatch(r"FG-\d{4}-\d{6}", payment.receipt_number)
    assert f"{payment.paid_at:%-d %B %Y}" in mail.body
    assert "£12.50" in mail.body
    assert "/support/manage/" not in mail.body  # nothing to manage for a one-off gift
    assert payment.receipt_sent_at is not None


def test_a_monthly_gift_whose_invoice_comes_first_waits_then_starts_with_one_payment(
    db, send, mailoutbox
):
    """Stripe may announce the first month's invoice before the checkout that made the
    subscription: the invoice waits, and is taken once the checkout names the subscription."""
    donation = start(kind=Donation.Kind.MONTHLY)
    invoice, session = pay(donation)

    assert send(invoice) == [200]
    donation.refresh_from_db()
    assert donation.status == Status.PENDING
    assert WebhookEvent.objects.get().status == WebhookEvent.Status.WAITING
    assert not mailoutbox

    assert send(session) == [200]
    donation.refresh_from_db()
    assert donation.status == Status.ACTIVE
    assert donation.subscription_id == session["data"]["object"]["subscription"]
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {"processed"}
    payment = donation.payments.get()
    assert payment.provider_id == invoice["data"]["object"]["id"]
    [mail] = mailoutbox
    assert payment.receipt_number in mail.body
    assert "(monthly)" in mail.body


def test_a_monthly_renewal_is_a_second_payment_with_a_second_receipt_and_the_manage_link(
    active, send, mailoutbox
):
    assert send(providers.dev_renewal_event(active)) == [200]

    assert active.payments.count() == 2
    first_payment, renewal = active.payments.order_by("pk")
    first, second = mailoutbox
    assert first_payment.receipt_number in first.body
    assert renewal.receipt_number in second.body
    assert first_payment.receipt_number not in second.body
    link = manage_link(second)
    assert services.donor_email_from_manage_token(token_of(link)) == "nia@example.org"
    active.refresh_from_db()
    assert active.status == Status.ACTIVE


def test_a_month_that_fails_to_charge_is_noted_and_the_gift_runs_on(active, send, mailoutbox):
    """The provider retries a failed month itself and cancels the subscription if it keeps
    failing: the gift stays active meanwhile, with the reason kept for the editors."""
    invoice = {
        "id": providers.dev_id("in"),
        "object": "invoice",
        "subscription": active.subscription_id,
        "amount_due": active.amount,
        "currency": "gbp",
        "last_finalization_error": {"message": "Insufficient funds."},
    }

    assert send(providers.dev_event("invoice.payment_failed", invoice)) == [200]

    active.refresh_from_db()
    assert active.status == Status.ACTIVE
    assert active.failure == "Insufficient funds."
    assert active.payments.count() == 1
    assert len(mailoutbox) == 1


def test_a_declined_card_fails_the_gift_and_a_later_payment_still_goes_through(
    db, send, mailoutbox
):
    donation = start()

    assert send(providers.dev_failure_event(donation)) == [200]
    donation.refresh_from_db()
    assert donation.status == Status.FAILED
    assert "declined" in donation.failure
    assert not donation.payments.exists()
    assert not mailoutbox

    send(*pay(donation))
    donation.refresh_from_db()
    assert donation.status == Status.PAID
    assert donation.failure == ""
    assert len(mailoutbox) == 1


def test_cancelling_a_subscription_cancels_the_monthly_gift(active, send):
    assert send(providers.dev_cancel_event(active)) == [200]

    active.refresh_from_db()
    assert active.status == Status.CANCELLED
    assert active.cancelled_at is not None
    assert not Donation.objects.manageable().filter(pk=active.pk).exists()


def test_a_cancelled_monthly_donor_stays_thanked_on_the_supporters_page(db, send):
    donation = start(kind=Donation.Kind.MONTHLY)
    Donation.objects.filter(pk=donation.pk).update(public=True)
    send(*pay(donation))
    donation.refresh_from_db()

    send(providers.dev_cancel_event(donation))

    assert list(Donation.objects.supporters()) == [donation]


def test_a_refund_marks_the_payment_and_the_gift_and_takes_it_off_the_supporters_and_total(
    db, send, mailoutbox
):
    donation = start(amount=2000)
    Donation.objects.filter(pk=donation.pk).update(public=True)
    other = factories.create_donation(amount=300, public=True)
    send(*pay(donation))
    assert Payment.objects.in_month().net_total("GBP") == 2300
    assert set(Donation.objects.supporters()) == {donation, other}

    assert send(providers.dev_refund_event(donation.payments.get())) == [200]

    payment = donation.payments.get()
    assert payment.is_refunded
    assert payment.refunded_amount == 2000
    assert payment.refunded_at is not None
    donation.refresh_from_db()
    assert donation.status == Status.REFUNDED
    assert list(Donation.objects.supporters()) == [other]
    assert Payment.objects.in_month().net_total("GBP") == 300
    assert format_amount(Payment.objects.in_month().net_total("GBP"), "GBP") == "£3"
    assert len(mailoutbox) == 1  # no receipt for a refund


def test_refunding_one_month_of_a_monthly_gift_leaves_the_gift(active, send):
    send(providers.dev_renewal_event(active))
    first = active.payments.order_by("pk").first()

    send(providers.dev_refund_event(first))

    first.refresh_from_db()
    assert first.is_refunded
    active.refresh_from_db()
    assert active.status == Status.ACTIVE
    assert Payment.objects.in_month().net_total("GBP") == 500


def test_a_refund_for_a_payment_not_heard_of_yet_waits(db, send):
    donation = start()
    refund = providers.dev_event(
        "charge.refunded",
        {"id": "ch_dev_unknown", "object": "charge", "amount_refunded": 500, "refunded": True},
    )

    assert send(refund) == [200]

    assert WebhookEvent.objects.get().status == WebhookEvent.Status.WAITING
    donation.refresh_from_db()
    assert donation.status == Status.PENDING


def test_a_checkout_left_to_expire_is_abandoned(db, send):
    donation = start()
    expired = providers.dev_event(
        "checkout.session.expired",
        {"id": donation.checkout_id, "object": "checkout.session", "status": "expired"},
    )

    assert send(expired) == [200]

    donation.refresh_from_db()
    assert donation.status == Status.ABANDONED


def test_an_expiry_after_payment_changes_nothing(db, send):
    donation = start()
    send(*pay(donation))
    expired = providers.dev_event(
        "checkout.session.expired", {"id": donation.checkout_id, "object": "checkout.session"}
    )

    send(expired)

    donation.refresh_from_db()
    assert donation.status == Status.PAID


# Replays ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Donation.Kind.ONE_OFF, Donation.Kind.MONTHLY])
def test_every_event_of_a_payment_sent_twice_makes_one_gift_one_payment_one_receipt(
    db, send, mailoutbox, kind
):
    donation = start(kind=kind)
    events = pay(donation)

    codes = send(*events, *events)

    assert codes == [200] * (2 * len(events))
    assert Donation.objects.count() == 1
    assert Payment.objects.count() == 1
    assert len(mailoutbox) == 1
    assert WebhookEvent.objects.count() == len(events)


def test_a_renewal_sent_twice_is_one_payment_and_one_receipt(active, send, mailoutbox):
    renewal = providers.dev_renewal_event(active)

    assert send(renewal, renewal) == [200, 200]

    assert active.payments.count() == 2
    assert len(mailoutbox) == 2


def test_a_cancellation_sent_twice_keeps_the_first_time(active, send):
    cancel = providers.dev_cancel_event(active)
    send(cancel)
    active.refresh_from_db()
    cancelled_at = active.cancelled_at

    again = providers.dev_cancel_event(active)  # the same news under a new event id
    send(cancel, again)

    active.refresh_from_db()
    assert active.cancelled_at == cancelled_at


# The manage link in a monthly receipt ---------------------------------------------------------


@pytest.fixture
def receipt_link(active, mailoutbox):
    [receipt] = mailoutbox
    return manage_link(receipt)


def test_the_receipt_link_is_signed_for_its_donor(receipt_link, active):
    assert receipt_link.startswith("http")
    assert services.donor_email_from_manage_token(token_of(receipt_link)) == active.email


def test_the_receipt_link_names_only_its_own_donor(receipt_link, send, mailoutbox):
    other = start(kind=Donation.Kind.MONTHLY, email="sam@example.org")
    send(*pay(other))
    sams = manage_link(mailoutbox[-1])

    assert services.donor_email_from_manage_token(token_of(sams)) == "sam@example.org"
    assert services.donor_email_from_manage_token(token_of(receipt_link)) == "nia@example.org"
    assert sams != receipt_link


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.dumps(int(signing.loads(token, salt="donations.manage")) + 1),
        lambda token: signing.dumps(1, salt="donations.return"),
    ],
    ids=["tampered", "unsalted", "another-purpose"],
)
def test_a_manage_link_that_is_not_ours_names_no_one(receipt_link, change):
    assert services.donor_email_from_manage_token(change(token_of(receipt_link))) is None


def test_the_receipt_link_expires_after_30_days(active):
    """The link is signed with its time: read it as if 29 and 31 days had passed, moving only
    the clock that django.core.signing reads."""
    token = services.manage_token(active)
    day = 24 * 3600
    now = time.time()

    with mock.patch("django.core.signing.time.time", return_value=now + 29 * day):
        assert services.donor_email_from_manage_token(token) == active.email
    with (
        mock.patch("django.core.signing.time.time", return_value=now + 31 * day),
        pytest.raises(signing.SignatureExpired),
    ):
        services.donor_email_from_manage_token(token)
