"""The bounce webhook: only signed, fresh reports change anything, and each stops the right mail."""

import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from forum.newsletter import checks, rendering
from forum.newsletter.models import Delivery, Source, Subscriber, Subscription
from forum.newsletter.webhooks import MAX_BODY_BYTES, SIGNATURE_HEADER, signature
from tests.factories import create_issue, create_newsletter, create_subscriber

URL = "/newsletter/bounces/"
SECRET = "whsec-test-only-3f9a"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.NEWSLETTER_WEBHOOK_SECRET = SECRET
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 3


def post(client, payload, *, secret=SECRET, at=None, header=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    if header is None:
        header = signature(body, secret=secret, timestamp=int(at or time.time()))
    headers = {SIGNATURE_HEADER: header} if header else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def bounce(email, **fields):
    return {"events": [{"type": "bounce", "email": email, "bounce_type": "hard", **fields}]}


@pytest.fixture
def reader(newsletter):
    subscriber = create_subscriber(email="ana@example.org", newsletter=newsletter)
    Subscription.objects.create(subscriber=subscriber, newsletter=create_newsletter())
    Subscription.objects.filter(subscriber=subscriber).update(status="confirmed")
    return subscriber


def statuses(subscriber):
    return set(subscriber.subscriptions.values_list("status", flat=True))


def test_a_signed_hard_bounce_stops_all_mail_to_the_address(client, reader):
    response = post(client, bounce("Ana@Example.org", detail="550 5.1.1 user unknown"))

    assert response.status_code == 200
    assert response.json()["recorded"] == 1
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.BOUNCED
    assert statuses(reader) == {Subscription.Status.UNSUBSCRIBED}
    changes = {c.source for s in reader.subscriptions.all() for c in s.changes.all()[:1]}
    assert changes == {Source.BOUNCE}
    note = reader.subscriptions.first().changes.first().note
    assert "550 5.1.1 user unknown" in note


@pytest.mark.parametrize(
    "header",
    [
        "",  # missing
        "t=123,v1=deadbeef",  # wrong and old
        "v1=00",  # no timestamp
        "garbage",
    ],
)
def test_a_report_without_a_good_signature_is_refused_and_changes_nothing(client, reader, header):
    response = post(client, bounce(reader.email), header=header or "")

    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_a_report_signed_with_another_secret_is_refused(client, reader):
    response = post(client, bounce(reader.email), secret="someone-elses-secret")

    assert response.status_code == 400
    assert response.json()["error"] == "wrong signature"
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_a_body_changed_after_signing_is_refused(client, reader):
    signed = json.dumps(bounce("someone@example.org")).encode()
    header = signature(signed, secret=SECRET, timestamp=int(time.time()))

    response = post(client, json.dumps(bounce(reader.email)).encode(), header=header)

    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


@pytest.mark.parametrize("age", [-301, 301, 3600])
def test_a_report_signed_more_than_five_minutes_from_now_is_refused(client, reader, age):
    response = post(client, bounce(reader.email), at=time.time() - age)

    assert response.status_code == 400
    assert response.json()["error"] == "timestamp too far from now"
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_a_captured_request_replayed_later_is_refused(client, reader, monkeypatch):
    body = json.dumps(bounce(reader.email)).encode()
    header = signature(body, secret=SECRET, timestamp=int(time.time()))
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)

    response = post(client, body, header=header)

    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_a_report_replayed_at_once_counts_its_delivery_once(client, newsletter, reader):
    issue = create_issue(newsletter=newsletter)
    delivery = Delivery.objects.create(issue=issue, subscriber=reader, status="sent")
    event = {
        "type": "bounce",
        "email": reader.email,
        "bounce_type": "soft",
        "message_id": rendering.message_id(issue, reader),
    }
    body = json.dumps({"events": [event]}).encode()
    header = signature(body, secret=SECRET, timestamp=int(time.time()))

    first = post(client, body, header=header)
    again = post(client, body, header=header)

    assert first.json()["recorded"] == 1
    assert again.json()["duplicate"] == 1
    reader.refresh_from_db()
    assert reader.soft_bounces == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.BOUNCED


def test_a_bounce_with_a_message_id_marks_that_delivery_bounced(client, newsletter, reader):
    issue = create_issue(newsletter=newsletter)
    other_issue = create_issue(newsletter=newsletter)
    delivery = Delivery.objects.create(issue=issue, subscriber=reader, status="sent")
    untouched = Delivery.objects.create(issue=other_issue, subscriber=reader, status="sent")

    post(
        client, bounce(reader.email, message_id=rendering.message_id(issue, reader), detail="5.1.1")
    )

    delivery.refresh_from_db()
    untouched.refresh_from_db()
    assert delivery.status == Delivery.Status.BOUNCED
    assert delivery.error == "hard: 5.1.1"
    assert untouched.status == Delivery.Status.SENT


def test_a_message_id_for_another_reader_marks_no_delivery(client, newsletter, reader):
    other = create_subscriber(email="ben@example.org", newsletter=newsletter)
    issue = create_issue(newsletter=newsletter)
    theirs = Delivery.objects.create(issue=issue, subscriber=other, status="sent")

    post(client, bounce(reader.email, message_id=rendering.message_id(issue, other)))

    theirs.refresh_from_db()
    assert theirs.status == Delivery.Status.SENT
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.BOUNCED  # the address bounced all the same


def test_a_complaint_stops_all_mail_and_marks_the_address(client, reader):
    response = post(client, {"events": [{"type": "complaint", "email": reader.email}]})

    assert response.json()["recorded"] == 1
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.COMPLAINED
    assert statuses(reader) == {Subscription.Status.UNSUBSCRIBED}


@pytest.mark.parametrize("later", [{"bounce_type": "hard"}, {"bounce_type": "soft"}])
def test_a_bounce_after_a_complaint_leaves_the_complaint_on_record(client, reader, settings, later):
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 1
    post(client, {"events": [{"type": "complaint", "email": reader.email}]})

    post(client, {"events": [{"type": "bounce", "email": reader.email, **later}]})

    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.COMPLAINED


def test_soft_bounces_count_and_stop_mail_at_the_limit(client, reader):
    soft = {"events": [{"type": "bounce", "email": reader.email, "bounce_type": "soft"}]}

    post(client, soft)
    post(client, soft)
    reader.refresh_from_db()
    assert (reader.status, reader.soft_bounces) == (Subscriber.Status.ACTIVE, 2)
    assert statuses(reader) == {Subscription.Status.CONFIRMED}

    post(client, soft)
    reader.refresh_from_db()
    assert (reader.status, reader.soft_bounces) == (Subscriber.Status.BOUNCED, 3)
    assert statuses(reader) == {Subscription.Status.UNSUBSCRIBED}


def test_a_bounce_of_unknown_type_counts_as_soft(client, reader):
    post(client, {"events": [{"type": "bounce", "email": reader.email}]})

    reader.refresh_from_db()
    assert (reader.status, reader.soft_bounces) == (Subscriber.Status.ACTIVE, 1)


def test_a_delivered_mail_starts_the_soft_count_again(client, reader):
    soft = {"type": "bounce", "email": reader.email, "bounce_type": "soft"}
    post(client, {"events": [soft, soft]})

    response = post(client, {"events": [{"type": "delivered", "email": reader.email}]})
    post(client, {"events": [soft, soft]})

    assert response.json()["recorded"] == 1
    reader.refresh_from_db()
    assert (reader.status, reader.soft_bounces) == (Subscriber.Status.ACTIVE, 2)


def test_unknown_addresses_and_types_are_counted_and_change_nothing(client, reader):
    response = post(
        client,
        {
            "events": [
                {"type": "bounce", "email": "nobody@example.org", "bounce_type": "hard"},
                {"type": "open", "email": reader.email},
                {"type": "bounce"},
                "not an event",
            ]
        },
    )

    assert response.status_code == 200
    assert response.json() == {
        "recorded": 0,
        "duplicate": 0,
        "unknown_address": 1,
        "ignored": 1,
        "invalid": 2,
    }
    assert not Subscriber.objects.filter(email="nobody@example.org").exists()
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


@pytest.mark.parametrize(
    "body", [b"not json", b'{"events": "nope"}', b"[1, 2]", b'{"other": []}', b"\xff\xfe"]
)
def test_a_signed_body_that_is_not_the_documented_shape_is_refused(client, reader, body):
    assert post(client, body).status_code == 400


def test_an_oversized_body_is_refused_before_anything_is_read(client, reader):
    events = [{"type": "bounce", "email": reader.email, "detail": "x" * 1000}] * 1100
    body = json.dumps({"events": events}).encode()
    assert len(body) > MAX_BODY_BYTES

    response = post(client, body)

    assert response.status_code == 413
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_without_a_secret_nothing_is_recorded(client, reader, settings):
    settings.NEWSLETTER_WEBHOOK_SECRET = ""

    response = post(client, bounce(reader.email), secret="")

    assert response.status_code == 503
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE


def test_the_webhook_takes_posts_without_csrf_token_and_only_posts(reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert post(client, bounce(reader.email)).status_code == 200
    assert client.get(URL).status_code == 405


def test_deploy_check_warns_about_a_missing_secret_and_an_http_site(settings):
    settings.DEBUG = False
    settings.NEWSLETTER_WEBHOOK_SECRET = ""
    settings.SITE_URL = "http://frameandgrain.example"

    ids = [warning.id for warning in checks.check_newsletter_settings(None)]
    assert ids == ["newsletter.W001", "newsletter.W002"]
    with pytest.raises(SystemCheckError, match="bounces will not be recorded"):
        call_command("check", deploy=True, fail_level="WARNING", tags=["newsletter"])

    settings.NEWSLETTER_WEBHOOK_SECRET = SECRET
    settings.SITE_URL = "https://frameandgrain.example"
    assert checks.check_newsletter_settings(None) == []
    settings.DEBUG = True
    settings.NEWSLETTER_WEBHOOK_SECRET = ""
    assert checks.check_newsletter_settings(None) == []


def test_a_hard_bounce_after_a_soft_one_for_the_same_message_still_stops_the_mail(
    client, newsletter, reader
):
    """Providers report each temporary failure, then the permanent one."""
    issue = create_issue(newsletter=newsletter)
    Delivery.objects.create(issue=issue, subscriber=reader, status="sent")
    soft, hard = (
        {
            "type": "bounce",
            "email": reader.email,
            "bounce_type": kind,
            "message_id": rendering.message_id(issue, reader),
        }
        for kind in ("soft", "hard")
    )

    for event in (soft, hard):
        body = json.dumps({"events": [event]}).encode()
        assert (
            post(
                client, body, header=signature(body, secret=SECRET, timestamp=int(time.time()))
            ).json()["recorded"]
            == 1
        )

    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.BOUNCED


def test_a_timestamp_in_another_script_is_refused_not_an_error(client, newsletter):
    body = b'{"events": []}'

    response = post(client, body, header="t=\u00b2,v1=00")

    assert response.status_code == 400
