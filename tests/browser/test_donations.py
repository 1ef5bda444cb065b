"""Giving end to end through the dev provider, as issue 12 tells it: a reader gives £5 a month
at /support/, pays at the dev checkout (which tells the site through its webhook, over HTTP,
from a thread, as a real provider would), is thanked once the webhook has confirmed, finds
the receipt in the mail file, follows its manage link to the dev portal and cancels. Also: a
declined card then a payment, and a checkout left with "Cancel"."""

import re
import time

import pytest
from playwright.sync_api import expect

from forum.donations import providers
from forum.donations.models import Donation
from tests import factories
from tests.browser.mail_files import messages_to


def wait_for(condition, *, seconds: float = 15):
    """The webhook arrives from the dev provider's thread: wait for what it does."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            return result
        time.sleep(0.1)
    return result


def gift_form(page):
    return page.get_by_role("region", name="Make a gift")


def give(page, live_server, *, amount: str, kind: str, name: str, email: str):
    """Fill in the gift form at /support/ and press "Donate"."""
    page.goto(live_server.url + "/support/")
    form = gift_form(page)
    form.get_by_label(amount, exact=True).check()
    form.get_by_label(kind, exact=True).check()
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email", exact=True).fill(email)
    form.get_by_role("button", name="Donate").click()


def test_a_reader_gives_monthly_finds_the_receipt_and_cancels_from_its_link(
    page, live_server, mail_folder, assert_accessible
):
    give(page, live_server, amount="£5", kind="Monthly", name="Nia Okafor", email="nia@example.org")

    # The dev provider's checkout: the gift, and no card fields.
    expect(page.get_by_text("Test checkout: no money moves")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("£5 a month")
    expect(page.get_by_text("nia@example.org")).to_be_visible()
    expect(page.locator("input:not([type=hidden])")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Pay", exact=True).click()

    # Back on the site: "Confirming…" until the webhook has come, then "Thank you". (No
    # fragment on the way back: with one, the page's refresh would not reload it.)
    expect(page).to_have_url(re.compile(r"/support/thanks/[^#]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_text("£5 a month")).to_be_visible()
    donation = Donation.objects.get(email="nia@example.org")
    assert donation.status == Donation.Status.ACTIVE
    assert donation.payments.count() == 1

    # The receipt, in the mail file, with its manage link.
    [receipt] = wait_for(lambda: messages_to(mail_folder, "nia@example.org"))
    body = receipt.get_body(("plain",)).get_content()
    assert donation.payments.get().receipt_number in body
    assert "£5 (monthly)" in body
    manage = re.search(r"https?://\S+/support/manage/[^/\s]+/", body).group(0)
    assert manage.startswith(live_server.url)

    page.goto(manage)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your monthly gift")
    page.get_by_role("button", name="Manage or cancel").click()

    # The dev provider's portal.
    expect(page.get_by_text("Test portal: no money moves")).to_be_visible()
    expect(page.get_by_text("£5 a month")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel monthly gift").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your monthly gift is cancelled")
    assert wait_for(
        lambda: Donation.objects.get(pk=donation.pk).status == Donation.Status.CANCELLED
    )

    # Back on the site, nothing runs from that address any more.
    page.get_by_role("link", name="Back to Frame & Grain").click()
    expect(page).to_have_url(manage)
    expect(page.get_by_text("No monthly gift runs from this address.")).to_be_visible()
    assert len(messages_to(mail_folder, "nia@example.org")) == 1


def decline_then_pay(page, live_server) -> Donation:
    """At the checkout: "Fail" (the webhook records the decline), then "Pay"."""
    give(page, live_server, amount="£10", kind="One-off", name="Tom Reyes", email="tom@example.org")
    page.get_by_role("button", name="Fail", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Your card was declined")
    donation = Donation.objects.get(email="tom@example.org")
    assert wait_for(lambda: Donation.objects.get(pk=donation.pk).status == Donation.Status.FAILED)
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page).to_have_url(re.compile(r"/support/thanks/[^#]+/$"))
    return donation


def test_a_declined_card_then_a_payment_is_paid_once_with_a_receipt(page, live_server, mail_folder):
    donation = decline_then_pay(page, live_server)

    assert wait_for(lambda: Donation.objects.get(pk=donation.pk).status == Donation.Status.PAID)
    assert donation.payments.count() == 1
    assert len(wait_for(lambda: messages_to(mail_folder, "tom@example.org"))) == 1
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")


def test_a_declined_card_then_a_payment_is_thanked_without_a_reload(page, live_server):
    decline_then_pay(page, live_server)

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")


def test_cancel_at_the_checkout_returns_to_the_form_filled_in(page, live_server):
    give(page, live_server, amount="£25", kind="Monthly", name="Ivy Marsh", email="ivy@example.org")

    page.get_by_role("button", name="Cancel", exact=True).click()

    expect(page).to_have_url(re.compile(r"/support/\?cancelled="))
    expect(page.get_by_text("No payment was taken")).to_be_visible()
    form = gift_form(page)
    expect(form.get_by_label("£25", exact=True)).to_be_checked()
    expect(form.get_by_label("Monthly", exact=True)).to_be_checked()
    expect(form.get_by_label("Name")).to_have_value("Ivy Marsh")
    expect(form.get_by_label("Email", exact=True)).to_have_value("ivy@example.org")
    assert Donation.objects.get(email="ivy@example.org").status == Donation.Status.PENDING


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_declined_checkout_and_the_portal_are_accessible_on_a_phone(
    open_context, live_server, assert_accessible, scheme
):
    reader = open_context(color_scheme=scheme, viewport={"width": 390, "height": 844}).new_page()
    give(reader, live_server, amount="£3", kind="One-off", name="Ana", email="ana@example.org")
    reader.get_by_role("button", name="Fail", exact=True).click()
    expect(reader.get_by_role("alert")).to_contain_text("Your card was declined")
    assert_accessible(reader)

    gift = factories.create_donation(kind=Donation.Kind.MONTHLY, status="active")
    reader.goto(live_server.url + providers.get("dev").manage_url(gift, return_url="/support/"))
    expect(reader.get_by_role("button", name="Cancel monthly gift")).to_be_visible()
    assert_accessible(reader)
