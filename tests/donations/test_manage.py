"""A monthly donor's manage page, reached from the signed link in their mail: their running
gifts and a button to the provider's page for each; never another donor's."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.donations import providers, services
from forum.donations.models import Donation
from tests import factories

pytestmark = pytest.mark.django_db

Status = Donation.Status


def manage_path(donation):
    return f"/support/manage/{services.manage_token(donation)}/"


@pytest.fixture
def gift(db):
    return factories.create_donation(
        kind="monthly", status=Status.ACTIVE, amount=500, email="mei@example.org"
    )


def test_the_page_names_the_address_and_lists_its_running_gifts(client, gift):
    second = factories.create_donation(
        kind="monthly", status=Status.ACTIVE, amount=1200, email="mei@example.org"
    )
    factories.create_donation(kind="monthly", status=Status.CANCELLED, email="mei@example.org")
    factories.create_donation(amount=4200, email="mei@example.org")  # one-off: nothing to manage
    page = client.get(manage_path(gift))
    assertContains(page, "mei@example.org")
    assertContains(page, "£5 a month")
    assertContains(page, "£12 a month")
    assertContains(page, ">Manage or cancel</button>", count=2)
    assertContains(page, f'name="donation" value="{second.pk}"')
    assertNotContains(page, "£42")


def test_another_donors_gifts_are_never_shown(client, gift):
    other = factories.create_donation(
        kind="monthly", status=Status.ACTIVE, amount=7700, email="someone.else@example.org"
    )
    page = client.get(manage_path(gift))
    assertNotContains(page, "£77")
    assertNotContains(page, "someone.else")
    refused = client.post(manage_path(gift), {"donation": other.pk})
    assert refused.status_code == 404


@pytest.mark.parametrize("chosen", ["", "abc", "999999", "-1"])
def test_a_forged_gift_is_not_found(client, gift, chosen):
    assert client.post(manage_path(gift), {"donation": chosen}).status_code == 404


def test_manage_or_cancel_goes_to_the_dev_portal_and_back_here(client, gift):
    response = client.post(manage_path(gift), {"donation": gift.pk})
    assert response.status_code == 303
    assert response["Location"].startswith("/support/dev/portal/")
    token = response["Location"].split("/")[-2]
    session = signing.loads(token, salt="donations.dev-portal")
    assert session == {"d": gift.pk, "back": "http://testserver" + manage_path(gift)}


def test_an_unreachable_provider_says_so_on_the_page(client, gift, monkeypatch):
    def down(self, donation, **urls):
        raise providers.ProviderUnavailable()

    monkeypatch.setattr(providers.DevProvider, "manage_url", down)
    page = client.post(manage_path(gift), {"donation": gift.pk})
    assertContains(page, "nothing was charged", status_code=503)


def test_no_running_gift_says_so(client, gift):
    Donation.objects.filter(pk=gift.pk).update(status=Status.CANCELLED)
    page = client.get(manage_path(gift))
    assertContains(page, "No monthly gift runs from this address.")
    assertContains(page, 'href="/support/"')
    assertNotContains(page, "Manage or cancel")


def test_an_expired_link_says_so_and_offers_a_new_one(client, gift):
    path = manage_path(gift)
    later = timezone.now() + timedelta(days=services.MANAGE_LINK_DAYS + 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        page = client.get(path)
    assertContains(page, "This link has expired", status_code=400)
    assertContains(page, "Email me my link", status_code=400)
    assertContains(page, 'action="/support/link/"', status_code=400)
    assertNotContains(page, "mei@example.org", status_code=400)


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "MQ:1xWYQe:tampered",
        signing.dumps(1, salt="donations.return"),  # another purpose's token
    ],
)
def test_a_tampered_link_is_not_found_with_the_form(client, gift, token):
    page = client.get(f"/support/manage/{token}/")
    assertContains(page, "This link is not valid", status_code=404)
    assertContains(page, "Email me my link", status_code=404)


def test_a_link_with_a_changed_gift_number_is_not_found(client, gift):
    other = factories.create_donation(kind="monthly", status=Status.ACTIVE)
    token = services.manage_token(gift)
    forged = services.manage_token(other).split(":")[0] + ":" + token.split(":", 1)[1]
    assert client.get(f"/support/manage/{forged}/").status_code == 404


@pytest.mark.parametrize("role", factories.ROLES)
def test_the_link_works_for_anyone_who_holds_it(role, gift):
    assertContains(factories.client_as(role).get(manage_path(gift)), "Manage or cancel")
