"""An editor makes an issue in the admin from the articles it suggests, previews it as HTML and
text, sends a test to themselves and then the issue to its readers; the progress panel of a
sending issue refreshes itself until it says "Sent". axe checks each page templated for it."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from forum.newsletter.models import Delivery, Issue
from tests import factories

PASSWORD = "editor-password-1"  # noqa: S105


@pytest.fixture
def newsletter(transactional_db):
    return factories.default_newsletter()


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


def test_editor_makes_previews_tests_and_sends_an_issue(
    page, live_server, newsletter, editor, assert_accessible
):
    author = factories.create_author(name="Ada Lowe", slug="ada-lowe")
    fresh = factories.create_article(
        title="Metering for snow", author=author, published_at=timezone.now() - timedelta(days=1)
    )
    factories.create_article(
        title="An old favourite", author=author, published_at=timezone.now() - timedelta(days=90)
    )
    for n in range(3):
        factories.create_subscriber(email=f"reader{n}@example.org", newsletter=newsletter)
    mail.outbox = []

    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/newsletter/issue/add/")

    expect(page.get_by_label("Subject")).to_have_value(
        f"The Frame & Grain newsletter, {_next_day()}"
    )
    expect(page.get_by_role("checkbox", name="Metering for snow")).to_be_checked()
    expect(page.get_by_role("checkbox", name="An old favourite")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Intro").fill("Good morning. Snow at last, and **how to meter it**.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert_accessible(page)

    page.get_by_role("link", name="Preview").click()
    frame = page.frame_locator("iframe.nl-preview-frame")
    expect(frame.locator("strong", has_text="how to meter it")).to_be_visible()
    expect(frame.get_by_role("link", name="Metering for snow").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Text", exact=True).click()
    expect(page.locator("pre.nl-preview-text")).to_contain_text(fresh.title)
    assert_accessible(page)

    page.get_by_role("link", name="Back to the issue").click()
    page.get_by_role("button", name="Send a test to me").click()
    expect(page.locator(".messagelist")).to_contain_text("Test sent to editor@example.com.")
    assert [m.to for m in mail.outbox] == [["editor@example.com"]]

    page.get_by_role("link", name="Send now").click()
    expect(page.get_by_text("3 confirmed readers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send to 3 readers").click()

    expect(page.locator(".messagelist")).to_contain_text("Sending to 3 readers.")
    expect(page.locator("#issue-progress h2")).to_have_text("Sent")
    expect(page.locator("#issue-progress-text")).to_have_text("3 of 3 readers handled (100%)")
    assert_accessible(page)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3
    assert len(mail.outbox) == 4


def test_the_progress_panel_refreshes_itself_until_the_issue_is_sent(
    page, live_server, newsletter, editor, assert_accessible
):
    issue = factories.create_issue(
        newsletter=newsletter, subject="Friday light", status=Issue.Status.SENDING
    )
    for n in range(4):
        subscriber = factories.create_subscriber(email=f"r{n}@example.org", newsletter=newsletter)
        Delivery.objects.create(
            issue=issue, subscriber=subscriber, status="sent" if n else "queued"
        )

    sign_in(page, live_server)
    page.goto(live_server.url + f"/admin/newsletter/issue/{issue.pk}/change/")
    expect(page.locator("#issue-progress h2")).to_have_text("Sending")
    expect(page.locator("#issue-progress-text")).to_have_text("3 of 4 readers handled (75%)")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    assert_accessible(page)

    Delivery.objects.filter(status="queued").update(status="sent", sent_at=timezone.now())
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, sent_at=timezone.now())

    expect(page.locator("#issue-progress h2")).to_have_text("Sent", timeout=10_000)
    expect(page.locator("#issue-progress-text")).to_have_text("4 of 4 readers handled (100%)")
    expect(page.locator("#issue-progress-announce")).to_have_text("Status: Sent")
    expect(page.get_by_role("button", name="Pause")).to_have_count(0)


def test_the_import_page_and_the_subscriber_list_pass_axe(
    page, live_server, newsletter, editor, assert_accessible
):
    factories.create_subscriber(email="ann@example.org", newsletter=newsletter)

    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/newsletter/subscriber/")
    expect(page.get_by_role("link", name="Import CSV")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".errornote")).to_be_visible()
    assert_accessible(page)


def _next_day() -> str:
    from forum.site_settings.models import SiteSettings

    slot = timezone.localtime(SiteSettings.current().next_newsletter_slot())
    return f"{slot:%A} {slot.day} {slot:%B}"
