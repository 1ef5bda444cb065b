"""Donations in the admin: who may open what, the provider's facts read-only and the donor's
words editable, approving supporters' messages, the month's totals per currency against the
goal, refunds recorded from the provider's event, the dev provider's refund and renewal
through the webhook, the provider events with "Try again", and the list's query count."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.donations import providers
from forum.donations.admin import months_back
from forum.donations.models import Donation, Payment, WebhookEvent, month_start
from forum.site_settings.models import SiteSettings
from tests import factories
from tests.donations.events import deliver

OK, FORBIDDEN, LOGIN = 200, 403, "login"
ROLES = factories.ROLES
EDITORS_AND_SUPERUSERS = (LOGIN, LOGIN, FORBIDDEN, OK, OK)
SUPERUSERS_ONLY = (LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, OK)
CHANGELIST = reverse("admin:donations_donation_changelist")

PAGES = {
    "donations": lambda d: CHANGELIST,
    "one donation": lambda d: reverse("admin:donations_donation_change", args=[d.pk]),
    "provider events": lambda d: reverse("admin:donations_webhookevent_changelist"),
    "one provider event": lambda d: reverse(
        "admin:donations_webhookevent_change", args=[WebhookEvent.objects.get().pk]
    ),
}


def stored_event(**fields) -> WebhookEvent:
    event = providers.dev_event("invoice.paid", {"id": "in_dev_1", "subscription": "sub_x"})
    fields.setdefault("status", WebhookEvent.Status.PROCESSED)
    return WebhookEvent.objects.create(
        provider="dev", event_id=event["id"], type=event["type"], payload=event, **fields
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def act(client, action: str, *donations, url: str = CHANGELIST):
    return client.post(
        url,
        {"action": action, "_selected_action": [d.pk for d in donations]},
        follow=True,
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(factories.create_person(role="superuser"))
    return client


# Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "role", "expected"),
    [
        (page, role, outcome)
        for page in PAGES
        for role, outcome in zip(ROLES, EDITORS_AND_SUPERUSERS, strict=True)
    ],
)
def test_editors_and_superusers_see_donations_and_nobody_else_does(db, page, role, expected):
    donation = factories.create_donation()
    stored_event()

    response = factories.client_as(role).get(PAGES[page](donation))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, SUPERUSERS_ONLY, strict=True)))
def test_only_superusers_may_delete_a_donation(db, role, expected):
    donation = factories.create_donation()

    response = factories.client_as(role).get(
        reverse("admin:donations_donation_delete", args=[donation.pk])
    )

    if expected == LOGIN:
        assert response.status_code == 302
    else:
        assert response.status_code == expected


def test_nobody_adds_a_donation_in_the_admin(superuser_client):
    response = superuser_client.get(reverse("admin:donations_donation_add"))

    assert response.status_code == FORBIDDEN
    assert "Add donation" not in superuser_client.get(CHANGELIST).text


def test_moderators_are_not_shown_the_donations_app(db):
    moderator = factories.client_as("moderator")
    editor = factories.client_as("editor")

    assert "/admin/donations/" not in moderator.get(reverse("admin:index")).text
    assert "/admin/donations/donation/" in editor.get(reverse("admin:index")).text


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, EDITORS_AND_SUPERUSERS, strict=True))
)
def test_approving_a_message_is_for_editors_and_superusers(db, role, expected):
    donation = factories.create_donation(
        public=True, message="Keep the darkroom columns coming.", message_status="waiting"
    )

    response = factories.client_as(role).post(
        CHANGELIST, {"action": "approve_message", "_selected_action": [donation.pk]}
    )

    donation.refresh_from_db()
    if expected == OK:
        assert response.status_code == 302
        assert donation.message_status == Donation.Message.APPROVED
    else:
        assert response.status_code == (302 if expected == LOGIN else FORBIDDEN)
        assert donation.message_status == Donation.Message.WAITING


@pytest.mark.parametrize("action", ["refund_dev", "charge_next_month_dev"])
def test_editors_are_not_offered_the_dev_providers_money_actions(
    editor_client, monkeypatch, action
):
    sent = []
    monkeypatch.setattr(providers, "dev_send", lambda url, events: sent.append(events))
    donation = factories.create_donation(kind="monthly", status="active")

    listing = editor_client.get(CHANGELIST)
    response = act(editor_client, action, donation)

    assert f'value="{action}"' not in listing.text
    assert "No action selected." in messages_of(response)
    assert sent == []


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, SUPERUSERS_ONLY, strict=True)))
def test_only_superusers_may_try_a_provider_event_again(db, role, expected):
    event = stored_event(status=WebhookEvent.Status.FAILED, error="KeyError: 'amount_paid'")

    response = factories.client_as(role).post(
        reverse("admin:donations_webhookevent_changelist"),
        {"action": "try_again", "_selected_action": [event.pk]},
    )

    event.refresh_from_db()
    assert event.attempts == (1 if expected == OK else 0)
    if expected == FORBIDDEN and role == "editor":
        assert response.status_code in (200, 302)  # the list, with "No action selected"
    elif expected == FORBIDDEN:
        assert response.status_code == FORBIDDEN


# The list and the change page ---------------------------------------------------------------


def test_the_list_shows_amount_kind_status_provider_ids_and_the_message(editor_client):
    factories.create_donation(
        name="Orla Finch",
        email="orla@example.org",
        kind="monthly",
        status="active",
        amount=500,
        subscription_id="sub_dev_0123456789abcdef",
        public=True,
        message="The film reviews got me shooting again.",
        message_status="waiting",
    )
    factories.create_donation(name="Idris Vale", amount=2550, currency="EUR")

    response = editor_client.get(CHANGELIST)

    assert response.status_code == OK
    text = response.text
    assert "Orla Finch" in text and "orla@example.org" in text
    assert "£5 a month" in text
    assert "€25.50" in text and "€25.50 a month" not in text
    assert "Monthly, active" in text
    assert "sub_…abcdef" in text  # shortened, whole in its title
    assert 'title="sub_dev_0123456789abcdef"' in text
    assert "Waiting for an editor" in text
    assert "The film reviews got me shooting again." in text


def test_a_long_message_is_cut_short_in_the_list(editor_client):
    message = "A long letter about printing. " * 20
    factories.create_donation(public=True, message=message, message_status="waiting")

    text = editor_client.get(CHANGELIST).text

    assert message.strip() not in text
    assert "A long letter about printing. A long letter" in text
    assert "…" in text


def test_the_donor_who_wrote_markup_is_shown_it_as_text(editor_client):
    factories.create_donation(
        name="<b>Bold</b>",
        public=True,
        message="<script>alert(1)</script>",
        message_status="waiting",
    )

    text = editor_client.get(CHANGELIST).text

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;Bold&lt;/b&gt;" in text


def test_an_editor_changes_only_the_donors_words_not_what_the_provider_said(editor_client):
    donation = factories.create_donation(
        name="Ana", amount=500, public=True, message="Thanks!", message_status="waiting"
    )
    url = reverse("admin:donations_donation_change", args=[donation.pk])

    page = editor_client.get(url)
    response = editor_client.post(
        url,
        {
            "name": "Ana P.",
            "public": "on",
            "message": "Thank you for the darkroom series.",
            "message_status": "approved",
            "amount": "1",
            "status": "refunded",
            "email": "someone-else@example.org",
            "payments-TOTAL_FORMS": "1",
            "payments-INITIAL_FORMS": "1",
            "payments-MIN_NUM_FORMS": "0",
            "payments-MAX_NUM_FORMS": "1000",
            "payments-0-id": donation.payments.get().pk,
            "payments-0-donation": donation.pk,
        },
    )

    assert 'name="amount"' not in page.text and 'name="status"' not in page.text
    assert "Name shown" in page.text
    assert response.status_code == 302, response.context and response.context["errors"]
    donation.refresh_from_db()
    assert donation.name == "Ana P."
    assert donation.message == "Thank you for the darkroom series."
    assert donation.message_status == Donation.Message.APPROVED
    assert (donation.amount, donation.status) == (500, Donation.Status.PAID)
    assert donation.email.startswith("donor")


def test_an_editor_cannot_name_a_donor_who_did_not_ask_to_be_thanked(editor_client):
    donation = factories.create_donation(name="Quiet Reader", public=False)
    url = reverse("admin:donations_donation_change", args=[donation.pk])

    page = editor_client.get(url)
    editor_client.post(url, {"name": "Quiet Reader", "public": "on", "message": ""})

    assert 'name="public"' not in page.text
    donation.refresh_from_db()
    assert donation.public is False
    assert not Donation.objects.supporters().filter(pk=donation.pk).exists()


def test_the_change_page_lists_payments_with_receipt_numbers_and_refunds(editor_client):
    donation = factories.create_donation(kind="monthly", status="active", amount=700)
    first = donation.payments.get()
    Payment.objects.create(
        donation=donation,
        provider_id="in_dev_second",
        amount=700,
        currency="GBP",
        paid_at=timezone.now(),
        refunded_amount=300,
        refunded_at=timezone.now(),
    )
    second = donation.payments.get(provider_id="in_dev_second")

    text = editor_client.get(reverse("admin:donations_donation_change", args=[donation.pk])).text

    assert first.receipt_number in text and second.receipt_number in text
    assert "£7" in text and "£3" in text
    assert "in_dev_second" in text


def test_a_receipt_number_or_a_provider_id_finds_the_gift(editor_client):
    found = factories.create_donation(name="Petra Lund")
    factories.create_donation(name="Someone Else")
    number = found.payments.get().receipt_number

    by_receipt = editor_client.get(CHANGELIST, {"q": number})
    by_intent = editor_client.get(CHANGELIST, {"q": found.payments.get().provider_id})

    for response in (by_receipt, by_intent):
        assert list(response.context["cl"].result_list) == [found]


# Messages ---------------------------------------------------------------------------------


def test_approving_touches_only_public_gifts_with_a_message_and_says_so(editor_client):
    waiting = factories.create_donation(
        public=True, message="Lovely prints.", message_status="waiting"
    )
    private = factories.create_donation(
        public=False, message="Just for you.", message_status="none"
    )
    silent = factories.create_donation(public=True, message="")

    response = act(editor_client, "approve_message", waiting, private, silent)

    states = {d.pk: d.message_status for d in Donation.objects.all()}
    assert states == {waiting.pk: "approved", private.pk: "none", silent.pk: "none"}
    said = messages_of(response)
    assert "1 message approved: shown on the supporters page." in said
    assert any(m.startswith("2 left as they were") for m in said)


def test_an_editor_keeps_a_message_off_the_supporters_page(editor_client):
    donation = factories.create_donation(
        public=True, message="Buy my lenses", message_status="waiting"
    )

    act(editor_client, "decline_message", donation)

    donation.refresh_from_db()
    assert donation.message_status == Donation.Message.DECLINED
    assert not Donation.objects.supporters().get().shows_message


def test_messages_waiting_lists_only_those_an_editor_must_read(editor_client):
    waiting = factories.create_donation(public=True, message="More film!", message_status="waiting")
    factories.create_donation(public=True, message="Shown", message_status="approved")
    factories.create_donation(public=False, message="Private", message_status="waiting")

    response = editor_client.get(CHANGELIST, {"message": "waiting"})

    assert list(response.context["cl"].result_list) == [waiting]
    assert "Messages waiting (1)" in response.text


def test_the_month_filter_lists_the_gifts_made_that_month(editor_client):
    now = timezone.now()
    old = factories.create_donation(created_at=months_back(month_start(now), 2) + timedelta(days=3))
    factories.create_donation()

    month = f"{months_back(month_start(now), 2):%Y-%m}"
    response = editor_client.get(CHANGELIST, {"month": month})

    assert list(response.context["cl"].result_list) == [old]
    assert editor_client.get(CHANGELIST, {"month": "0000-13"}).status_code == OK


# Totals -----------------------------------------------------------------------------------


def test_totals_count_each_currency_by_month_net_of_refunds_against_the_goal(editor_client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"donation_goal": 100})
    now = timezone.now()
    last_month = months_back(month_start(now), 1) + timedelta(days=2)
    long_ago = months_back(month_start(now), 13)
    factories.create_donation(amount=2000, paid_at=now)
    factories.create_donation(amount=500, paid_at=now, status="refunded")
    factories.create_donation(amount=1050, currency="EUR", paid_at=now)
    factories.create_donation(amount=300, paid_at=last_month)
    factories.create_donation(amount=1500, currency="EUR", paid_at=last_month)
    factories.create_donation(amount=9900, paid_at=long_ago)
    factories.create_donation(amount=4000, status="pending")

    response = editor_client.get(CHANGELIST)

    rows = {row["currency"]: row for row in response.context["totals"]["rows"]}
    assert (rows["GBP"]["this"], rows["GBP"]["last"], rows["GBP"]["year"]) == ("£20", "£3", "£23")
    assert (rows["EUR"]["this"], rows["EUR"]["last"], rows["EUR"]["year"]) == (
        "€10.50",
        "€15",
        "€25.50",
    )
    assert "<strong>£20</strong> of the £100 monthly goal (20%)" in response.text
    assert '<progress id="don-goal-bar" max="100" value="20">' in response.text


def test_without_a_goal_the_totals_show_no_bar(editor_client):
    factories.create_donation(amount=2000)

    response = editor_client.get(CHANGELIST)

    assert "monthly goal" not in response.text
    assert "<td>£20</td>" in response.text


# Refunds and the dev provider ---------------------------------------------------------------


def test_a_refund_from_the_provider_shows_on_the_gift_and_in_the_list(
    editor_client, client, django_capture_on_commit_callbacks
):
    donation = factories.create_donation(name="Rafe Mills", amount=1200)
    payment = donation.payments.get()

    codes = deliver(client, django_capture_on_commit_callbacks, providers.dev_refund_event(payment))

    assert codes == [200]
    listing = editor_client.get(CHANGELIST).text
    page = editor_client.get(reverse("admin:donations_donation_change", args=[donation.pk])).text
    assert "£12 refunded" in listing
    assert "Refunded" in listing
    payment.refresh_from_db()
    assert payment.refunded_amount == 1200
    assert "£12" in page and "refunded" in page.lower()


@pytest.fixture
def sent(monkeypatch):
    """What the dev provider would POST to the webhook: (url, events) per call."""
    calls = []
    monkeypatch.setattr(providers, "dev_send", lambda url, events: calls.append((url, events)))
    return calls


def test_refund_with_the_dev_provider_goes_through_the_webhook(
    superuser_client, client, sent, django_capture_on_commit_callbacks
):
    donation = factories.create_donation(amount=800)
    elsewhere = factories.create_donation(amount=900)
    Donation.objects.filter(pk=elsewhere.pk).update(provider="stripe")

    response = act(superuser_client, "refund_dev", *Donation.objects.all())

    assert len(sent) == 1
    url, events = sent[0]
    assert url == "http://127.0.0.1:8000/support/webhook/dev/"  # SITE_URL, not the Host
    assert [event["type"] for event in events] == ["charge.refunded"]
    assert any("sent 1 event to the webhook" in m for m in messages_of(response))
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID  # not until the webhook says so

    deliver(client, django_capture_on_commit_callbacks, *events)

    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert donation.payments.get().refunded_amount == 800


def test_charge_the_next_month_with_the_dev_provider_makes_a_payment_and_a_receipt(
    superuser_client, client, sent, mailoutbox, django_capture_on_commit_callbacks
):
    running = factories.create_donation(kind="monthly", status="active", amount=500)
    stopped = factories.create_donation(kind="monthly", status="cancelled")
    once = factories.create_donation()

    act(superuser_client, "charge_next_month_dev", running, stopped, once)

    ((_, events),) = sent
    assert [event["type"] for event in events] == ["invoice.paid"]
    deliver(client, django_capture_on_commit_callbacks, *events)
    assert running.payments.count() == 2
    assert stopped.payments.count() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [running.email]


def test_the_dev_actions_send_nothing_when_nothing_fits(superuser_client, sent):
    refunded = factories.create_donation(status="refunded")

    response = act(superuser_client, "refund_dev", refunded)

    assert sent == []
    assert any(m.startswith("Nothing to send") for m in messages_of(response))


def test_the_dev_actions_are_not_offered_with_another_provider(superuser_client, settings):
    settings.DONATIONS_PROVIDER = "stripe"
    factories.create_donation()

    text = superuser_client.get(CHANGELIST).text

    assert 'value="refund_dev"' not in text
    assert 'value="approve_message"' in text


# Provider events --------------------------------------------------------------------------


def test_an_event_that_waited_is_processed_when_tried_again(
    superuser_client, mailoutbox, django_capture_on_commit_callbacks
):
    donation = factories.create_donation(kind="monthly", status="active")
    event = providers.dev_renewal_event(donation)
    stored = WebhookEvent.objects.create(
        provider="dev",
        event_id=event["id"],
        type=event["type"],
        payload=event,
        status=WebhookEvent.Status.FAILED,
        error="no donation for subscription",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:donations_webhookevent_changelist"),
            {"action": "try_again", "_selected_action": [stored.pk]},
            follow=True,
        )

    stored.refresh_from_db()
    assert stored.status == WebhookEvent.Status.PROCESSED
    assert donation.payments.count() == 2
    assert "1 event tried again: 1 processed." in messages_of(response)
    assert len(mailoutbox) == 1


def test_a_processed_event_is_not_processed_twice(superuser_client):
    stored = stored_event()

    response = superuser_client.post(
        reverse("admin:donations_webhookevent_changelist"),
        {"action": "try_again", "_selected_action": [stored.pk]},
        follow=True,
    )

    stored.refresh_from_db()
    assert stored.attempts == 0
    assert "Only waiting or failed events can be tried again." in messages_of(response)


def test_an_events_payload_is_shown_pretty_printed_and_escaped(editor_client):
    stored = stored_event()
    stored.payload["data"]["object"]["description"] = "<img src=x onerror=alert(1)>"
    stored.save()

    text = editor_client.get(reverse("admin:donations_webhookevent_change", args=[stored.pk])).text

    assert '<pre class="don-payload">{\n  &quot;created&quot;' in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert 'name="type"' not in text  # read-only


# Speed ------------------------------------------------------------------------------------


def test_the_list_of_fifty_gifts_takes_a_fixed_number_of_queries(editor_client):
    for n in range(50):
        factories.create_donation(
            kind="monthly" if n % 2 else "one_off",
            status="active" if n % 2 else "paid",
            currency="EUR" if n % 5 == 0 else "GBP",
            public=True,
            message=f"Message {n}",
            message_status="waiting",
        )
    editor_client.get(CHANGELIST)  # sessions, permissions and content types warmed

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(CHANGELIST)

    assert response.status_code == OK
    assert response.text.count("Message ") >= 50
    # Sessions, user, permissions (2), the totals (1 + 3 a currency, the goal), the waiting
    # messages' count, the list (3), the provider filter and the date hierarchy (3).
    assert len(queries) <= 19, "\n".join(q["sql"][:150] for q in queries)
