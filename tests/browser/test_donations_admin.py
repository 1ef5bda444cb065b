"""An editor finds the supporters' messages waiting in the admin, approves one and sees it on
/support/supporters/; the list with its totals and a gift's page pass axe, light and dark."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests import factories

PASSWORD = "editor-password-1"  # noqa: S105
MESSAGE = "The pinhole issue got my whole family building cameras out of biscuit tins."


@pytest.fixture
def editor(transactional_db):
    editor = factories.create_staff(
        email="editor@example.com", password=PASSWORD, groups=("Editors",)
    )
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    return editor


def sign_in(page, live_server):
    page.goto(live_server.url + "/admin/")
    page.locator("#id_login").fill("editor@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_an_editor_approves_a_supporters_message_and_it_shows_on_the_supporters_page(
    page, live_server, editor, site_settings, assert_accessible
):
    site_settings(donation_goal=200)
    waiting = factories.create_donation(
        name="Nell Okafor", amount=1500, public=True, message=MESSAGE, message_status="waiting"
    )
    factories.create_donation(name="Quiet Giver", amount=500, currency="EUR")
    factories.create_donation(
        name="Ravi Dunn", kind="monthly", status="active", public=True, message="Nothing yet"
    )

    page.goto(live_server.url + "/support/supporters/")
    expect(page.get_by_text("Nell Okafor")).to_be_visible()
    expect(page.get_by_text(MESSAGE)).to_have_count(0)

    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/donations/donation/")
    expect(page.locator(".don-goal")).to_contain_text("£20 of the £200 monthly goal (10%)")
    assert_accessible(page)
    page.get_by_role("link", name="Messages waiting").first.click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text(MESSAGE)
    page.locator(f'input[name="_selected_action"][value="{waiting.pk}"]').check()
    page.locator("select[name=action]").select_option(label="Approve message")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "1 message approved: shown on the supporters page."
    )

    page.goto(live_server.url + f"/admin/donations/donation/{waiting.pk}/change/")
    expect(page.get_by_label("Message on the supporters page")).to_have_value("approved")
    assert_accessible(page)

    page.goto(live_server.url + "/support/supporters/")
    expect(page.locator("blockquote", has_text=MESSAGE)).to_be_visible()
    expect(page.get_by_text("Nothing yet")).to_have_count(0)


def test_the_donations_list_passes_axe_in_dark_mode_on_a_phone(
    open_context, live_server, editor, assert_accessible
):
    factories.create_donation(
        name="Sofia Marsh", kind="monthly", status="refunded", public=True, message="Bravo"
    )
    context = open_context(color_scheme="dark", viewport={"width": 390, "height": 844})
    page = context.new_page()

    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/donations/donation/")

    expect(page.locator("#result_list")).to_contain_text("£5 refunded")
    assert_accessible(page)
