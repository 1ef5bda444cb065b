"""The pages behind the links in reader mail: confirm, settings, unsubscribe (with RFC 8058's
one-click POST), stop following; a member's settings; the admin's lists."""

import re
import time
from unittest.mock import patch

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.comments.models import Comment
from forum.notifications import services, tokens
from forum.notifications.models import Follow, Kind, Notice, Recipient
from tests import factories

pytestmark = pytest.mark.django_db


def guest(email="cai@example.com", *, confirmed=True) -> Recipient:
    return Recipient.objects.create(email=email, confirmed=timezone.now() if confirmed else None)


def path(url: str) -> str:
    """An absolute link from mail, as a path for the test client."""
    return url.removeprefix("http://testserver").split("://", 1)[-1].partition("/")[2].join("/")


def local(url: str) -> str:
    from django.conf import settings

    return url.removeprefix(settings.SITE_URL)


def signed_days_ago(days: int):
    """Sign links as if `days` ago: the signer's clock is its one seam."""
    then = int(time.time()) - days * 86400
    return patch.object(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then))


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


# Confirm


def test_the_confirm_page_shows_the_address_masked_and_a_button(article):
    recipient = guest(confirmed=False)
    factories.create_comment(article=article, email=recipient.email)
    services.start_following(recipient, article.pk, confirmed=False)

    response = Client().get(local(tokens.confirm_url(recipient)))

    assertContains(response, "ca…@example.com")
    assertNotContains(response, "cai@example.com")
    assertContains(response, article.title)
    assertContains(response, '<button type="submit">Confirm my address</button>', html=True)
    assert Recipient.objects.get().confirmed is None  # a mail scanner's GET changes nothing


def test_the_confirm_page_promises_an_approval_note_only_for_a_held_comment(article):
    recipient = guest(confirmed=False)
    factories.create_comment(article=article, email=recipient.email, notify=True)
    url = local(tokens.confirm_url(recipient))

    assertNotContains(Client().get(url), "waits for a moderator")
    Comment.objects.update(status=Comment.Status.PENDING)
    assertContains(Client().get(url), "waits for a moderator")


def test_pressing_confirm_confirms_and_links_to_the_settings(article):
    recipient = guest(confirmed=False)
    factories.create_comment(article=article, email=recipient.email, notify=True)

    response = Client().post(local(tokens.confirm_url(recipient)))

    assert Recipient.objects.get().confirmed is not None
    assertContains(response, "Your address is confirmed")
    assertContains(response, "an email when someone replies")
    assertContains(response, "/notifications/settings/")


def test_a_used_confirmation_link_says_the_address_is_already_confirmed():
    recipient = guest(confirmed=True)

    response = Client().get(local(tokens.confirm_url(recipient)))

    assert response.status_code == 200
    assertContains(response, "Your address is already confirmed")
    assertNotContains(response, "Confirm my address")


def test_confirming_needs_the_csrf_token():
    recipient = guest(confirmed=False)

    response = csrf_client().post(local(tokens.confirm_url(recipient)))

    assert response.status_code == 403
    assert Recipient.objects.get().confirmed is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_confirmation_link_is_refused_with_a_way_forward(method):
    recipient = guest(confirmed=False)
    token = tokens.recipient_token(recipient, tokens.CONFIRM)

    response = getattr(Client(), method)(reverse("notifications:confirm", args=[token[:-2] + "xx"]))

    assert response.status_code == 404
    assertContains(response, "This link is not valid", status_code=404)
    assertContains(response, "Notify me of replies by email", status_code=404)
    assert Recipient.objects.get().confirmed is None


def test_an_expired_confirmation_link_is_refused_and_says_how_to_ask_again():
    recipient = guest(confirmed=False)
    with signed_days_ago(8):
        url = local(tokens.confirm_url(recipient))

    response = Client().post(url)

    assertContains(response, "This link has expired", status_code=400)
    assertContains(response, "work for 7 days", status_code=400)
    assert Recipient.objects.get().confirmed is None


def test_a_settings_link_does_not_confirm_an_address():
    recipient = guest(confirmed=False)
    token = tokens.recipient_token(recipient, tokens.MANAGE)

    response = Client().post(reverse("notifications:confirm", args=[token]))

    assert response.status_code == 404
    assert Recipient.objects.get().confirmed is None


# Settings


def test_the_settings_page_shows_the_address_switches_and_followed_discussions(article):
    recipient = guest()
    services.start_following(recipient, article.pk)

    response = Client().get(local(tokens.settings_url(recipient)))

    assertContains(response, "ca…@example.com")  # a mailed link may be forwarded
    assertNotContains(response, "cai@example.com")
    for kind in Kind:
        assertContains(response, kind.label)
    assertContains(response, article.title)
    assertContains(response, "Stop following")
    assertContains(response, "Stop all comment emails")


def test_saving_the_settings_turns_kinds_off_and_on():
    recipient = guest()
    url = local(tokens.settings_url(recipient))

    response = Client().post(url, {"following": "on"})

    assert response.status_code == 302
    recipient.refresh_from_db()
    assert (recipient.replies, recipient.approvals, recipient.following) == (False, False, True)


def test_stop_all_comment_emails_turns_every_kind_off():
    recipient = guest()

    Client().post(local(tokens.settings_url(recipient)), {"stop_all": ""})

    recipient.refresh_from_db()
    assert not any(recipient.wants(kind) for kind in Kind.values)


def test_stop_following_on_the_settings_page_ends_that_follow_only(article):
    other = factories.create_article()
    recipient = guest()
    services.start_following(recipient, article.pk)
    services.start_following(recipient, other.pk)

    response = Client().post(
        local(tokens.settings_url(recipient)), {"unfollow": str(article.pk)}, follow=True
    )

    assert list(Follow.objects.values_list("article_id", flat=True)) == [other.pk]
    assertContains(response, f"You no longer follow “{article.title}”.")


def test_the_settings_page_needs_the_csrf_token():
    recipient = guest()

    response = csrf_client().post(local(tokens.settings_url(recipient)), {"stop_all": ""})

    assert response.status_code == 403
    assert Recipient.objects.get().replies is True


def test_a_forged_settings_link_shows_nothing_of_anyone():
    recipient = guest()
    forged = signing.dumps({"r": recipient.pk}, salt="another.purpose")

    response = Client().get(reverse("notifications:settings", args=[forged]))

    assert response.status_code == 404
    assertNotContains(response, "cai@example.com", status_code=404)


# A member's settings


def test_a_members_settings_are_all_on_until_saved_and_saved_only_when_asked(reader):
    client = Client()
    client.force_login(reader)

    response = client.get(reverse("notifications:account"))

    assertContains(response, reader.email)
    for kind in Kind.values:
        assert re.search(rf'<input type="checkbox" name="{kind}"[^>]* checked', main(response))
    assert not Recipient.objects.exists()

    client.post(reverse("notifications:account"), {"replies": "on"})

    recipient = Recipient.objects.get(user=reader)
    assert (recipient.replies, recipient.approvals, recipient.following) == (True, False, False)


def test_a_member_with_an_unverified_address_is_told_nothing_is_sent(reader):
    client = Client()
    client.force_login(reader)

    assertContains(client.get(reverse("notifications:account")), "not verified yet")


@pytest.mark.parametrize("role", factories.ROLES)
def test_only_signed_in_people_have_a_settings_page(role):
    response = factories.client_as(role).get(reverse("notifications:account"))

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 200


def test_the_profile_page_links_to_the_members_settings(reader):
    client = Client()
    client.force_login(reader)

    assertContains(client.get(reverse("members:profile")), reverse("notifications:account"))


# Unsubscribe


@pytest.mark.parametrize("kind", [*Kind.values, "all"])
def test_the_unsubscribe_page_asks_then_stops_that_kind(kind):
    recipient = guest()
    url = local(tokens.unsubscribe_url(recipient, kind))

    page = Client().get(url)
    recipient.refresh_from_db()
    assert all(recipient.wants(each) for each in Kind.values)  # a GET changes nothing
    assert main(page).count("<button") == 1

    done = Client().post(url)

    recipient.refresh_from_db()
    stopped = Kind.values if kind == "all" else [kind]
    assert [each for each in Kind.values if not recipient.wants(each)] == stopped
    assertContains(done, "Turn them back on in your email settings")
    assertContains(done, "/notifications/settings/")


def test_the_unsubscribe_button_needs_the_csrf_token():
    recipient = guest()

    response = csrf_client().post(local(tokens.unsubscribe_url(recipient, "replies")))

    assert response.status_code == 403
    assert Recipient.objects.get().replies is True


@pytest.mark.parametrize("signed_in", [False, True])
def test_one_click_unsubscribe_needs_no_cookie_and_no_csrf_token(reader, signed_in):
    recipient = guest()
    client = csrf_client()
    if signed_in:
        client.force_login(reader)  # someone else's session changes nothing

    response = client.post(
        local(tokens.unsubscribe_url(recipient, "replies")),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assertContains(response, "You’re unsubscribed")
    recipient.refresh_from_db()
    assert (recipient.replies, recipient.approvals, recipient.following) == (False, True, True)
    assert "Set-Cookie" not in str(response.cookies.output())


def test_one_click_with_a_tampered_link_changes_nothing():
    recipient = guest()
    url = local(tokens.unsubscribe_url(recipient, "all")).replace(":", "x", 1)

    response = csrf_client().post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 404
    assert Recipient.objects.get().replies is True


def test_an_unknown_kind_is_not_found():
    recipient = guest()
    token = tokens.recipient_token(recipient, tokens.MANAGE)

    response = Client().get(reverse("notifications:unsubscribe", args=[token, "newsletter"]))

    assert response.status_code == 404


# Stop following from a digest


def test_the_unfollow_link_asks_then_stops_following(article):
    recipient = guest()
    follow = services.start_following(recipient, article.pk)
    url = local(tokens.unfollow_url(follow))

    page = Client().get(url)
    assertContains(page, "Stop following this discussion")
    assert Follow.objects.exists()

    done = Client().post(url)

    assert not Follow.objects.exists()
    assertContains(done, "You no longer follow this discussion")
    assert Recipient.objects.get().following is True  # other discussions still come


def test_the_unfollow_button_needs_the_csrf_token(article):
    follow = services.start_following(guest(), article.pk)

    response = csrf_client().post(local(tokens.unfollow_url(follow)))

    assert response.status_code == 403
    assert Follow.objects.exists()


def test_an_expired_unfollow_link_is_refused(article):
    follow = services.start_following(guest(), article.pk)
    with signed_days_ago(401):
        url = local(tokens.unfollow_url(follow))

    response = Client().post(url)

    assertContains(response, "This link has expired", status_code=400)
    assert Follow.objects.exists()


# The admin's lists


@pytest.mark.parametrize("role", factories.ROLES)
@pytest.mark.parametrize("model", ["recipient", "follow", "notice"])
def test_the_admin_lists_are_for_superusers(role, model):
    response = factories.client_as(role).get(f"/admin/notifications/{model}/")

    expected = {"anonymous": 302, "member": 302, "superuser": 200}.get(role, 403)
    assert response.status_code == expected


def test_staff_find_a_reader_by_address_and_cannot_add_rows(article):
    recipient = guest("dee@example.com")
    guest("eve@example.com")
    comment = factories.create_comment(article=article)
    Notice.objects.create(recipient=recipient, comment=comment, kind=Kind.REPLIES)
    client = factories.client_as("superuser")

    found = client.get("/admin/notifications/recipient/", {"q": "dee@"})
    notices = client.get("/admin/notifications/notice/", {"q": "dee@"})

    assertContains(found, "dee@example.com")
    assertNotContains(found, "eve@example.com")
    assertContains(notices, "1 notice")
    assert client.get("/admin/notifications/recipient/add/").status_code == 403
