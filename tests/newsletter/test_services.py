"""The subscription workflows in forum/newsletter/services.py, below the views that call them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.newsletter import services, tokens
from forum.newsletter.models import (
    Delivery,
    Newsletter,
    SignupAttempt,
    Source,
    Subscriber,
    Subscription,
)
from tests import factories

CONFIRMED = Subscription.Status.CONFIRMED
PENDING = Subscription.Status.PENDING
UNSUBSCRIBED = Subscription.Status.UNSUBSCRIBED


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def history(subscriber: Subscriber) -> list[tuple[str, str, str]]:
    changes = Subscription.objects.get(subscriber=subscriber).changes.order_by("at", "pk")
    return [(change.previous, change.status, change.source) for change in changes]


def test_a_new_address_waits_for_confirmation_and_gets_one_mail(newsletter, mailoutbox, on_commit):
    on_commit(
        services.request_subscription, email=" Ada@Example.ORG ", name="Ada", network="192.0.2.0"
    )

    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.name) == ("ada@example.org", "Ada")
    assert history(subscriber) == [("", PENDING, Source.FORM)]
    [mail] = mailoutbox
    assert mail.to == ["ada@example.org"]
    link = next(word for word in mail.body.split() if "/newsletter/confirm/" in word)
    assert tokens.open_token(link.rstrip("/").rsplit("/", 1)[1], tokens.CONFIRM) == subscriber


def test_confirming_spends_the_link_and_records_the_change(newsletter):
    subscriber = factories.create_subscriber(status=PENDING)
    token = tokens.make_token(subscriber, tokens.CONFIRM)

    confirmed = services.confirm_subscriber(subscriber=subscriber, network="192.0.2.0")

    assert confirmed == [newsletter]
    assert history(subscriber)[-1] == (PENDING, CONFIRMED, Source.LINK)
    with pytest.raises(tokens.BadToken) as used:
        tokens.open_token(token, tokens.CONFIRM)
    assert used.value.reason == "used"


def test_signing_up_again_never_downgrades_a_confirmed_subscription(
    newsletter, mailoutbox, on_commit
):
    subscriber = factories.create_subscriber(email="ada@example.org")

    on_commit(services.request_subscription, email="ada@example.org", network="192.0.2.0")

    assert Subscription.objects.get(subscriber=subscriber).status == CONFIRMED
    assert mailoutbox == []


def test_signing_up_after_leaving_asks_for_confirmation_again(newsletter, mailoutbox, on_commit):
    subscriber = factories.create_subscriber(email="ada@example.org", status=UNSUBSCRIBED)

    on_commit(services.request_subscription, email="ada@example.org", network="192.0.2.0")

    assert history(subscriber)[-1] == (UNSUBSCRIBED, PENDING, Source.FORM)
    assert len(mailoutbox) == 1


def test_an_address_gets_at_most_three_confirmation_mails_a_day(newsletter, mailoutbox, on_commit):
    for _ in range(5):
        on_commit(services.request_subscription, email="ada@example.org", network=None)

    assert len(mailoutbox) == services.CONFIRMATIONS_PER_ADDRESS_PER_DAY
    assert SignupAttempt.objects.count() == 5


def test_one_network_may_sign_up_ten_times_an_hour(newsletter):
    for n in range(services.SIGNUPS_PER_NETWORK_PER_HOUR):
        services.request_subscription(email=f"r{n}@example.org", network="198.51.100.0")

    with pytest.raises(services.SignupRefused):
        services.request_subscription(email="one-more@example.org", network="198.51.100.0")
    services.request_subscription(email="elsewhere@example.org", network="203.0.113.0")
    assert not Subscriber.objects.filter(email="one-more@example.org").exists()


def test_the_preference_page_confirms_what_is_ticked_and_ends_the_rest(newsletter):
    other = factories.create_newsletter(name="Darkroom notes")
    subscriber = factories.create_subscriber()

    services.set_subscriptions(subscriber=subscriber, wanted=[other])

    statuses = dict(subscriber.subscriptions.values_list("newsletter__slug", "status"))
    assert statuses == {newsletter.slug: UNSUBSCRIBED, other.slug: CONFIRMED}
    sources = set(subscriber.subscriptions.values_list("changes__source", flat=True))
    assert Source.PREFERENCES in sources


def test_unsubscribing_from_everything_is_recorded_once(newsletter):
    subscriber = factories.create_subscriber()

    assert services.unsubscribe(subscriber=subscriber, source=Source.ONE_CLICK) == 1
    assert services.unsubscribe(subscriber=subscriber, source=Source.ONE_CLICK) == 0
    assert history(subscriber)[-1] == (CONFIRMED, UNSUBSCRIBED, Source.ONE_CLICK)
    assert len(history(subscriber)) == 2


def test_a_member_subscribes_with_one_click_confirmed_at_once(newsletter):
    member = factories.create_user(email="Member@Example.org")

    subscriber = services.subscribe_member(user=member, newsletter=newsletter)

    assert (subscriber.email, subscriber.user) == ("member@example.org", member)
    assert history(subscriber) == [("", CONFIRMED, Source.ACCOUNT)]


@pytest.mark.parametrize(
    ("kind", "status"),
    [("hard", Subscriber.Status.BOUNCED), ("complaint", Subscriber.Status.COMPLAINED)],
)
def test_a_hard_bounce_or_complaint_stops_all_mail_at_once(newsletter, kind, status):
    subscriber = factories.create_subscriber(email="gone@example.org")
    issue = factories.create_issue()
    delivery = Delivery.objects.create(issue=issue, subscriber=subscriber, status="sent")

    services.record_bounce(
        email="GONE@example.org", kind=kind, detail="550 no such user", delivery=delivery
    )

    subscriber.refresh_from_db()
    assert subscriber.status == status and not subscriber.can_receive
    assert history(subscriber)[-1] == (CONFIRMED, UNSUBSCRIBED, Source.BOUNCE)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.BOUNCED
    assert "550 no such user" in delivery.error


def test_soft_bounces_stop_mail_at_the_limit(newsletter, settings):
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 3
    subscriber = factories.create_subscriber(email="full@example.org")

    for _ in range(2):
        services.record_bounce(email="full@example.org", kind="soft")
    subscriber.refresh_from_db()
    assert subscriber.can_receive and subscriber.soft_bounces == 2

    services.record_bounce(email="full@example.org", kind="soft", detail="452 mailbox full")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    assert history(subscriber)[-1][1:] == (UNSUBSCRIBED, Source.BOUNCE)


def test_a_bounce_for_an_unknown_address_changes_nothing(newsletter):
    assert services.record_bounce(email="stranger@example.org", kind="hard") is None


def test_sign_ups_nobody_confirmed_in_30_days_are_forgotten(newsletter):
    old = timezone.now() - timedelta(days=31)
    stale = factories.create_subscriber(email="stale@example.org", status=PENDING)
    Subscription.objects.filter(subscriber=stale).update(created_at=old, changed_at=old)
    fresh = factories.create_subscriber(email="fresh@example.org", status=PENDING)
    reader = factories.create_subscriber(email="reader@example.org")
    other = factories.create_newsletter()
    Subscription.objects.create(
        subscriber=reader, newsletter=other, status=PENDING, created_at=old, changed_at=old
    )
    SignupAttempt.objects.create(email="x@example.org", at=timezone.now() - timedelta(days=2))

    assert services.purge_unconfirmed() == 1

    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "fresh@example.org",
        "reader@example.org",
    }
    statuses = dict(reader.subscriptions.values_list("newsletter", "status"))
    assert statuses == {newsletter.pk: CONFIRMED, other.pk: UNSUBSCRIBED}
    assert not SignupAttempt.objects.exists()
    assert fresh.subscriptions.get().status == PENDING


def test_the_default_newsletter_is_the_first_offered_one(newsletter):
    assert newsletter.slug == "magazine"
    factories.create_newsletter(position=0, is_public=False)
    assert Newsletter.default() == newsletter


def test_signing_up_again_after_a_month_starts_the_30_days_again(newsletter, on_commit):
    """The purge counts from when a request last began to wait (or was mailed), not from
    when the subscription row was first made."""
    months_ago = timezone.now() - timedelta(days=60)
    subscriber = factories.create_subscriber(email="back@example.org", status=UNSUBSCRIBED)
    Subscription.objects.filter(subscriber=subscriber).update(
        created_at=months_ago, changed_at=months_ago
    )

    on_commit(services.request_subscription, email="back@example.org", network=None)

    assert services.purge_unconfirmed() == 0
    assert Subscription.objects.get(subscriber=subscriber).status == PENDING


def test_a_second_confirmation_mail_keeps_an_old_request_alive(newsletter, on_commit):
    subscriber = factories.create_subscriber(email="slow@example.org", status=PENDING)
    weeks_ago = timezone.now() - timedelta(days=40)
    Subscription.objects.filter(subscriber=subscriber).update(
        created_at=weeks_ago, changed_at=weeks_ago
    )

    on_commit(services.request_subscription, email="slow@example.org", network=None)

    assert services.purge_unconfirmed() == 0
    assert Subscriber.objects.filter(email="slow@example.org").exists()


def test_a_sign_up_does_not_name_an_address_already_on_the_list(newsletter):
    factories.create_subscriber(email="known@example.org", name="")

    services.request_subscription(
        email="known@example.org", name="Click evil.example", network=None
    )

    assert Subscriber.objects.get(email="known@example.org").name == ""
