"""Sending an issue: freezing its audience, then mailing it in batches, exactly once each.

`send_now` (or a scheduled time coming) freezes the audience: one `Delivery` per confirmed,
active subscriber, made in one INSERT ... SELECT. Readers who confirm after that wait for the
next issue, so the count the editor saw when sending is the count that goes out. The
`send_issue` task then works through the queued deliveries in id order, in batches of
`NEWSLETTER_BATCH_SIZE` over one SMTP connection each, recording every result in the ledger.

Pausing, resuming and cancelling only change the issue's status; a running sender reads it
between messages (at least once a second) and stops.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q
from django.tasks import default_task_backend, task
from django.utils import timezone

from .models import Delivery, Issue, Subscriber, Subscription

QUEUED = Delivery.Status.QUEUED
STARTABLE = {Issue.Status.DRAFT, Issue.Status.SCHEDULED, Issue.Status.PAUSED}


class NotAllowed(Exception):
    """The issue is not in a state that allows this; the message is for the editor."""


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    sent: int
    failed: int
    bounced: int
    cancelled: int
    per_second: float
    seconds_left: float | None
    done: bool


def _locked(issue: Issue) -> Issue:
    """The issue's row, locked until the transaction ends, copied into `issue`."""
    fresh = Issue.objects.select_for_update().get(pk=issue.pk)
    issue.status, issue.send_at = fresh.status, fresh.send_at
    issue.started_at, issue.sent_at = fresh.started_at, fresh.sent_at
    return issue


def _enqueue(issue_id: int, *, run_after=None) -> None:
    sender = send_issue.using(run_after=run_after) if run_after else send_issue
    transaction.on_commit(lambda: sender.enqueue(issue_id))


def freeze_audience(issue: Issue) -> int:
    """One queued delivery per confirmed subscriber who can receive mail, in one statement.
    Running it twice adds nobody twice (unique per issue and subscriber). Returns how many
    deliveries were added."""
    sql = (
        "INSERT INTO newsletter_delivery (issue_id, subscriber_id, status, error, sent_at) "
        "SELECT %s, s.subscriber_id, %s, '', NULL FROM newsletter_subscription s "
        "JOIN newsletter_subscriber r ON r.id = s.subscriber_id "
        "WHERE s.newsletter_id = %s AND s.status = %s AND r.status = %s "
        "ORDER BY s.subscriber_id "
        "ON CONFLICT (issue_id, subscriber_id) DO NOTHING"
    )
    params = [
        issue.pk,
        QUEUED,
        issue.newsletter_id,
        Subscription.Status.CONFIRMED,
        Subscriber.Status.ACTIVE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _start(issue: Issue) -> None:
    """SENDING now; the audience is frozen the first time only (call on a locked issue)."""
    now = timezone.now()
    if issue.started_at is None:
        freeze_audience(issue)
        issue.started_at = now
    issue.status = Issue.Status.SENDING
    Issue.objects.filter(pk=issue.pk).update(
        status=issue.status, started_at=issue.started_at, updated_at=now
    )


def send_now(issue: Issue, *, by=None) -> None:
    """Start sending a draft, scheduled or paused issue. Raises NotAllowed otherwise."""
    with transaction.atomic():
        _locked(issue)
        if issue.status not in STARTABLE:
            raise NotAllowed(f"This issue is {issue.get_status_display().lower()}.")
        _start(issue)
        _enqueue(issue.pk)


def schedule(issue: Issue, *, send_at, by=None) -> None:
    """Send a draft or scheduled issue at `send_at`. With a task backend that can defer, a
    task waits for that time; otherwise `send_newsletter --due` (cron) finds it."""
    with transaction.atomic():
        _locked(issue)
        if issue.status not in {Issue.Status.DRAFT, Issue.Status.SCHEDULED}:
            raise NotAllowed(f"This issue is {issue.get_status_display().lower()}.")
        issue.status, issue.send_at = Issue.Status.SCHEDULED, send_at
        Issue.objects.filter(pk=issue.pk).update(
            status=issue.status, send_at=send_at, updated_at=timezone.now()
        )
        if default_task_backend.supports_defer:
            _enqueue(issue.pk, run_after=send_at)


def _move(issue: Issue, *, allowed: set, to: str) -> None:
    _locked(issue)
    if issue.status not in allowed:
        raise NotAllowed(f"This issue is {issue.get_status_display().lower()}.")
    issue.status = to
    Issue.objects.filter(pk=issue.pk).update(status=to, updated_at=timezone.now())


def pause(issue: Issue) -> None:
    """Stop a sending issue after the message in hand; `resume` carries on."""
    with transaction.atomic():
        _move(issue, allowed={Issue.Status.SENDING}, to=Issue.Status.PAUSED)


def resume(issue: Issue) -> None:
    """Carry on sending a paused issue, to the audience frozen when it started."""
    with transaction.atomic():
        _move(issue, allowed={Issue.Status.PAUSED}, to=Issue.Status.SENDING)
        _enqueue(issue.pk)


def cancel(issue: Issue) -> None:
    """Stop for good: what is still queued is marked cancelled; what went out stays sent."""
    allowed = {Issue.Status.SCHEDULED, Issue.Status.SENDING, Issue.Status.PAUSED}
    with transaction.atomic():
        _move(issue, allowed=allowed, to=Issue.Status.CANCELLED)
        issue.deliveries.filter(status=QUEUED).update(status=Delivery.Status.CANCELLED)


def progress(issue: Issue) -> Progress:
    """Where sending stands, in one query."""
    statuses = Delivery.Status
    counts = Delivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in statuses},
    )
    queued = counts[statuses.QUEUED]
    done = queued == 0 and issue.status in {Issue.Status.SENT, Issue.Status.CANCELLED}
    return Progress(
        total=counts["total"],
        queued=queued,
        sent=counts[statuses.SENT],
        failed=counts[statuses.FAILED],
        bounced=counts[statuses.BOUNCED],
        cancelled=counts[statuses.CANCELLED],
        per_second=0.0,
        seconds_left=None,
        done=done,
    )


def send_test(issue: Issue, *, to: str) -> None:
    """Send the issue, marked [Test], to one address."""
    transaction.on_commit(lambda: send_test_issue.enqueue(issue.pk, to))


@task
def send_test_issue(issue_id: int, to: str) -> None:
    raise NotImplementedError


@task
def send_issue(issue_id: int) -> int:
    """Send what is queued of the issue. Returns how many messages went out."""
    raise NotImplementedError


@task
def send_due_issues() -> int:
    """Start every scheduled issue whose time has come. Returns how many."""
    raise NotImplementedError
