"""/support/: why to give, the month against its goal, and the form that opens the checkout."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.donations import providers, services
from forum.donations.models import Donation
from forum.site_settings.models import SiteSettings
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/support/"
GIFT = {
    "preset": "5",
    "other": "",
    "kind": "one_off",
    "name": "Vera Nakamura",
    "email": "vera@example.org",
    "message": "For the film reviews.",
    "public": "on",
}


def give(client, **changes):
    return client.post(URL, {**GIFT, **changes}, REMOTE_ADDR="203.0.113.9")


@pytest.mark.parametrize(
    ("changes", "minor"),
    [
        ({"preset": "5"}, 500),
        ({"preset": "25"}, 2500),
        ({"preset": "", "other": "7.50"}, 750),
        ({"preset": "", "other": "12"}, 1200),
        ({"preset": "", "other": "1"}, 100),
        ({"preset": "", "other": "1000"}, 100_000),
        ({"preset": "10", "other": "7.5"}, 750),  # typed wins over a preset left chosen
    ],
)
def test_a_valid_amount_is_taken_in_minor_units(client, changes, minor):
    response = give(client, **changes)
    assert response.status_code == 303
    assert Donation.objects.get().amount == minor


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"preset": "", "other": "0.99"}, "The smallest gift we can take is £1."),
        ({"preset": "", "other": "0"}, "The smallest gift we can take is £1."),
        ({"preset": "", "other": "-5"}, "The smallest gift we can take is £1."),
        ({"preset": "", "other": "1000.01"}, "The largest gift we can take online is £1,000."),
        ({"preset": "", "other": "1e9"}, "The largest gift we can take online is £1,000."),
        ({"preset": "", "other": "lots"}, "Please type the amount in figures, such as 7.50."),
        ({"preset": "", "other": "NaN"}, "Please type the amount in figures, such as 7.50."),
        ({"preset": "", "other": "7.505"}, "Please give the amount to the penny at most"),
        ({"preset": "", "other": ""}, "Please choose an amount, or type another one."),
        ({"preset": "7"}, "Please choose one of the amounts shown, or type another one."),
        ({"preset": "5000"}, "Please choose one of the amounts shown, or type another one."),
        ({"preset": "-5"}, "Please choose one of the amounts shown, or type another one."),
    ],
)
def test_an_amount_out_of_bounds_is_refused_beside_the_amount(client, changes, error):
    response = give(client, **changes)
    assert response.status_code == 400
    html = response.content.decode()
    amount_fieldset = html[html.index("<legend>Amount</legend>") : html.index("How often")]
    assert error in amount_fieldset
    assert not Donation.objects.exists()


def test_a_preset_above_the_maximum_is_refused(client, settings):
    settings.DONATIONS_MAX_AMOUNT = 1000
    response = give(client, preset="25")
    assertContains(response, "The largest gift we can take online is £10.", status_code=400)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"kind": "yearly"}, "Please choose one-off or monthly."),
        ({"kind": ""}, "Please choose one-off or monthly."),
        ({"name": ""}, "Please give your name"),
        ({"email": "vera"}, "That doesn’t look like an email address."),
        ({"email": ""}, "Please give your email address"),
    ],
)
def test_other_fields_are_checked(client, changes, error):
    response = give(client, **changes)
    assertContains(response, error, status_code=400)
    assert not Donation.objects.exists()


def test_a_forged_currency_is_ignored_when_only_one_is_offered(client):
    give(client, currency="USD")
    assert Donation.objects.get().currency == "GBP"


def test_a_refused_form_keeps_everything_typed(client):
    response = give(client, preset="", other="0.50", kind="monthly")
    assertContains(response, "Your gift was not sent.", status_code=400)
    assertContains(response, 'name="other" value="0.50"', status_code=400)
    assertContains(
        response,
        '<input type="radio" name="kind" value="monthly" id="id_kind_1" required checked>',
        status_code=400,
        html=True,
    )
    assertContains(response, 'value="Vera Nakamura"', status_code=400)
    assertContains(response, 'value="vera@example.org"', status_code=400)
    assertContains(response, "For the film reviews.</textarea>", status_code=400)
    assertContains(
        response,
        'name="public" aria-describedby="id_public_helptext" id="id_public" checked',
        status_code=400,
    )


def test_a_gift_opens_the_dev_checkout_and_waits_for_payment(client):
    response = give(client, preset="", other="7.50", kind="monthly")
    donation = Donation.objects.get()
    assert response.status_code == 303
    assert response["Location"].startswith("/support/dev/checkout/")
    assert (donation.amount, donation.currency, donation.kind) == (750, "GBP", "monthly")
    assert donation.status == Donation.Status.PENDING
    assert (donation.name, donation.email, donation.public) == (
        "Vera Nakamura",
        "vera@example.org",
        True,
    )
    assert donation.message_status == Donation.Message.WAITING
    assert donation.network == "203.0.113.0"


def test_the_checkout_is_told_where_to_send_the_reader_back(client, monkeypatch):
    seen = {}
    start = services.start_donation

    def spy(**kwargs):
        seen.update(kwargs)
        return start(**kwargs)

    monkeypatch.setattr(services, "start_donation", spy)
    give(client)
    assert seen["success_url"] == "http://testserver/support/thanks/{donation}/"
    assert seen["cancel_url"] == "http://testserver/support/?cancelled={donation}"


def test_a_members_gift_is_linked_to_them_and_the_form_knows_them(client):
    member = factories.create_user(email="ilse@example.org", display_name="Ilse")
    client.force_login(member)
    page = client.get(URL)
    assertContains(page, 'value="ilse@example.org"')
    assertContains(page, 'value="Ilse"')
    give(client)
    assert Donation.objects.get().user == member


def test_the_robot_trap_refuses_the_form(client):
    response = give(client, homepage="http://spam.example")
    assertContains(response, "Leave this field empty", status_code=400)
    assertContains(response, "This form could not be sent.", status_code=400)
    assert not Donation.objects.exists()


def test_over_the_networks_limit_the_form_comes_back_with_everything(client):
    for _ in range(services.DONATIONS_PER_NETWORK_PER_HOUR):
        assert give(client).status_code == 303
    response = give(client, other="8.25", preset="")
    assertContains(response, "Too many requests have come from your network", status_code=429)
    assertContains(response, 'name="other" value="8.25"', status_code=429)
    assert Donation.objects.count() == services.DONATIONS_PER_NETWORK_PER_HOUR


def test_coming_back_from_a_cancelled_checkout_refills_the_form(client):
    donation = factories.create_donation(
        status=Donation.Status.PENDING,
        amount=1250,
        kind="monthly",
        name="Tomás Ferrer",
        email="tomas@example.org",
        message="Keep the darkroom pieces coming",
        public=True,
    )
    page = client.get(URL, {"cancelled": services.return_token(donation)})
    assertContains(page, "No payment was taken")
    assertContains(page, 'name="other" value="12.50"')
    assertContains(page, 'value="monthly" id="id_kind_1" required checked')
    assertContains(page, 'value="Tomás Ferrer"')
    assertContains(page, 'value="tomas@example.org"')
    assertContains(page, "Keep the darkroom pieces coming</textarea>")


def test_a_cancelled_preset_amount_comes_back_as_the_preset(client):
    donation = factories.create_donation(status=Donation.Status.PENDING, amount=1000)
    page = client.get(URL, {"cancelled": services.return_token(donation)})
    assertContains(page, 'value="10" class="amount-choice__input" id="id_preset_2" checked')


@pytest.mark.parametrize("token", ["forged", ""])
def test_a_bad_cancelled_token_is_a_plain_form(client, token):
    page = client.get(URL, {"cancelled": token})
    assert page.status_code == 200
    assertNotContains(page, "No payment was taken")


def test_the_goal_bar_shows_the_months_net_total_in_words(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"donation_goal": 400})
    factories.create_donation(amount=15000)
    factories.create_donation(amount=3000, kind="monthly", status=Donation.Status.ACTIVE)
    factories.create_donation(amount=2000, status=Donation.Status.REFUNDED)
    factories.create_donation(amount=9900, paid_at=timezone.now() - timedelta(days=40))
    page = client.get(URL)
    assertContains(page, "<strong>£180</strong> of £400 this month", html=True)
    assertContains(page, 'max="40000" value="18000"')


def test_the_goal_bar_stays_full_when_the_goal_is_passed(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"donation_goal": 10})
    factories.create_donation(amount=2500)
    assertContains(client.get(URL), 'max="1000" value="1000"')


def test_no_goal_no_bar(client):
    factories.create_donation(amount=2500)
    page = client.get(URL)
    assertNotContains(page, "<progress")
    assertNotContains(page, "this month")


def test_the_editors_text_is_markdown_and_sanitised(client):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"support_text": "We **need** you.\n\n<script>alert(1)</script>"}
    )
    page = client.get(URL)
    assertContains(page, "<strong>need</strong>")
    assertNotContains(page, "<script>alert(1)")


def test_presets_come_from_the_site_settings_with_the_currency_symbol(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"donation_amounts": "4 8 15"})
    page = client.get(URL)
    for amount in ("£4", "£8", "£15"):
        assertContains(page, f">{amount}</label>")
    assertNotContains(page, ">£25</label>")
    assertContains(page, "<legend>Amount</legend>")


def test_several_currencies_offer_a_choice_and_take_it(client, settings):
    settings.DONATIONS_CURRENCIES = ["GBP", "EUR", "USD"]
    page = client.get(URL)
    assertContains(page, '<label for="id_currency">Currency</label>', html=True)
    assertContains(page, "Euros (€)")
    response = give(client, currency="EUR", preset="", other="20")
    assert response.status_code == 303
    assert (Donation.objects.get().currency, Donation.objects.get().amount) == ("EUR", 2000)
    refused = give(client, currency="EUR", preset="", other="0.5")
    assertContains(refused, "The smallest gift we can take is €1.", status_code=400)
    assertContains(
        give(client, currency="JPY"), "Please choose one of the currencies", status_code=400
    )


def test_one_currency_offers_no_choice(client):
    assertNotContains(client.get(URL), 'name="currency"')


@pytest.mark.parametrize("role", factories.ROLES)
def test_everyone_may_see_the_page_and_give(role):
    client = factories.client_as(role)
    page = client.get(URL)
    assertContains(page, '<button type="submit">Donate</button>', html=True)
    assertContains(page, "Email me my link")
    assert client.post(URL, GIFT).status_code == 303


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    SiteSettings.objects.update_or_create(pk=1, defaults={"donation_goal": 400})
    for _ in range(5):
        factories.create_donation()
    with django_assert_max_num_queries(4):
        client.get(URL)


def test_a_members_page_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    client = factories.client_as("member")
    with django_assert_max_num_queries(6):
        client.get(URL)


def test_an_unreachable_provider_says_nothing_was_charged_and_keeps_the_form(client, monkeypatch):
    def down(self, donation, **urls):
        raise providers.ProviderUnavailable()

    monkeypatch.setattr(providers.DevProvider, "create_checkout", down)
    response = give(client, preset="", other="9.99")
    assertContains(response, "nothing was charged", status_code=503)
    assertContains(response, 'name="other" value="9.99"', status_code=503)
