"""Staff export and erase for an email address in the admin; the log keeps no address."""

import json

import pytest
from django.urls import reverse

from forum.comments.models import Comment
from forum.privacy.models import PrivacyRequest
from tests import factories
from tests.privacy.traces import rows_naming

pytestmark = pytest.mark.django_db

HANDLE = reverse("admin:privacy_privacyrequest_handle")
LOG = reverse("admin:privacy_privacyrequest_changelist")
EMAIL = "sorrel@example.org"


@pytest.fixture
def superuser_client(client):
    client.force_login(
        factories.create_user(email="root@example.com", is_staff=True, is_superuser=True)
    )
    return client


@pytest.mark.parametrize("role", factories.ROLES)
def test_only_staff_with_the_permission_reach_the_privacy_requests(role):
    client = factories.client_as(role)

    handle = client.get(HANDLE)
    log = client.get(LOG)

    if role in ("anonymous", "member"):
        assert handle.status_code == 302 and log.status_code == 302
    elif role == "superuser":
        assert handle.status_code == 200 and log.status_code == 200
        assert HANDLE in log.text
    else:  # moderators and editors: staff, without the permission
        assert handle.status_code == 403 and log.status_code == 403


def test_staff_given_the_permission_reach_it(client):
    from django.contrib.auth.models import Permission

    staff = factories.create_staff(email="clerk@example.com")
    staff.user_permissions.add(
        Permission.objects.get(codename="handle_privacy_requests"),
        Permission.objects.get(codename="view_privacyrequest"),
    )
    client.force_login(staff)

    assert client.get(HANDLE).status_code == 200
    assert HANDLE in client.get(LOG).text


def test_staff_find_what_is_stored_under_an_address(superuser_client, article):
    factories.create_comment(article=article, email=EMAIL, name="Sorrel")
    factories.create_subscriber(email=EMAIL)

    response = superuser_client.post(HANDLE, {"action": "find", "email": EMAIL})

    assert response.status_code == 200
    assert "Stored under" in response.text and EMAIL in response.text
    assert "Erase everything stored under this address" in response.text


def test_staff_export_for_an_address_and_it_is_logged_by_hash(superuser_client, article):
    factories.create_comment(article=article, email=EMAIL, body="The tonal range!")

    response = superuser_client.post(HANDLE, {"action": "export", "email": EMAIL})

    assert json.loads(response.content)["comments"][0]["text"] == "The tonal range!"
    entry = PrivacyRequest.objects.get()
    assert (entry.action, entry.via, entry.by.email) == ("export", "staff", "root@example.com")


def test_staff_erase_for_an_address_with_the_account_after_confirming(superuser_client, article):
    member = factories.create_user(email=EMAIL, display_name="Sorrel Hythe")
    comment = factories.create_comment(article=article, user=member, body="Dodge and burn.")
    form = {"action": "erase", "email": EMAIL, "comments": "anonymise"}

    unconfirmed = superuser_client.post(HANDLE, form)
    assert unconfirmed.status_code == 400
    assert type(member).objects.filter(pk=member.pk).exists()

    response = superuser_client.post(HANDLE, {**form, "confirm": "on"})

    assert response.status_code == 302 and response.url == LOG
    assert not type(member).objects.filter(pk=member.pk).exists()
    assert Comment.objects.get(pk=comment.pk).name == "Former member"
    assert rows_naming(EMAIL) == [] and rows_naming("Sorrel") == []
    entry = PrivacyRequest.objects.get(action="erasure")
    assert entry.by.email == "root@example.com" and entry.comments == "anonymise"
    # The log is searched by the address, though it keeps only its hash.
    assert "Erasure" in superuser_client.get(LOG, {"q": EMAIL}).text
    assert "0 privacy requests" in superuser_client.get(LOG, {"q": "other@example.org"}).text


def test_staff_cannot_erase_a_staff_account_from_here(superuser_client):
    staff = factories.create_staff(email=EMAIL)

    response = superuser_client.post(
        HANDLE, {"action": "erase", "email": EMAIL, "comments": "remove", "confirm": "on"}
    )

    assert "belongs to a staff account" in response.text
    assert type(staff).objects.filter(pk=staff.pk).exists()


def test_staff_cannot_erase_an_account_whose_decisions_are_on_record(superuser_client, article):
    from forum.comments.models import AuditEntry

    former_moderator = factories.create_user(email=EMAIL)
    comment = factories.create_comment(article=article)
    comment.set_status(Comment.Status.REMOVED, by=former_moderator, reason="off-topic")

    response = superuser_client.post(
        HANDLE, {"action": "erase", "email": EMAIL, "comments": "remove", "confirm": "on"}
    )

    assert "made moderation or editing decisions" in response.text
    assert "Erase everything stored under this address" not in response.text
    assert type(former_moderator).objects.filter(pk=former_moderator.pk).exists()
    assert AuditEntry.objects.get(comment=comment, new_status="removed").actor == former_moderator
