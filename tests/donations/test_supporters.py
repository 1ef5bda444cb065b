"""/support/supporters/: the donors who asked to be thanked, with a message only once an
editor approved it; refunded gifts and addresses never there."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from forum.donations.models import Donation
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/support/supporters/"
Status = Donation.Status
Message = Donation.Message


def supporter(**fields):
    fields.setdefault("public", True)
    return factories.create_donation(**fields)


def test_only_donors_who_opted_in_and_paid_are_listed(client):
    supporter(name="Ines Okafor")
    supporter(name="Ravi Monthly", kind="monthly", status=Status.ACTIVE)
    supporter(name="Cato Cancelled", kind="monthly", status=Status.CANCELLED)
    supporter(name="Quiet Donor", public=False)
    supporter(name="Pending Pat", status=Status.PENDING)
    supporter(name="Failed Fran", status=Status.FAILED)
    supporter(name="Left Lou", status=Status.ABANDONED)
    supporter(name="Refunded Rae", status=Status.REFUNDED)
    page = client.get(URL)
    for name in ("Ines Okafor", "Ravi Monthly", "Cato Cancelled"):
        assertContains(page, name)
    for name in ("Quiet Donor", "Pending Pat", "Failed Fran", "Left Lou", "Refunded Rae"):
        assertNotContains(page, name)


def test_a_gift_refunded_after_it_was_listed_drops_off(client):
    donation = supporter(name="Ines Okafor")
    assertContains(client.get(URL), "Ines Okafor")
    Donation.objects.filter(pk=donation.pk).update(status=Status.REFUNDED)
    assertNotContains(client.get(URL), "Ines Okafor")


@pytest.mark.parametrize(
    ("message_status", "shown"),
    [
        (Message.WAITING, False),
        (Message.DECLINED, False),
        (Message.NONE, False),
        (Message.APPROVED, True),
    ],
)
def test_a_message_shows_only_once_approved(client, message_status, shown):
    supporter(name="Ines Okafor", message="Long live the darkroom", message_status=message_status)
    page = client.get(URL)
    assertContains(page, "Ines Okafor")
    assert ("Long live the darkroom" in page.content.decode()) is shown


def test_no_address_or_amount_is_ever_shown(client):
    supporter(name="Ines Okafor", email="ines.private@example.org", amount=12345)
    page = client.get(URL)
    assertNotContains(page, "ines.private")
    assertNotContains(page, "123.45")


def test_newest_first(client):
    supporter(name="Older Olga", paid_at=timezone.now() - timedelta(days=3))
    supporter(name="Newer Nils")
    html = client.get(URL).content.decode()
    assert html.index("Newer Nils") < html.index("Older Olga")


XSS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "<b>bold</b>"]


@pytest.mark.parametrize("payload", XSS)
def test_names_and_messages_are_escaped(client, payload):
    supporter(name=f"N {payload}", message=f"M {payload}", message_status=Message.APPROVED)
    page = client.get(URL)
    assertNotContains(page, payload)
    assertContains(page, f"N {escape(payload)}")
    assertContains(page, f"M {escape(payload)}")


def test_fifty_a_page(client):
    for number in range(51):
        supporter(name=f"Supporter {number:02d}", paid_at=timezone.now() - timedelta(hours=number))
    first = client.get(URL)
    assertContains(first, "Supporter 49")
    assertNotContains(first, "Supporter 50")
    assertContains(first, "Older supporters")
    assertContains(client.get(URL, {"page": 2}), "Supporter 50")


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        supporter(message="Thanks", message_status=Message.APPROVED)
    with django_assert_max_num_queries(4):
        client.get(URL)


@pytest.mark.parametrize("role", factories.ROLES)
def test_everyone_may_see_the_supporters(role):
    supporter(name="Ines Okafor")
    assertContains(factories.client_as(role).get(URL), "Ines Okafor")


def test_each_supporter_says_how_they_give(client):
    supporter(name="Ravi", kind="monthly", status=Status.ACTIVE)
    supporter(name="Cato", kind="monthly", status=Status.CANCELLED)
    supporter(name="Ines")
    page = client.get(URL).content.decode()
    assert "gives monthly, since" in page.split("Ravi")[1].split("</p>")[0]
    assert "gave monthly from" in page.split("Cato")[1].split("</p>")[0]
    assert "gave in" in page.split("Ines")[1].split("</p>")[0]
