"""The newsletter end to end, as issue 11 tells it: a reader signs up in the footer and
confirms from the mail file, an editor sends an issue from the admin, the reader's mail holds
it with working links, and one POST to the mail's List-Unsubscribe address (no cookie, no
CSRF token, as a mail client sends it) takes them off the list."""

import re
import urllib.request
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from forum.newsletter.models import Source, Subscriber, Subscription
from tests import factories
from tests.browser.mail_files import messages_to

PASSWORD = "editor-password-1"  # noqa: S105


def link(text: str, path: str) -> str:
    return re.search(rf"https?://[^\s\"'<>]+{re.escape(path)}[^\s\"'<>]*", text).group(0)


def test_sign_up_confirm_receive_an_issue_and_leave_in_one_click(
    browser, open_context, live_server, mail_folder, assert_accessible
):
    newsletter = factories.default_newsletter()
    article = factories.create_article(
        title="Metering for snow", hero=True, published_at=timezone.now() - timedelta(hours=1)
    )
    reader = open_context().new_page()

    # The reader signs up in the footer of an article and confirms from the mail file.
    reader.goto(live_server.url + article.get_absolute_url())
    footer = reader.locator("footer")
    footer.get_by_label("Email", exact=True).fill("nia@example.org")
    footer.get_by_role("button", name="Subscribe").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Check your email")
    [confirmation] = messages_to(mail_folder, "nia@example.org")
    reader.goto(link(confirmation.get_body(("plain",)).get_content(), "/newsletter/confirm/"))
    reader.get_by_role("button", name="Confirm subscription").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("You’re subscribed")

    # The editor writes and sends an issue from the admin.
    editor = factories.create_staff(
        email="editor@example.com", password=PASSWORD, groups=("Editors",)
    )
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    desk = open_context().new_page()
    desk.goto(live_server.url + "/admin/newsletter/issue/add/")
    desk.locator("#id_login").fill(editor.email)
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign In").click()
    expect(desk.get_by_role("checkbox", name="Metering for snow")).to_be_checked()
    desk.get_by_label("Subject").fill("Snow, and how to meter it")
    desk.get_by_label("Intro").fill("Good morning. Snow at last.")
    desk.get_by_role("button", name="Save and continue editing").click()
    desk.get_by_role("link", name="Send now").click()
    desk.get_by_role("button", name="Send to 1 reader").click()
    expect(desk.locator("#issue-progress h2")).to_have_text("Sent")
    assert_accessible(desk)

    # The issue is in the reader's mail, its links work, and it carries RFC 8058's headers.
    issue_mail = messages_to(mail_folder, "nia@example.org")[-1]
    assert issue_mail["Subject"] == "Snow, and how to meter it"
    assert issue_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = issue_mail.get_body(("html",)).get_content()
    reader.goto(link(html, article.get_absolute_url()))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Metering for snow")
    reader.goto(link(html, "/newsletter/manage/"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Preferences for nia@example.org")
    one_click = re.search(r"<(https?://[^>]+)>", issue_mail["List-Unsubscribe"]).group(1)

    # A mail client's one-click unsubscribe: a bare POST, no cookie, no CSRF token.
    request = urllib.request.Request(  # noqa: S310 (the live server's http URL)
        one_click,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert "Set-Cookie" not in response.headers

    subscription = Subscriber.objects.get(email="nia@example.org").subscriptions.get(
        newsletter=newsletter
    )
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert subscription.changes.order_by("at", "pk").last().source == Source.ONE_CLICK
