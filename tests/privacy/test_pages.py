"""The privacy pages: a member's data and account deletion, a guest's link by email, and the
privacy notice's generated part."""

import json
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from forum.comments.models import Comment
from forum.newsletter.models import Subscriber
from forum.privacy.links import LINKS_PER_NETWORK_PER_HOUR
from forum.privacy.models import GuestLink, PrivacyRequest
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # noqa: S105 (the factories' default)
GUEST = "wren@example.org"


def signed_in(member) -> Client:
    """A member signed in who has just given their password again (allauth's
    reauthentication), so the account's deletion asks for nothing more."""
    client = Client()
    client.force_login(member)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def member(db):
    from allauth.account.models import EmailAddress

    user = factories.create_user(email="linnet@example.com", display_name="Linnet Crewe")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("role", factories.ROLES)
@pytest.mark.parametrize("name", ["your-data", "download", "delete"])
def test_the_members_pages_are_for_signed_in_readers_only(role, name):
    response = factories.client_as(role).get(reverse(f"privacy:{name}"))

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    elif name == "delete":
        # Signed in long ago (or never with a password here): the password again, first.
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    else:
        assert response.status_code == 200


def test_a_member_downloads_their_data_as_a_json_file(member, article):
    factories.create_comment(article=article, user=member, body="Fog suits the Summicron.")
    client = Client()
    client.force_login(member)

    response = client.get(reverse("privacy:download"))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="frame-and-grain')
    data = json.loads(response.content)
    assert data["account"]["email"] == "linnet@example.com"
    assert data["comments"][0]["text"] == "Fog suits the Summicron."


def test_a_member_deletes_their_account_anonymising_their_comments(member, article):
    comment = factories.create_comment(article=article, user=member, body="Fog suits it.")
    client = signed_in(member)
    assert client.get(reverse("privacy:delete")).status_code == 200

    response = client.post(
        reverse("privacy:delete"), {"comments": "anonymise", "confirm": "on"}, follow=True
    )

    assert response.redirect_chain[-1][0].startswith(reverse("privacy:done"))
    assert "Your account is deleted" in response.text
    assert "signed “Former member”" in response.text
    assert not type(member).objects.filter(pk=member.pk).exists()
    comment.refresh_from_db()
    assert (comment.name, comment.email, comment.user_id) == ("Former member", "", None)
    assert not response.wsgi_request.user.is_authenticated


def test_deleting_an_account_asks_for_confirmation_and_keeps_everything_without_it(member, article):
    client = signed_in(member)

    response = client.post(reverse("privacy:delete"), {"comments": "remove"})

    assert response.status_code == 400
    assert "Please tick the box to confirm" in response.text
    assert type(member).objects.filter(pk=member.pk).exists()


def test_a_member_with_a_running_monthly_gift_is_told_to_cancel_it_first(member):
    factories.create_donation(email=member.email, kind="monthly", status="active")
    client = signed_in(member)

    response = client.post(reverse("privacy:delete"), {"comments": "remove", "confirm": "on"})

    assert response.status_code == 400
    assert "monthly gift" in response.text
    assert type(member).objects.filter(pk=member.pk).exists()


# Guests ---------------------------------------------------------------------------------


@pytest.fixture
def ask_for_link(django_capture_on_commit_callbacks):
    """Send the guests' form; the link's mail, queued once the request commits, goes."""

    def ask(client: Client, email: str = GUEST, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("privacy:request-link"), {"email": email, **extra})

    return ask


def link_from(mail) -> str:
    url = next(line for line in mail.body.splitlines() if "/privacy/data/" in line)
    return url.strip()


def test_a_guest_is_mailed_a_link_built_from_site_url(article, mailoutbox, settings, ask_for_link):
    settings.SITE_URL = "https://frameandgrain.test"
    factories.create_comment(article=article, email=GUEST, name="Wren")

    response = ask_for_link(Client())

    assert response.status_code == 302 and response.url == reverse("privacy:link-sent")
    (mail,) = mailoutbox
    assert mail.to == [GUEST]
    assert link_from(mail).startswith("https://frameandgrain.test/privacy/data/")
    assert GUEST not in link_from(mail)  # the address is not in the link


def test_the_answer_is_the_same_for_an_address_with_nothing_stored(mailoutbox, ask_for_link):
    response = ask_for_link(Client(), "nobody@example.org")

    assert response.status_code == 302 and response.url == reverse("privacy:link-sent")
    assert mailoutbox == []


def test_the_honeypot_stops_robots(article, mailoutbox, ask_for_link):
    factories.create_comment(article=article, email=GUEST)

    response = ask_for_link(Client(), homepage="http://spam.example")

    assert response.status_code == 400
    assert mailoutbox == [] and not GuestLink.objects.exists()


def test_links_are_limited_per_network_aloud_and_per_address_silently(
    article, mailoutbox, ask_for_link
):
    factories.create_comment(article=article, email=GUEST)
    client = Client(REMOTE_ADDR="203.0.113.9")

    for _ in range(LINKS_PER_NETWORK_PER_HOUR):
        assert ask_for_link(client).status_code == 302
    refused = ask_for_link(client)

    assert refused.status_code == 400
    assert "Too many links" in refused.text
    assert len(mailoutbox) == 3  # per address: three a day, then silence


@pytest.fixture
def guest_page(article, mailoutbox, ask_for_link, settings) -> str:
    """The path of the link mailed to a guest with a comment and a subscription."""
    settings.SITE_URL = "https://frameandgrain.test"
    factories.create_comment(article=article, email=GUEST, name="Wren", body="Lovely grain.")
    factories.create_subscriber(email=GUEST)
    ask_for_link(Client())
    return link_from(mailoutbox[-1]).removeprefix(settings.SITE_URL)


def test_the_guests_link_shows_what_is_stored_and_changes_nothing_on_get(guest_page):
    path = guest_page

    response = Client().get(path)

    assert response.status_code == 200
    assert GUEST in response.text
    assert "Erase my data" in response.text and "Download my data" in response.text
    assert Comment.objects.filter(email=GUEST).exists()


def test_the_guests_link_downloads_their_data(guest_page):
    path = guest_page

    response = Client().post(path, {"action": "download"})

    data = json.loads(response.content)
    assert data["comments"][0]["text"] == "Lovely grain."
    assert data["newsletter"][0]["email"] == GUEST
    assert PrivacyRequest.objects.filter(action="export", via="link").exists()


def test_the_guests_link_erases_their_data_and_then_stops_working(guest_page):
    path = guest_page

    response = Client().post(path, {"action": "erase", "comments": "remove", "confirm": "on"})

    assert response.status_code == 302 and response.url.startswith(reverse("privacy:done"))
    assert not Comment.objects.filter(email=GUEST).exists()
    assert not Subscriber.objects.filter(email=GUEST).exists()
    assert not GuestLink.objects.exists()
    assert Client().get(path).status_code == 404


def test_a_tampered_link_opens_nothing(guest_page):
    path = guest_page
    token = path.rstrip("/").rsplit("/", 1)[1]
    other = signing.dumps({"l": GuestLink.objects.get().pk + 1}, salt="another purpose")

    for bad in (token[:-2] + "xx", other):
        response = Client().get(reverse("privacy:guest", args=[bad]))
        assert response.status_code == 404
        assert GUEST not in response.text


def test_an_expired_link_opens_nothing(guest_page, monkeypatch):
    path = guest_page
    later = time.time() + 25 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = Client().post(path, {"action": "download"})

    assert response.status_code == 400
    assert "This link has expired" in response.text
    assert GUEST not in response.text


# The privacy notice ---------------------------------------------------------------------


def test_the_privacy_page_says_how_long_things_are_kept_from_the_settings(settings):
    settings.IP_RETENTION_DAYS = 45

    response = Client().get("/privacy/")

    assert response.status_code == 200
    assert "What we store and for how long" in response.text
    assert "45 days, then cleared" in response.text
    assert reverse("privacy:request-link") in response.text
    assert "The emails we send you" not in response.text  # the tests' queue keeps no copy


def test_the_privacy_page_says_how_long_the_mail_queue_keeps_mail(settings):
    settings.IP_RETENTION_DAYS = 45
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    response = Client().get("/privacy/")

    assert "reply notices to others that quote your comments" in response.text
    assert "Until sent, then 45 days" in response.text


def test_no_other_standing_page_gets_the_generated_part():
    assert "What we store and for how long" not in Client().get("/about/").text


def test_a_staff_member_cannot_delete_their_account_while_staff():
    staff = factories.create_staff(email="desk@example.com", groups=("Moderators",))

    response = signed_in(staff).post(
        reverse("privacy:delete"), {"comments": "remove", "confirm": "on"}
    )

    assert response.status_code == 400
    assert "This is a staff account" in response.text
    assert type(staff).objects.filter(pk=staff.pk).exists()


@pytest.mark.parametrize("record", ["moderation", "admin"])
def test_a_former_staff_member_whose_decisions_are_on_record_cannot_delete_their_account(
    member, article, record
):
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from forum.comments.models import AuditEntry

    comment = factories.create_comment(article=article)
    if record == "moderation":
        AuditEntry.objects.create(comment=comment, actor=member, new_status="removed")
    else:
        LogEntry.objects.create(
            user=member,
            content_type=ContentType.objects.get_for_model(article),
            object_id=str(article.pk),
            object_repr=article.title,
            action_flag=ADDITION,
        )

    client = signed_in(member)
    page = client.get(reverse("privacy:your-data"))
    response = client.post(reverse("privacy:delete"), {"comments": "remove", "confirm": "on"})

    assert "made moderation or editing decisions" in page.text
    assert reverse("privacy:delete") not in page.text
    assert response.status_code == 400
    assert "made moderation or editing decisions" in response.text
    assert type(member).objects.filter(pk=member.pk).exists()
    assert (
        AuditEntry.objects.filter(actor=member).count()
        + LogEntry.objects.filter(user=member).count()
        == 1
    )
