"""The comment form's notification boxes: who sees which, what ticking them does, and what the
writer is told after posting."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from forum.comments.models import Comment
from forum.notifications.models import Follow, Recipient
from forum.site_settings.models import ModerationMode, SiteSettings
from tests import factories
from tests.comments.pages import field_error, guest_data, member_data, post

from .conftest import verified_member

pytestmark = pytest.mark.django_db

NOTIFY = "Notify me of replies by email"
FOLLOW = "Notify me of new comments on this article"


@pytest.fixture(autouse=True)
def _publish_at_once(db):
    site = SiteSettings.current()
    site.moderation_mode = ModerationMode.PUBLISH_ALL
    site.save()


def checkbox(html: str, name: str) -> str | None:
    """The <input> of checkbox `name` in the comment form, or None if there is none."""
    match = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', html)
    return match.group(0) if match else None


def respond(response) -> str:
    html = response.content.decode()
    return html[html.index('<div id="respond"') :]


def test_a_guest_sees_both_boxes_unticked(article, client):
    html = respond(client.get(article.get_absolute_url()))

    assert NOTIFY in html and FOLLOW in html
    assert "checked" not in checkbox(html, "notify")
    assert "checked" not in checkbox(html, "follow")


def test_a_member_sees_only_the_follow_box_and_a_link_to_their_settings(article, reader):
    client = Client()
    client.force_login(reader)

    html = respond(client.get(article.get_absolute_url()))

    assert checkbox(html, "notify") is None
    assert "checked" not in checkbox(html, "follow")
    assert 'href="/notifications/account/"' in html


def test_ticked_boxes_survive_a_refused_comment(article, client):
    response = post(client, article, guest_data(article, name="", notify="on", follow="on"))

    assert response.status_code == 200
    assert field_error(response, "name")
    html = respond(response)
    assert "checked" in checkbox(html, "notify")
    assert "checked" in checkbox(html, "follow")


def test_remember_me_does_not_keep_the_boxes_ticked(article, client):
    post(client, article, guest_data(article, remember="on", notify="on", follow="on"))

    html = respond(client.get(article.get_absolute_url()))

    assert 'value="jo@example.com"' in html  # the cookie did its work
    assert "checked" not in checkbox(html, "notify")
    assert "checked" not in checkbox(html, "follow")


def test_a_guest_who_ticks_notify_is_sent_one_confirmation_and_told_so(
    article, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article, guest_data(article, notify="on"), follow=True)

    comment = Comment.objects.get()
    assert comment.notify is True
    [mail] = mailoutbox
    assert mail.to == ["jo@example.com"]
    assert "/notifications/confirm/" in mail.body
    assert "You asked for email about replies to your comment." in response.content.decode()
    assert "look for our email with a link to confirm it" in response.content.decode()


def test_the_note_after_posting_is_the_same_whether_the_address_is_confirmed_or_not(
    article, django_capture_on_commit_callbacks
):
    Recipient.objects.create(email="known@example.com", confirmed=timezone.now())
    notes = []
    for n, address in enumerate(["known@example.com", "new@example.com"]):
        data = guest_data(article, email=address, notify="on", body=f"Comment number {n}.")
        with django_capture_on_commit_callbacks(execute=True):
            response = post(Client(), article, data, follow=True, REMOTE_ADDR=f"10.0.{n}.1")
        notes.append(
            re.search(r"You asked for email[^<]*", response.content.decode())
            .group(0)
            .replace(address, "ADDRESS")
        )

    assert notes[0] == notes[1]


def test_a_guest_who_ticks_nothing_gets_no_mail_and_no_note(article, client, mailoutbox):
    response = post(client, article, guest_data(article), follow=True)

    assert Comment.objects.get().notify is False
    assert mailoutbox == []
    assert "You asked for email" not in response.content.decode()


def test_a_guest_who_ticks_follow_follows_the_discussion(
    article, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, guest_data(article, follow="on"))

    follow = Follow.objects.get()
    assert follow.article == article
    assert follow.recipient.email == "jo@example.com"


def test_a_member_who_ticks_follow_follows_and_is_told(article, reader):
    client = Client()
    client.force_login(reader)

    response = post(client, article, member_data(article, follow="on"), follow=True)

    assert Follow.objects.get().recipient.user == reader
    assert "You follow this discussion" in response.content.decode()


def test_a_member_cannot_ask_for_guest_reply_mail_by_posting_the_box(article, reader):
    client = Client()
    client.force_login(reader)

    post(client, article, member_data(article, notify="on"))

    assert Comment.objects.get().notify is False
    assert not Recipient.objects.exists()


def test_a_guest_comment_on_a_closed_form_shows_no_boxes(article, client):
    factories.create_comment(article=article)
    article.comments_open = False
    article.save()

    html = client.get(article.get_absolute_url()).content.decode()

    assert NOTIFY not in html and FOLLOW not in html


def test_a_member_who_ticks_follow_with_following_off_turns_it_back_on(article):
    member = verified_member("mo@example.com")
    Recipient.for_member(member).stop()
    client = Client()
    client.force_login(member)

    response = post(client, article, member_data(article, follow="on"), follow=True)

    assert Recipient.objects.get(user=member).following is True
    assert "new comments come to your email address" in response.content.decode()


def test_a_member_whose_address_is_not_verified_is_told_so(article, reader):
    client = Client()
    client.force_login(reader)

    response = post(client, article, member_data(article, follow="on"), follow=True)

    assert "your address is not verified" in response.content.decode()
    assert "new comments come to your email address" not in response.content.decode()
