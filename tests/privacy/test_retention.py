"""Stored network addresses are cleared after the retention period; recent ones stay."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.utils import timezone

from forum.comments.models import Ban, Comment, Report
from forum.donations.models import Donation, LinkRequest
from forum.newsletter.models import SignupAttempt, SubscriptionChange
from forum.privacy.models import LINK_LIFETIME, GuestLink
from forum.privacy.retention import forget_old_ip_addresses, forget_old_ip_addresses_task
from tests import factories

pytestmark = pytest.mark.django_db

OLD = timezone.now() - timedelta(days=91)
RECENT = timezone.now() - timedelta(days=89)


@pytest.fixture
def addresses(article):
    """One row of each kind that stores an address, an old one and a recent one."""
    rows = {}
    for age, when in (("old", OLD), ("recent", RECENT)):
        comment = factories.create_comment(article=article, ip="203.0.113.0", created=when)
        report = factories.create_report(
            comment=comment, ip="198.51.100.0", created=when, user=factories.create_user()
        )
        subscriber = factories.create_subscriber()
        change = SubscriptionChange.objects.filter(subscription__subscriber=subscriber).get()
        SubscriptionChange.objects.filter(pk=change.pk).update(network="192.0.2.0", at=when)
        attempt = SignupAttempt.objects.create(email="a@example.org", network="192.0.2.0", at=when)
        gift = factories.create_donation(network="192.0.2.0", created_at=when)
        link = LinkRequest.objects.create(email="b@example.org", network="192.0.2.0", at=when)
        rows[age] = [comment, report, change, attempt, gift, link]
    return rows


def address_of(row):
    row.refresh_from_db()
    return getattr(row, "ip", None) or getattr(row, "network", None)


def test_addresses_older_than_the_retention_period_are_cleared_and_recent_ones_kept(addresses):
    forget_old_ip_addresses(batch_size=2)  # small batches: the loop goes round

    assert [address_of(row) for row in addresses["old"]] == [None] * 6
    assert all(address_of(row) for row in addresses["recent"])
    # The rows themselves stay: the comment, the consent record, the gift.
    assert Comment.objects.count() == 2 and Donation.objects.count() == 2


def test_the_period_is_a_setting(addresses, settings):
    settings.IP_RETENTION_DAYS = 30

    forget_old_ip_addresses()

    assert not Comment.objects.exclude(ip=None).exists()
    assert not Report.objects.exclude(ip=None).exists()


def test_a_ban_by_network_range_is_a_moderators_decision_and_stays(addresses):
    ban = factories.create_ban(ip_range="203.0.113.0/24")
    Ban.objects.filter(pk=ban.pk).update(created=OLD)

    forget_old_ip_addresses()

    assert Ban.objects.get(pk=ban.pk).ip_range == "203.0.113.0/24"


def test_sessions_idle_past_the_period_end_and_expired_privacy_links_go(member_with_sessions):
    idle, active = member_with_sessions
    GuestLink.objects.create(  # expired a minute ago
        email="c@example.org", at=timezone.now() - LINK_LIFETIME - timedelta(minutes=1)
    )
    nearly_expired = GuestLink.objects.create(
        email="c@example.org", at=timezone.now() - LINK_LIFETIME + timedelta(minutes=5)
    )

    cleared = forget_old_ip_addresses()

    assert list(UserSession.objects.values_list("pk", flat=True)) == [active.pk]
    # Ended, not only forgotten: the idle session no longer signs anyone in.
    assert not SessionStore().exists(idle.session_key)
    assert SessionStore().exists(active.session_key)
    assert list(GuestLink.objects.values_list("pk", flat=True)) == [nearly_expired.pk]
    assert (cleared["sessions"], cleared["privacy links"]) == (1, 1)


@pytest.fixture
def member_with_sessions(db):
    member = factories.create_user()
    sessions = []
    for key, seen in (("idle", OLD), ("active", timezone.now())):
        store = SessionStore()
        store["_auth_user_id"] = str(member.pk)
        store.create()
        sessions.append(
            UserSession.objects.create(
                user=member,
                ip="192.0.2.1",
                session_key=store.session_key,
                user_agent=key,
                last_seen_at=seen,
            )
        )
    return sessions


def test_the_command_and_the_task_do_it(addresses):
    out = StringIO()
    call_command("forget_old_ip_addresses", stdout=out)

    assert "older than 90 days cleared" in out.getvalue()
    assert "comments.Comment 1" in out.getvalue()
    assert forget_old_ip_addresses_task.call()["comments.Comment"] == 0


def test_finished_task_rows_older_than_the_period_go_with_the_mail_they_hold(db):
    from django_tasks_db.models import DBTaskResult

    def task_row(status, finished_at):
        return DBTaskResult.objects.create(
            task_path="forum.core.mail.send_email_message",
            args_kwargs={"args": [], "kwargs": {"to": ["a@example.org"], "text": "Hello"}},
            backend_name="default",
            run_after=OLD,
            status=status,
            finished_at=finished_at,
        )

    sent_long_ago = task_row("SUCCESSFUL", OLD)
    failed_long_ago = task_row("FAILED", OLD)
    sent_lately = task_row("SUCCESSFUL", RECENT)
    still_waiting = task_row("READY", None)
    running = task_row("RUNNING", None)

    cleared = forget_old_ip_addresses(batch_size=1)

    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {sent_lately.pk, still_waiting.pk, running.pk}
    assert sent_long_ago.pk not in left and failed_long_ago.pk not in left
    assert cleared["finished tasks"] == 2
