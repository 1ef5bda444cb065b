"""The newsletter as a reader meets it, at desktop and phone widths: signing up in an article's
footer, confirming from the mail, changing preferences and leaving; signing up by keyboard
alone; the archive. Each page checked with axe."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from forum.newsletter.models import Issue, Subscriber, Subscription
from tests import factories

VIEWS = [
    pytest.param(({"width": 1280, "height": 900}, "light"), id="1280-light"),
    pytest.param(({"width": 390, "height": 844}, "dark"), id="390-dark"),
]


@pytest.fixture
def reader_page(open_context, request):
    viewport, scheme = request.param
    return open_context(viewport=viewport, color_scheme=scheme).new_page()


@pytest.fixture
def newsletter(transactional_db):
    return factories.default_newsletter()


def heading(page):
    return page.get_by_role("heading", level=1)


def link_path(message, prefix: str) -> str:
    return re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S*)", message.body).group(1)


@pytest.mark.parametrize("reader_page", VIEWS, indirect=True)
def test_a_reader_signs_up_under_an_article_confirms_and_later_unsubscribes(
    reader_page, live_server, article, newsletter, assert_accessible
):
    page = reader_page
    page.goto(live_server.url + article.get_absolute_url())
    footer = page.locator("footer")
    footer.get_by_label("Email", exact=True).fill("ffion@example.com")
    footer.get_by_role("button", name="Subscribe").click()

    expect(heading(page)).to_have_text("Check your email")
    expect(page.locator("main")).to_contain_text("ffion@example.com")
    assert_accessible(page)

    [message] = mail.outbox
    assert message.to == ["ffion@example.com"]
    page.goto(live_server.url + link_path(message, "/newsletter/confirm/"))
    expect(heading(page)).to_have_text("Confirm your subscription")
    expect(page.locator("main")).to_contain_text("ffion@example.com")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm subscription").click()

    expect(heading(page)).to_have_text("You’re subscribed")
    assert_accessible(page)
    subscriber = Subscriber.objects.get(email="ffion@example.com")
    assert subscriber.subscriptions.get().status == Subscription.Status.CONFIRMED

    page.get_by_role("link", name="change your preferences now").click()
    expect(heading(page)).to_have_text("Preferences for ffion@example.com")
    expect(page.get_by_label("The Frame & Grain newsletter")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe from everything").click()

    expect(page.get_by_role("status")).to_contain_text("unsubscribed from every newsletter")
    expect(page.get_by_label("The Frame & Grain newsletter")).not_to_be_checked()
    assert subscriber.subscriptions.get().status == Subscription.Status.UNSUBSCRIBED


def test_a_reader_signs_up_with_the_keyboard_alone(page, live_server, newsletter, axe):
    page.goto(live_server.url + "/newsletter/")
    email = page.locator("#id_newsletter-email")
    for _ in range(40):
        page.keyboard.press("Tab")
        if email.evaluate("element => element === document.activeElement"):
            break
    expect(email).to_be_focused()

    page.keyboard.type("not an address")
    page.keyboard.press("Tab")
    page.keyboard.type("Gwen Tolley")
    page.keyboard.press("Enter")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Your subscription was not sent")
    expect(page).to_have_url(re.compile(r"#signup$"))
    expect(email).to_have_value("not an address")
    expect(page.locator("#id_newsletter-name")).to_have_value("Gwen Tolley")
    assert axe() == []

    email.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("gwen@example.com")
    page.keyboard.press("Tab")  # to Name
    page.keyboard.press("Tab")  # to the button: the robot trap takes no focus
    expect(page.locator("#signup").get_by_role("button", name="Subscribe")).to_be_focused()
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Check your email")
    assert Subscriber.objects.get().name == "Gwen Tolley"


@pytest.mark.parametrize("reader_page", VIEWS, indirect=True)
def test_the_archive_and_an_issue_read_without_anyones_links(
    reader_page, live_server, article, newsletter, assert_accessible
):
    issue = factories.create_issue(
        newsletter=newsletter,
        subject="Ten years with one camera",
        intro="Good morning. *Nell* has kept one camera for a decade.",
        articles=[article],
        status=Issue.Status.SENT,
        sent_at=timezone.now(),
    )
    page = reader_page
    page.goto(live_server.url + "/newsletter/")
    page.get_by_role("link", name="the archive").click()

    expect(heading(page)).to_have_text("Newsletter archive")
    assert_accessible(page)
    page.get_by_role("link", name="Ten years with one camera").click()

    expect(page).to_have_url(live_server.url + issue.get_absolute_url())
    expect(page.locator("main")).to_contain_text("has kept one camera for a decade")
    expect(page.locator("main").get_by_role("link", name=article.title, exact=True)).to_be_visible()
    assert "/newsletter/unsubscribe/" not in page.content()
    assert_accessible(page)


def test_a_member_subscribes_and_unsubscribes_from_their_account_page(
    open_context, live_server, newsletter, assert_accessible
):
    member = factories.create_user(email="nia@example.com", display_name="Nia Rowlands")
    client = Client()
    client.force_login(member)
    context = open_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + "/accounts/profile/")
    section = page.locator("#newsletter")
    expect(section).to_contain_text("Not subscribed")
    assert_accessible(page)

    section.get_by_role("button", name="Subscribe to The Frame & Grain newsletter").click()

    expect(page.get_by_role("status")).to_contain_text("You are subscribed")
    expect(section).to_contain_text("Subscribed")
    assert_accessible(page)
    section.get_by_role("button", name="Unsubscribe from The Frame & Grain newsletter").click()
    expect(section).to_contain_text("Not subscribed")
    statuses = list(Subscription.objects.values_list("status", flat=True))
    assert statuses == [Subscription.Status.UNSUBSCRIBED]
