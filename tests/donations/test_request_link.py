""" "Email me my link": the manage link goes to an address with a monthly gift that runs, and
the answer is the same for any address, so the page never says who gives."""

import pytest
from pytest_django.asserts import assertContains

from forum.donations import services
from forum.donations.models import Donation, LinkRequest
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/support/link/"
ANSWER = "If that address has a monthly gift with us, a link is on its way"


def ask(client, email, on_commit):
    with on_commit(execute=True):
        return client.post(URL, {"link-email": email}, REMOTE_ADDR="198.51.100.7")


def main(response) -> str:
    return response.content.decode().split("<main")[1].split("</main>")[0]


def test_a_running_monthly_gift_gets_its_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    gift = factories.create_donation(
        kind="monthly", status=Donation.Status.ACTIVE, email="mei@example.org"
    )
    page = ask(client, "Mei@Example.org", django_capture_on_commit_callbacks)
    assertContains(page, ANSWER)
    assert [mail.to for mail in mailoutbox] == [["mei@example.org"]]
    body = mailoutbox[0].body
    assert "/support/manage/" in body
    path = body[body.index("/support/manage/") :].split()[0]
    assertContains(client.get(path), f'name="donation" value="{gift.pk}"')


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "nobody@example.org"},  # never gave
        {"status": Donation.Status.PAID},  # a one-off gift
        {"kind": "monthly", "status": Donation.Status.CANCELLED},
        {"kind": "monthly", "status": Donation.Status.PENDING},
    ],
)
def test_any_other_address_gets_the_same_answer_and_no_mail(
    client, mailoutbox, django_capture_on_commit_callbacks, fields
):
    factories.create_donation(**{"email": "mei@example.org", **fields})
    page = ask(client, "mei@example.org", django_capture_on_commit_callbacks)
    assertContains(page, ANSWER)
    assert mailoutbox == []


def test_the_answer_is_the_same_page_for_known_and_unknown_addresses(
    client, django_capture_on_commit_callbacks
):
    factories.create_donation(kind="monthly", status=Donation.Status.ACTIVE, email="a@example.org")
    known = ask(client, "a@example.org", django_capture_on_commit_callbacks)
    unknown = ask(client, "b@example.org", django_capture_on_commit_callbacks)
    assert main(known) == main(unknown)
    assert known.status_code == unknown.status_code == 200


def test_a_bad_address_is_asked_again(client, django_capture_on_commit_callbacks):
    page = ask(client, "not an address", django_capture_on_commit_callbacks)
    assertContains(page, "That doesn’t look like an email address.", status_code=400)
    assertContains(page, 'value="not an address"', status_code=400)
    assert not LinkRequest.objects.exists()


def test_over_the_networks_limit_the_reader_is_told(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    for number in range(services.LINKS_PER_NETWORK_PER_HOUR):
        ask(client, f"reader{number}@example.org", django_capture_on_commit_callbacks)
    page = ask(client, "one.more@example.org", django_capture_on_commit_callbacks)
    assertContains(page, "Too many requests have come from your network", status_code=429)
    assertContains(page, 'value="one.more@example.org"', status_code=429)


def test_the_get_page_offers_the_form(client):
    page = client.get(URL)
    assertContains(page, "<h1>Email me my link</h1>", html=True)
    assertContains(page, 'name="link-email"')


@pytest.mark.parametrize("role", factories.ROLES)
def test_everyone_may_ask(role, mailoutbox, django_capture_on_commit_callbacks):
    client = factories.client_as(role)
    assertContains(ask(client, "x@example.org", django_capture_on_commit_callbacks), ANSWER)


def test_the_support_page_form_posts_here(client):
    page = client.get("/support/")
    assertContains(page, 'action="/support/link/"')
    assertContains(page, '<label for="id_link-email">Email</label>', html=True)
