"""The reader's donation pages in a browser, at desktop and phone widths in both schemes:
/support/ with its goal and form (a refused amount, presets chosen by keyboard, a checkout
left and the form back filled in), the return page, the supporters and a donor's manage page.
Each checked with axe. DONATION_SHOTS names a folder to save their screenshots in."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from forum.donations import services
from forum.donations.models import Donation
from tests import factories

SHOTS = os.environ.get("DONATION_SHOTS")
EVERY_VIEW = [
    pytest.param(({"width": 1280, "height": 900}, "light"), id="1280-light"),
    pytest.param(({"width": 1280, "height": 900}, "dark"), id="1280-dark"),
    pytest.param(({"width": 390, "height": 844}, "light"), id="390-light"),
    pytest.param(({"width": 390, "height": 844}, "dark"), id="390-dark"),
]
# Desktop in light and phone in dark cover both widths and both schemes for axe; taking the
# screenshots walks all four.
VIEWS = EVERY_VIEW if SHOTS else EVERY_VIEW[::3]


@pytest.fixture
def reader_page(open_context, request):
    viewport, scheme = request.param
    page = open_context(viewport=viewport, color_scheme=scheme).new_page()
    page.shot_name = f"{viewport['width']}-{scheme}"
    return page


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"{name}-{page.shot_name}.png", full_page=True)


@pytest.fixture
def supporters(transactional_db):
    factories.create_donation(
        name="Ines Okafor",
        public=True,
        message="For the darkroom columns: they got me printing again.",
        message_status=Donation.Message.APPROVED,
        amount=15000,
    )
    factories.create_donation(
        name="Ravi Menon", public=True, kind="monthly", status=Donation.Status.ACTIVE, amount=3000
    )


@pytest.mark.parametrize("reader_page", VIEWS, indirect=True)
def test_the_support_page_a_refused_amount_and_a_left_checkout(
    reader_page, live_server, site_settings, supporters, assert_accessible
):
    site_settings(donation_goal=400)
    page = reader_page
    page.goto(live_server.url + "/support/")
    expect(page.locator("#goal-figures")).to_have_text("£180 of £400 this month")
    assert_accessible(page)
    shot(page, "support")

    form = page.locator("#give")
    form.get_by_label("Other amount").fill("0.50")
    form.get_by_label("Monthly").check()
    form.get_by_label("Name").fill("Mei Tanaka")
    form.get_by_label("Email", exact=True).fill("mei@example.org")
    form.get_by_role("button", name="Donate").click()

    expect(page.locator("#amount-errors")).to_have_text("The smallest gift we can take is £1.")
    expect(form.get_by_label("Other amount")).to_have_value("0.50")
    expect(form.get_by_label("Monthly")).to_be_checked()
    expect(form.get_by_label("Name")).to_have_value("Mei Tanaka")
    assert_accessible(page)
    shot(page, "support-refused")

    form.get_by_label("£10").check()
    expect(form.get_by_label("Other amount")).to_have_value("")  # JavaScript: one amount
    form.get_by_role("button", name="Donate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("£10")
    assert Donation.objects.get(name="Mei Tanaka").amount == 1000
    page.get_by_role("button", name="Cancel").click()

    expect(page.get_by_text("No payment was taken")).to_be_visible()
    expect(form.get_by_label("£10")).to_be_checked()
    expect(form.get_by_label("Monthly")).to_be_checked()
    expect(form.get_by_label("Email", exact=True)).to_have_value("mei@example.org")


def test_amounts_are_chosen_with_the_keyboard(page, live_server, transactional_db):
    page.goto(live_server.url + "/support/")
    preset = page.get_by_label("£3")
    preset.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("£5")).to_be_checked()
    expect(page.get_by_label("£5")).to_be_focused()
    outline = page.locator("label[for='id_preset_1']").evaluate(
        "label => getComputedStyle(label).outlineStyle"
    )
    assert outline == "solid"


def without_refresh(route):
    """The page as the server sent it, minus its <meta http-equiv="refresh">."""
    response = route.fetch()
    route.fulfill(response=response, body=response.text().replace('http-equiv="refresh"', ""))


@pytest.mark.parametrize("reader_page", VIEWS, indirect=True)
def test_the_return_supporters_and_manage_pages(
    reader_page, live_server, supporters, assert_accessible
):
    page = reader_page
    pending = factories.create_donation(status=Donation.Status.PENDING, amount=500)
    confirming = live_server.url + f"/support/thanks/{services.return_token(pending)}/"
    page.goto(confirming)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirming your payment…")
    # The refresh is asked for (no script on the page); the reader can stop it (WCAG 2.2.1).
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_attribute(
        "content", f"2; url={urlsplit(confirming).path}"
    )
    # axe reads the same page without its refresh, which a busy machine could let fire while
    # axe is still running (the check would then fail on the navigation, not on the page).
    page.route(confirming, without_refresh)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirming your payment…")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    assert_accessible(page)
    shot(page, "confirming")
    page.unroute(confirming)
    page.get_by_role("link", name="Stop updating this page").click()
    expect(page.get_by_role("link", name="Check again")).to_be_visible()
    assert_accessible(page)

    gift = factories.create_donation(
        kind="monthly", status=Donation.Status.ACTIVE, amount=500, email="mei@example.org"
    )
    page.goto(live_server.url + f"/support/thanks/{services.return_token(gift)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert any(cookie["name"] == "fg_supporter" for cookie in page.context.cookies())
    assert_accessible(page)
    shot(page, "thanks")

    page.goto(live_server.url + "/support/supporters/")
    expect(page.locator("main")).to_contain_text("they got me printing again")
    assert_accessible(page)
    shot(page, "supporters")

    page.goto(live_server.url + f"/support/manage/{services.manage_token(gift)}/")
    expect(page.locator("main")).to_contain_text("£5 a month")
    assert_accessible(page)
    shot(page, "manage")
    page.get_by_role("button", name="Manage or cancel £5 a month").click()
    expect(page.get_by_role("button", name="Cancel monthly gift")).to_be_visible()


def test_with_javascript_off_the_typed_amount_wins(open_context, live_server, transactional_db):
    page = open_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/support/")
    form = page.locator("#give")
    form.get_by_label("£25").check()
    form.get_by_label("Other amount").fill("7.50")
    form.get_by_label("Name").fill("Mei Tanaka")
    form.get_by_label("Email", exact=True).fill("mei@example.org")
    form.get_by_role("button", name="Donate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("£7.50")
    assert Donation.objects.get().amount == 750


def test_presets_follow_the_currency_chosen(page, live_server, transactional_db, settings):
    settings.DONATIONS_CURRENCIES = ["GBP", "EUR", "USD"]
    page.goto(live_server.url + "/support/")
    form = page.locator("#give")
    expect(form.get_by_label("£5")).to_be_visible()
    form.get_by_label("Currency").select_option("EUR")
    expect(form.get_by_label("€5")).to_be_visible()
    expect(form.get_by_label("Other amount (€)")).to_be_visible()
    form.get_by_label("€25").check()
    form.get_by_label("Name").fill("Mei Tanaka")
    form.get_by_label("Email", exact=True).fill("mei@example.org")
    form.get_by_role("button", name="Donate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("€25")
    assert (Donation.objects.get().currency, Donation.objects.get().amount) == ("EUR", 2500)


@pytest.mark.parametrize("reader_page", VIEWS[::3], indirect=True)
def test_email_me_my_link_and_a_bad_link(reader_page, live_server, assert_accessible):
    page = reader_page
    page.goto(live_server.url + "/support/")
    region = page.get_by_role("region", name="Already give monthly?")
    region.get_by_label("Email", exact=True).fill("nobody@example.org")
    region.get_by_role("button", name="Email me my link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator("main")).to_contain_text("If that address has a monthly gift with us")
    assert_accessible(page)
    shot(page, "link-sent")

    page.goto(live_server.url + "/support/manage/not-a-link/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    assert_accessible(page)
    shot(page, "manage-bad-link")
    page.locator("main").get_by_label("Email", exact=True).fill("not an address")
    page.locator("main").get_by_role("button", name="Email me my link").click()
    expect(page.locator("main")).to_contain_text("That doesn’t look like an email address.")
    assert_accessible(page)


def test_the_confirming_page_refreshes_even_with_a_fragment(page, live_server, transactional_db):
    """A redirect after the form's POST to /support/#give can carry #give to the return page;
    a bare refresh of such an address only scrolls."""
    donation = factories.create_donation(status=Donation.Status.PENDING)
    page.goto(live_server.url + f"/support/thanks/{services.return_token(donation)}/#give")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirming your payment…")
    Donation.objects.filter(pk=donation.pk).update(
        status=Donation.Status.PAID, first_paid_at=donation.created_at
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
