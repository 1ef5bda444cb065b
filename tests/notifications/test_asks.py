"""A guest's "Notify me" boxes on the comment form: anyone can type any address, so an ask
stands at once only from a browser that proved it reads the address; otherwise it waits for
the confirmation mail's button, and the address gets that mail and nothing else."""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum.comments.models import Comment
from forum.comments.services import submit_comment
from forum.notifications import tokens
from forum.notifications.models import Follow, Recipient
from forum.notifications.tasks import send_digests
from forum.site_settings.models import ModerationMode, SiteSettings
from tests import factories
from tests.comments.pages import guest_data, post

from .conftest import confirmed_guest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _publish_at_once(db):
    site = SiteSettings.current()
    site.moderation_mode = ModerationMode.PUBLISH_ALL
    site.save()


def comment(article, *, capture, parent=None, **fields):
    with capture(execute=True):
        return submit_comment(
            article=article,
            parent_id=parent.pk if parent else None,
            body=fields.pop("body", "The lab scanned my Portra far too warm."),
            name=fields.pop("name", "Someone"),
            email=fields.pop("email", "vic@example.com"),
            form_issued=time.time() - 60,
            **fields,
        )


def aged(*comments) -> None:
    """Written a while ago: the flood rule lets the same writer post again."""
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(
        created=timezone.now() - timedelta(minutes=5)
    )


def confirm_link(mail) -> str:
    return re.search(r"https?://\S+(/notifications/confirm/\S+/)", mail.body).group(1)


def test_a_stranger_cannot_make_a_confirmed_address_follow_a_discussion(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed_guest("vic@example.com")
    comment(article, capture=django_capture_on_commit_callbacks, follow=True)
    comment(
        article,
        capture=django_capture_on_commit_callbacks,
        email="ann@example.com",
        name="Ann",
        body="Ask for no correction next time.",
    )

    send_digests.call(article_id=article.pk)

    [mail] = mailoutbox  # the confirmation, and no digest
    assert mail.to == ["vic@example.com"]
    assert "Someone, probably you, asked" in mail.body
    assert f'on "{article.title}"' in mail.body
    assert Follow.objects.get().confirmed is None


def test_a_stranger_cannot_make_a_confirmed_address_hear_of_replies(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed_guest("vic@example.com")
    stranger = comment(article, capture=django_capture_on_commit_callbacks, notify=True)
    comment(
        article,
        capture=django_capture_on_commit_callbacks,
        parent=stranger,
        email="ann@example.com",
        name="Ann",
        body="Ask for no correction next time.",
    )

    assert [mail.to for mail in mailoutbox] == [["vic@example.com"]]
    assert "/notifications/confirm/" in mailoutbox[0].body


def test_the_confirmation_button_confirms_every_waiting_ask(
    article, client, mailoutbox, django_capture_on_commit_callbacks
):
    other = factories.create_article(title="Fixing a sticky shutter")
    asked = comment(article, capture=django_capture_on_commit_callbacks, notify=True)
    aged(asked)
    comment(other, capture=django_capture_on_commit_callbacks, follow=True, body="Oil, probably.")
    assert len(mailoutbox) == 1  # one mail a day, however many asks

    page = client.get(confirm_link(mailoutbox[0]))
    assert "an email when someone replies to your comment" in page.content.decode()
    assert "Fixing a sticky shutter" in page.content.decode()
    response = client.post(confirm_link(mailoutbox[0]))

    asked.refresh_from_db()
    assert asked.notify_confirmed is True
    assert Follow.objects.get(article=other).confirmed is not None
    cookie = response.cookies[tokens.PROOF_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600


def test_a_removed_comment_s_ask_is_never_confirmed(
    article, client, mailoutbox, django_capture_on_commit_callbacks
):
    asked = comment(article, capture=django_capture_on_commit_callbacks, notify=True, follow=True)
    Comment.objects.filter(pk=asked.pk).update(status=Comment.Status.REMOVED)

    client.post(confirm_link(mailoutbox[0]))

    asked.refresh_from_db()
    assert asked.notify_confirmed is False
    assert Follow.objects.get().confirmed is None


def test_a_browser_that_proved_the_address_needs_no_confirmation(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        post(browser, article, guest_data(article, email="vic@example.com", notify="on"))
    browser.post(confirm_link(mailoutbox[0]))
    aged(*Comment.objects.all())
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        post(
            browser,
            article,
            guest_data(article, email="Vic@Example.com", follow="on", body="Again, warmer."),
        )

    assert mailoutbox == []
    assert Follow.objects.get().confirmed is not None


def test_a_new_ask_from_an_address_mailed_today_sends_no_second_mail(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    Recipient.objects.create(email="vic@example.com", confirmation_sent=timezone.now())

    comment(article, capture=django_capture_on_commit_callbacks, notify=True)

    assert mailoutbox == []
