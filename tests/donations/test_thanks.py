"""The return page: "Confirming…" until the provider's webhook says the money came, then
"Thank you", and a cookie that tells the reading meter this browser gave this month."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core import signing
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.donations import providers, services
from forum.donations.models import Donation
from tests import factories
from tests.donations.events import deliver

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="2; url=/support/thanks/'


def thanks_url(donation):
    return f"/support/thanks/{services.return_token(donation)}/"


def test_a_pending_gift_is_confirming_and_refreshes_itself(client):
    donation = factories.create_donation(status=Donation.Status.PENDING, amount=500)
    page = client.get(thanks_url(donation))
    assertContains(page, "Confirming your payment…")
    assertContains(page, REFRESH)
    assertNotContains(page, "Thank you")
    assert "fg_supporter" not in page.cookies


def test_a_gift_the_webhook_confirmed_says_thank_you_with_the_amount(client):
    donation = factories.create_donation(status=Donation.Status.PAID, amount=750)
    page = client.get(thanks_url(donation))
    assertContains(page, "<h1>Thank you</h1>", html=True)
    assertContains(page, "<strong>£7.50</strong>", html=True)
    assertContains(page, "A receipt is on its way")
    assertNotContains(page, REFRESH)
    assertNotContains(page, "link to change or cancel")


def test_the_page_turns_to_thank_you_once_the_dev_providers_events_arrive(
    client, django_capture_on_commit_callbacks
):
    donation = factories.create_donation(
        status=Donation.Status.PENDING, kind="monthly", amount=500, subscription_id=""
    )
    assertContains(client.get(thanks_url(donation)), "Confirming your payment…")
    events = providers.dev_payment_events(donation, checkout_id=donation.checkout_id)
    assert deliver(client, django_capture_on_commit_callbacks, *events) == [200, 200]
    page = client.get(thanks_url(donation))
    assertContains(page, "<strong>£5 a month</strong>", html=True)
    assertContains(page, "with a link to change or cancel your monthly gift")


def test_a_confirmed_gift_marks_the_browser_as_a_supporter_for_the_month(client, rf):
    donation = factories.create_donation(status=Donation.Status.PAID)
    cookie = client.get(thanks_url(donation)).cookies["fg_supporter"]
    request = rf.get("/")
    request.COOKIES["fg_supporter"] = cookie.value
    month = request.get_signed_cookie("fg_supporter", salt="donations.supporter")
    assert month == f"{timezone.localtime():%Y-%m}"
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 31 * 24 * 3600


def test_the_supporter_cookie_cannot_be_forged(rf):
    request = rf.get("/")
    request.COOKIES["fg_supporter"] = "2026-11"
    with pytest.raises(signing.BadSignature):
        request.get_signed_cookie("fg_supporter", salt="donations.supporter")


def test_an_abandoned_gift_says_so_and_leads_back_to_the_form(client):
    donation = factories.create_donation(
        status=Donation.Status.ABANDONED, failure="Your card was declined."
    )
    token = services.return_token(donation)
    page = client.get(f"/support/thanks/{token}/")
    assertContains(page, "Your payment did not go through")
    assertContains(page, f'href="/support/?cancelled={quote(token)}#give"')
    assertNotContains(page, REFRESH)
    assert "fg_supporter" not in page.cookies


def test_a_declined_card_before_the_payment_goes_on_confirming(client):
    """The provider sends the reader here only after a payment: a decline recorded before it
    is the last word only until the payment's event lands."""
    donation = factories.create_donation(
        status=Donation.Status.FAILED, failure="Your card was declined."
    )
    page = client.get(thanks_url(donation))
    assertContains(page, REFRESH)
    assertNotContains(page, "Your payment did not go through")


def test_a_gift_still_unconfirmed_after_half_an_hour_stops_refreshing(client):
    donation = factories.create_donation(
        status=Donation.Status.PENDING, created_at=timezone.now() - timedelta(hours=1)
    )
    page = client.get(thanks_url(donation))
    assertContains(page, "has not confirmed this gift yet")
    assertNotContains(page, REFRESH)


@pytest.mark.parametrize("token", ["nonsense", signing.dumps(1, salt="donations.manage")])
def test_a_bad_token_is_not_found(client, token):
    factories.create_donation()
    assert client.get(f"/support/thanks/{token}/").status_code == 404


def test_an_old_token_is_not_found(client, settings):
    donation = factories.create_donation()
    url = thanks_url(donation)
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + timedelta(days=3)
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        assert client.get(url).status_code == 404


def test_xss_in_the_name_is_escaped(client):
    donation = factories.create_donation(email="x@example.org", name="<script>alert(1)</script>")
    page = client.get(thanks_url(donation))
    assertNotContains(page, "<script>alert(1)")


@pytest.mark.parametrize("role", factories.ROLES)
def test_anyone_with_the_link_sees_the_page(role):
    donation = factories.create_donation()
    assert factories.client_as(role).get(thanks_url(donation)).status_code == 200


def test_the_reader_may_stop_the_refresh_and_check_by_hand(client):
    donation = factories.create_donation(status=Donation.Status.PENDING)
    url = thanks_url(donation)
    assertContains(client.get(url), f'href="{url}?refresh=off">Stop updating this page')
    page = client.get(url, {"refresh": "off"})
    assertNotContains(page, REFRESH)
    assertContains(page, f'href="{url}?refresh=off">Check again')


def test_a_refunded_gift_does_not_mark_the_browser(client):
    donation = factories.create_donation(status=Donation.Status.REFUNDED)
    assert "fg_supporter" not in client.get(thanks_url(donation)).cookies
