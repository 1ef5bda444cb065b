"""Following a discussion from the article page: a member's button, a guest's form that mails
a link (the same answer for any address, a robot trap, rate limits), and the link's page."""

import re
import time
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.notifications import services, tokens, views
from forum.notifications.models import Follow, Recipient
from tests import factories

pytestmark = pytest.mark.django_db


def follow_url(article) -> str:
    return reverse("notifications:follow", args=[article.pk])


def ask(client, article, email="fay@example.com", **extra):
    data = {"follow-email": email, "follow-homepage": "", **extra.pop("data", {})}
    return client.post(follow_url(article), data, **extra)


def mailed_link(mail) -> str:
    return re.search(r"https?://\S+/notifications/follow/\S+/", mail.body).group(0)


@pytest.fixture
def member_client(reader):
    client = Client()
    client.force_login(reader)
    return client


# A guest


def test_a_guest_sees_the_follow_form_under_the_discussion(article, client):
    html = client.get(article.get_absolute_url()).content.decode()
    box = html[html.index('id="follow"') :]

    assert "Follow this discussion by email" in box
    assert '<label for="id_follow-email">Email</label>' in box
    assert ">Follow</button>" in box
    assert f'action="{follow_url(article)}"' in box


def test_a_guest_is_mailed_a_link_and_nothing_is_followed_yet(
    article, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, article, "Fay@Example.com")

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#comments"
    [mail] = mailoutbox
    assert mail.to == ["fay@example.com"]
    assert article.title in mail.subject
    assert mailed_link(mail).startswith(settings.SITE_URL + "/notifications/follow/")
    assert not Follow.objects.exists()
    assert not Recipient.objects.filter(confirmed__isnull=False).exists()
    page = client.get(response["Location"])
    assertContains(page, "We have sent a link to fay@example.com.")


def test_the_answer_is_the_same_for_a_new_a_known_and_a_confirmed_address(
    article, django_capture_on_commit_callbacks
):
    Recipient.objects.create(email="known@example.com")
    Recipient.objects.create(email="sure@example.com", confirmed=timezone.now())
    answers = []
    for address in ("new@example.com", "known@example.com", "sure@example.com"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(client, article, address, follow=True)
        note = re.search(r"We have sent a link[^<]*", response.content.decode()).group(0)
        answers.append((response.status_code, note.replace(address, "ADDRESS")))

    assert answers[0] == answers[1] == answers[2]


def test_the_link_shows_a_page_then_confirms_and_follows_on_post(
    article, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, article)
    url = mailed_link(mailoutbox[0]).removeprefix(settings.SITE_URL)

    page = Client().get(url)
    assertContains(page, "fa…@example.com")
    assertContains(page, "Follow this discussion</button>")
    assert not Follow.objects.exists()  # a mail scanner's GET changes nothing

    done = Client().post(url)

    follow = Follow.objects.get()
    assert follow.article == article
    assert follow.recipient.email == "fay@example.com"
    assert follow.recipient.confirmed is not None
    assertContains(done, "You follow this discussion")
    assertContains(done, "/notifications/settings/")


def test_following_again_turns_the_switch_for_followed_discussions_back_on(article):
    recipient = Recipient.objects.create(
        email="fay@example.com", confirmed=timezone.now(), following=False
    )
    token = tokens.follow_token("fay@example.com", article.pk)

    Client().post(reverse("notifications:follow-link", args=[token]))

    recipient.refresh_from_db()
    assert recipient.following is True
    assert Follow.objects.filter(recipient=recipient, article=article).exists()


@pytest.mark.parametrize("days, status, words", [(0, 404, "not valid"), (8, 400, "has expired")])
def test_a_tampered_or_expired_follow_link_follows_nothing(article, days, status, words):
    then = int(time.time()) - days * 86400
    with patch.object(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then)):
        token = tokens.follow_token("fay@example.com", article.pk)
    if not days:
        token = token[:-3] + "abc"

    response = Client().post(reverse("notifications:follow-link", args=[token]))

    assertContains(response, words, status_code=status)
    assert not Follow.objects.exists()
    assert not Recipient.objects.exists()


def test_the_follow_link_needs_the_csrf_token(article):
    token = tokens.follow_token("fay@example.com", article.pk)

    response = Client(enforce_csrf_checks=True).post(
        reverse("notifications:follow-link", args=[token])
    )

    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_a_wrong_address_is_shown_again_with_its_error(article, client, mailoutbox):
    response = ask(client, article, "fay-at-example")

    assertContains(response, "doesn’t look like an email address", status_code=400)
    assertContains(response, 'value="fay-at-example"', status_code=400)
    assert mailoutbox == []


def test_the_robot_trap_sends_nothing(article, client, mailoutbox):
    response = ask(client, article, data={"follow-homepage": "https://spam.example"})

    assertContains(response, "please clear it and press Follow again", status_code=400)
    assert mailoutbox == []


def test_one_network_is_limited_and_told_so(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    for n in range(views.FOLLOWS_PER_NETWORK_PER_HOUR):
        with django_capture_on_commit_callbacks(execute=True):
            assert ask(client, article, f"reader{n}@example.com").status_code == 302

    response = ask(client, article, "one-more@example.com")

    assertContains(response, "Too many requests have come from your network", status_code=400)
    assert len(mailoutbox) == views.FOLLOWS_PER_NETWORK_PER_HOUR
    other_network = ask(Client(REMOTE_ADDR="192.0.2.7"), article, "one-more@example.com")
    assert other_network.status_code == 302


def test_one_address_gets_a_few_links_a_day_and_the_answer_does_not_change(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    limit = views.FOLLOW_LINKS_PER_ADDRESS_PER_DAY
    for n in range(limit + 2):
        client = Client(REMOTE_ADDR=f"198.51.{n}.1")
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(client, article, "fay@example.com", follow=True)
        assertContains(response, "We have sent a link to fay@example.com.")

    assert len(mailoutbox) == limit


def test_nobody_follows_a_closed_discussion(article, client, reader, mailoutbox):
    article.comments_open = False
    article.save()
    member = Client()
    member.force_login(reader)

    assert ask(client, article).status_code == 302
    member.post(follow_url(article), {"action": "follow"})

    assert mailoutbox == []
    assert not Follow.objects.exists()
    assertNotContains(client.get(article.get_absolute_url()), 'id="follow"')


def test_a_draft_cannot_be_followed(client):
    draft = factories.create_article(status="draft")

    assert ask(client, draft).status_code == 404


# A member


def test_a_member_follows_and_stops_with_one_button_each(article, reader, member_client):
    response = member_client.post(follow_url(article), {"action": "follow"}, follow=True)

    assert Follow.objects.get().recipient.user == reader
    assertContains(response, "You follow this discussion")

    response = member_client.post(follow_url(article), {"action": "stop"}, follow=True)

    assert not Follow.objects.exists()
    assertContains(response, "You no longer follow this discussion.")


def test_the_article_page_links_a_member_to_the_follow_page_without_asking_who_follows(
    article, member_client
):
    html = member_client.get(article.get_absolute_url()).content.decode()
    box = html[html.index('id="follow"') :]

    assert f'data-state-url="{follow_url(article)}"' in box
    assert f'<a href="{follow_url(article)}">Follow this discussion by email</a>' in box
    assert "js/follow.js" in box


def test_the_follow_state_is_the_members_own(article, reader, member_client):
    other = Client()
    other.force_login(factories.create_user())
    member_client.post(follow_url(article), {"action": "follow"})

    mine = member_client.get(follow_url(article), headers={"accept": "application/json"}).json()
    theirs = other.get(follow_url(article), headers={"accept": "application/json"}).json()

    assert mine["following"] is True and "Stop following" in mine["html"]
    assert theirs["following"] is False and "Follow this discussion" in theirs["html"]
    assert "Stop following" not in other.get(article.get_absolute_url()).content.decode()


def test_without_javascript_the_follow_page_shows_the_members_button(article, member_client):
    page = member_client.get(follow_url(article))

    assertContains(page, 'value="follow"')
    member_client.post(follow_url(article), {"action": "follow"})
    assertContains(member_client.get(follow_url(article)), 'value="stop"')


def test_the_follow_button_needs_the_csrf_token(article, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    assert client.post(follow_url(article), {"action": "follow"}).status_code == 403
    assert not Follow.objects.exists()


def test_the_limits_are_kept_in_the_database_not_in_one_process_s_cache(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    for n in range(views.FOLLOWS_PER_NETWORK_PER_HOUR):
        with django_capture_on_commit_callbacks(execute=True):
            ask(client, article, f"reader{n}@example.com")
    cache.clear()  # another server process, or a restart

    response = ask(client, article, "one-more@example.com")

    assertContains(response, "Too many requests have come from your network", status_code=400)


def test_confirmation_mail_and_follow_links_share_an_address_s_daily_budget(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        factories.create_comment(article=article, email="fay@example.com", notify=True)
        services.ask_to_confirm(Recipient.for_guest("fay@example.com"), article.pk)
    for n in range(views.FOLLOW_LINKS_PER_ADDRESS_PER_DAY):
        with django_capture_on_commit_callbacks(execute=True):
            ask(Client(REMOTE_ADDR=f"198.51.{n}.1"), article, "fay@example.com")

    assert len(mailoutbox) == views.FOLLOW_LINKS_PER_ADDRESS_PER_DAY


def test_an_address_that_stopped_all_mail_still_gets_a_follow_link(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    Recipient.objects.create(email="fay@example.com", confirmed=timezone.now()).stop()

    with django_capture_on_commit_callbacks(execute=True):
        ask(Client(), article, "fay@example.com")

    [mail] = mailoutbox
    assert mail.to == ["fay@example.com"]
