"""Reply notifications end to end, as issue 13 tells it: a guest ticks "Notify me of replies by
email" and confirms from the mail file; a moderator publishes the held comment; a member
replies; the guest's mail holds a working link to the reply; one POST to the mail's
List-Unsubscribe address (no cookie, no CSRF token, as a mail client sends it) stops reply
mail, and the next reply sends them nothing."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from forum.comments.models import Comment
from forum.notifications.models import Recipient
from tests import factories
from tests.browser.mail_files import messages_to

from .test_comments import PASSWORD, sign_in

GUEST = "ines@example.org"
MODERATOR = "moderator@example.com"
MEMBER = "tamsin@example.com"
SHOTS = "/tmp/shots-notify"  # noqa: S108 (the folder the brief names for screenshots)


def link(text: str, path: str) -> str:
    return re.search(rf"https?://[^\s\"'<>]+{re.escape(path)}[^\s\"'<>]*", text).group(0)


@pytest.fixture
def people(transactional_db):
    moderator = factories.create_staff(email=MODERATOR, password=PASSWORD, groups=("Moderators",))
    member = factories.create_user(email=MEMBER, password=PASSWORD, display_name="Tamsin Shaw")
    for user in (moderator, member):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    factories.create_trusted_commenter(user=member)  # the member's replies are published at once
    return moderator, member


def reply(page, url: str, parent: int, body: str) -> int:
    """Reply to comment `parent` as the signed-in member; the reply's pk."""
    page.goto(url)
    page.locator(f"#comment-{parent}").get_by_role("link", name="Reply").click()
    form = page.locator("#respond form")
    form.get_by_role("textbox", name="Comment", exact=True).fill(body)
    form.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    return int(page.url.rpartition("-")[2])


def test_a_guest_hears_of_a_reply_follows_its_link_and_stops_in_one_click(
    live_server,
    article,
    people,
    open_context,
    mail_folder,
    assert_accessible,
    playwright,
    site_settings,
):
    site_settings(flood_seconds=0)  # the member replies twice in a row
    url = live_server.url + article.get_absolute_url()

    # The guest comments with "Notify me of replies by email" ticked.
    guest = open_context().new_page()
    guest.goto(url)
    form = guest.locator("#respond form")
    form.get_by_role("textbox", name="Comment", exact=True).fill("Is the M6 meter still good?")
    form.get_by_role("textbox", name="Name", exact=True).fill("Ines Calloway")
    form.get_by_role("textbox", name="Email", exact=True).fill(GUEST)
    box = form.get_by_role("checkbox", name="Notify me of replies by email")
    expect(box).not_to_be_checked()
    box.check()
    form.get_by_role("button", name="Post comment").click()
    expect(guest.locator("#comment-notices")).to_contain_text(
        "You asked for email about replies to your comment."
    )
    comment = Comment.objects.get(email=GUEST)
    assert comment.notify

    # The confirmation mail; its link shows a page whose button confirms.
    [confirmation] = messages_to(mail_folder, GUEST)
    guest.goto(link(confirmation.get_body(("plain",)).get_content(), "/notifications/confirm/"))
    expect(guest.get_by_role("heading", level=1)).to_have_text("Confirm your address")
    assert_accessible(guest)
    guest.get_by_role("button", name="Confirm my address").click()
    expect(guest.get_by_role("heading", level=1)).to_have_text("Your address is confirmed")
    guest.get_by_role("link", name="choose what you get in your email settings").click()
    expect(guest.get_by_role("heading", level=1)).to_have_text("Comment emails")
    expect(guest.get_by_role("checkbox", name="Replies to my comments")).to_be_checked()
    assert_accessible(guest)

    # A moderator publishes the held comment (a first comment from an address) where it sits.
    assert comment.status == Comment.Status.PENDING
    desk = open_context().new_page()
    sign_in(desk, live_server.url + "/accounts/login/", MODERATOR)
    expect(desk.get_by_role("link", name="Sign out")).to_be_visible()
    desk.goto(url)
    desk.get_by_role("button", name="Approve the comment by Ines Calloway").click()
    expect(desk.locator("#comment-notices")).to_contain_text("is approved")
    approved = messages_to(mail_folder, GUEST)[-1]
    assert approved["Subject"] == f"Your comment on “{article.title}” is published"

    # A member replies; the guest's mail names the reply and links to it.
    writer = open_context().new_page()
    sign_in(writer, live_server.url + "/accounts/login/", MEMBER)
    expect(writer.get_by_role("link", name="Sign out")).to_be_visible()
    answer = reply(writer, url, comment.pk, "It is, once you swap the two LR44 cells.")
    mails = messages_to(mail_folder, GUEST)
    notice = mails[-1]
    assert notice["Subject"] == f"Tamsin Shaw replied to your comment on “{article.title}”"
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    guest.goto(link(notice.get_body(("html",)).get_content(), f"/comments/{answer}/"))
    expect(guest).to_have_url(re.compile(rf"#comment-{answer}$"))
    expect(guest.locator(f"#comment-{answer}")).to_contain_text("swap the two LR44 cells")

    # One click from the mail client: a bare POST, no cookie, no CSRF token.
    one_click = re.search(r"<(https?://[^>]+)>", notice["List-Unsubscribe"]).group(1)
    client = playwright.request.new_context()
    response = client.post(
        one_click,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200
    assert "set-cookie" not in response.headers
    client.dispose()
    assert Recipient.objects.get(email=GUEST).replies is False

    # The next reply sends the guest nothing.
    reply(writer, url, comment.pk, "And keep a spare pair in the case.")
    assert len(messages_to(mail_folder, GUEST)) == len(mails)


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "dark")])
def test_the_comment_form_and_follow_box_look_right(
    live_server, article, people, open_context, assert_accessible, width, scheme
):
    """The notification boxes and the follow box, for a guest and a member, photographed."""
    factories.create_comment(article=article, body="The rangefinder patch is bright.")
    url = live_server.url + article.get_absolute_url()
    look = {"viewport": {"width": width, "height": 900}, "color_scheme": scheme}

    guest = open_context(**look).new_page()
    guest.goto(url)
    guest.locator("#follow summary").click()
    expect(guest.locator("#follow").get_by_role("button", name="Follow")).to_be_visible()
    assert_accessible(guest, "#comments")
    guest.locator("#respond").screenshot(path=f"{SHOTS}/browser-form-guest-{width}-{scheme}.png")
    guest.locator("#follow").screenshot(path=f"{SHOTS}/browser-follow-guest-{width}-{scheme}.png")

    reader = open_context(**look).new_page()
    sign_in(reader, live_server.url + "/accounts/login/", MEMBER)
    expect(reader.get_by_role("link", name="Sign out")).to_be_visible()
    reader.goto(url)
    follow = reader.locator("#follow")
    follow.get_by_role("button", name="Follow this discussion").click()
    expect(reader.locator("#comment-notices")).to_contain_text("You follow this discussion")
    expect(follow.get_by_role("button", name="Stop following")).to_be_visible()
    assert_accessible(reader, "#comments")
    follow.screenshot(path=f"{SHOTS}/browser-follow-member-{width}-{scheme}.png")
