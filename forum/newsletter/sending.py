"""Sending an issue: freezing its audience, then mailing it in batches, exactly once each.

`send_now` (or a scheduled time coming) freezes the audience: one `Delivery` per confirmed,
active subscriber, made in one INSERT ... SELECT. Readers who confirm after that wait for the
next issue, so the count the editor saw when sending is the count that goes out. The
`send_issue` task then works through the queued deliveries in id order, in batches of
`NEWSLETTER_BATCH_SIZE` over one SMTP connection each, recording every result in the ledger.

Pausing, resuming and cancelling only change the issue's status; a running sender reads it
at every batch and at least once a second, and stops.

Exactly once, even when the sender is killed: only one sender works on an issue at a time
(`sender_lock`, which dies with its holder), and over SMTP each delivery is marked SENT after
the message's body is on the wire but before the final "." that completes it (see
`SmtpChannel`). A sender killed before the mark leaves the row queued and the server discards
the unfinished message (RFC 5321), so the next run sends it; a sender killed after the final
"." leaves the row SENT and the message delivered. What remains is the moment between the
database taking the commit and the one write of ".": a kill there leaves the row SENT and the
message discarded, so that reader misses the issue (never gets it twice). On SQLite that is
the few microseconds from the commit's return to the write (6 µs median, measured). On
PostgreSQL the sender does not wait for the commit's answer: it writes the UPDATE, then the
".", and only then reads the answer. PostgreSQL runs a statement it has read from its socket
even if the client dies just after, so the window is the gap between two writes in this
process, as on SQLite: 5 µs median, 30 µs at the 99th percentile (measured on a busy
two-core machine). The UPDATE waits in the kernel until the "." is written (`_held`), so
that it does not wake PostgreSQL's backend, which could take the sender's CPU in between.
Waiting for the answer first, the window was a round trip and a wake-up, about 0.8 ms: the
random kills of tests/newsletter/test_sending.py landed in it 2 times in 20 (3 in 38 once
the answer was read after the ".", the UPDATE not held); none in 64 since.
With other backends (files, locmem, console) a message is sent and then marked: a kill
between the two sends it again on the next run.
"""

import email.policy
import fcntl
import logging
import os
import re
import select
import socket
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min, Q
from django.tasks import default_task_backend, task
from django.utils import timezone
from psycopg import pq

from . import services
from .models import Delivery, Issue, Subscriber, Subscription, normalise_email
from .rendering import personal_message, render_issue, wire_issue, wire_message

logger = logging.getLogger(__name__)

QUEUED = Delivery.Status.QUEUED
SENT = Delivery.Status.SENT
FAILED = Delivery.Status.FAILED
STARTABLE = {Issue.Status.DRAFT, Issue.Status.SCHEDULED, Issue.Status.PAUSED}
# The sender reads the issue's status again after this long, to notice a pause or cancel.
STATUS_EVERY = 1.0
# progress() measures the sending rate over the last this long.
RATE_WINDOW = timedelta(seconds=30)
# On PostgreSQL the sender's commits do not wait for the disk (its session only): a killed
# sender loses nothing it committed; only a crash of PostgreSQL itself could lose the last
# fraction of a second of marks, and the next run would send those messages again.
QUICK_COMMITS = True
# Seconds to wait for the mail server when the mailer sets no timeout: a server that hangs
# ends the run (what was not sent stays queued, for `send_newsletter --due` to carry on)
# instead of holding the sender for ever.
SMTP_TIMEOUT = 60


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


def _not_allowed(issue: Issue) -> NotAllowed:
    return NotAllowed(f"This issue is {issue.get_status_display().lower()}.")


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


def start(issue: Issue) -> None:
    """Make a draft, scheduled or paused issue SENDING, without queueing a sender (the
    `send_newsletter` command sends it itself). Raises NotAllowed otherwise."""
    with transaction.atomic():
        _locked(issue)
        if issue.status not in STARTABLE:
            raise _not_allowed(issue)
        _start(issue)


def send_now(issue: Issue, *, by=None) -> None:
    """Start sending a draft, scheduled or paused issue. Raises NotAllowed otherwise."""
    with transaction.atomic():
        start(issue)
        _enqueue(issue.pk)
    logger.info("Issue %s sending, started by %s", issue.pk, by)


def schedule(issue: Issue, *, send_at, by=None) -> None:
    """Send a draft or scheduled issue at `send_at`. With a task backend that can defer, a
    task waits for that time; otherwise `send_newsletter --due` (cron) finds it."""
    with transaction.atomic():
        _locked(issue)
        if issue.status not in {Issue.Status.DRAFT, Issue.Status.SCHEDULED}:
            raise _not_allowed(issue)
        issue.status, issue.send_at = Issue.Status.SCHEDULED, send_at
        Issue.objects.filter(pk=issue.pk).update(
            status=issue.status, send_at=send_at, updated_at=timezone.now()
        )
        if default_task_backend.supports_defer:
            # A task left by an earlier schedule finds the time not come and does nothing.
            _enqueue(issue.pk, run_after=send_at)
    logger.info("Issue %s scheduled for %s by %s", issue.pk, send_at, by)


def _move(issue: Issue, *, allowed: set, to: str) -> None:
    _locked(issue)
    if issue.status not in allowed:
        raise _not_allowed(issue)
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
    """Where sending stands, in one query (the issue's status is read with the counts)."""
    now = timezone.now()
    recent = Q(deliveries__sent_at__gte=now - RATE_WINDOW)
    statuses = [QUEUED, SENT, FAILED, Delivery.Status.BOUNCED, Delivery.Status.CANCELLED]
    row = (
        Issue.objects.filter(pk=issue.pk)
        .values("status")
        .annotate(
            total=Count("deliveries"),
            recent=Count("deliveries", filter=recent),
            recent_from=Min("deliveries__sent_at", filter=recent),
            **{
                status.value: Count("deliveries", filter=Q(deliveries__status=status))
                for status in statuses
            },
        )
        .get()
    )
    per_second = 0.0
    if row["recent"] > 1:
        span = (now - row["recent_from"]).total_seconds()
        per_second = row["recent"] / max(span, 1.0)
    sending = row["status"] == Issue.Status.SENDING
    queued = row[QUEUED]
    return Progress(
        total=row["total"],
        queued=queued,
        sent=row[SENT],
        failed=row[FAILED],
        bounced=row[Delivery.Status.BOUNCED],
        cancelled=row[Delivery.Status.CANCELLED],
        per_second=round(per_second, 1),
        seconds_left=queued / per_second if sending and per_second else None,
        done=queued == 0 and row["status"] in {Issue.Status.SENT, Issue.Status.CANCELLED},
    )


@contextmanager
def sender_lock(issue_id: int):
    """Yields whether this process may send the issue: only one sender per issue at a time.
    The lock is released when its holder ends, however it ends. PostgreSQL: an advisory lock
    held by this session (it goes with the connection). SQLite, one machine: `flock` on a
    file under VAR_DIR (it goes with the process)."""
    key = f"newsletter-send:{issue_id}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [key])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [key])
        return
    path = settings.VAR_DIR / "locks" / f"{key.replace(':', '-')}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


@contextmanager
def _quick_commits():
    """See QUICK_COMMITS."""
    if connection.vendor != "postgresql" or not QUICK_COMMITS:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


_MARK_SENT = (
    "UPDATE newsletter_delivery SET status = {}, sent_at = {} WHERE id = {} AND status = {}"
)


def _mark_sent(delivery: Delivery, *, then=None) -> bool:
    """Commit the delivery as SENT if it is still queued (a cancel may have come between),
    and call `then()` (the final ".") once the database has it. Returns whether it was still
    queued. Once per message, so one plain statement rather than a queryset built each time.

    On PostgreSQL `then()` runs after the UPDATE is sent and before its answer is read (see
    the module's docstring), so it has run whatever the answer; elsewhere only if marked."""
    delivery.sent_at = timezone.now()
    if then is not None and connection.vendor == "postgresql":
        return _mark_sent_unanswered(delivery, then)
    with connection.cursor() as cursor:
        cursor.execute(
            _MARK_SENT.format("%s", "%s", "%s", "%s"),
            [SENT, connection.ops.adapt_datetimefield_value(delivery.sent_at), delivery.pk, QUEUED],
        )
        marked = cursor.rowcount == 1
    if marked and then is not None:
        then()
    return marked


_MARK_SENT_PG = _MARK_SENT.format("$1", "$2", "$3", "$4").encode()


@contextmanager
def _held(fd: int):
    """What is written to the TCP socket `fd` stays in the kernel until the block ends
    (TCP_CORK), so that writing the mark does not wake PostgreSQL's backend, which on a busy
    machine can take the sender's CPU before it writes the ".". A sender killed meanwhile
    still sends it: closing a socket sends what it holds. A Unix socket cannot hold."""
    held = socket.socket(fileno=os.dup(fd))
    try:
        with suppress(OSError):
            held.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
        yield
    finally:
        with suppress(OSError):
            held.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 0)
        held.close()


def _mark_sent_unanswered(delivery: Delivery, then) -> bool:
    """PostgreSQL: send the UPDATE through libpq, call `then()`, then read the answer. Every
    result is read before returning or raising, so Django finds the connection idle."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    params = [SENT, delivery.sent_at.isoformat(), str(delivery.pk), QUEUED]
    try:
        with _held(pgconn.socket):
            pgconn.send_query_params(_MARK_SENT_PG, [param.encode() for param in params])
            while pgconn.flush():  # psycopg's connections are non-blocking: 1 while some wait
                select.select([], [pgconn.socket], [])
            then()
    finally:
        results = []
        while (result := pgconn.get_result()) is not None:
            results.append(result)
    for result in results:
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise DatabaseError(result.error_message.decode("utf-8", "replace").strip())
    return [result.command_tuples for result in results] == [1]


def _mark_failed(delivery: Delivery, error: str) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=FAILED, error=error[:2000], sent_at=None)


class Stop(Exception):
    """The issue stopped being sent between two messages (paused or cancelled). `results`:
    those settled meanwhile, still to be recorded (as `SmtpChannel.send` returns them)."""

    def __init__(self, results=()):
        super().__init__()
        self.results = list(results)


@dataclass(frozen=True)
class Refusal:
    """The mail server refused the message: `code` and its reply."""

    code: int
    reply: str
    at_recipient: bool

    def __str__(self):
        return f"{self.code} {self.reply}" if self.code else self.reply


def _reply(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


# An address that needs no parsing to be used in MAIL FROM or RCPT TO as it is.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


class SmtpChannel:
    """Speaks to the open SMTP connection itself, so that the ledger's mark falls inside the
    message: MAIL FROM, RCPT TO, DATA, the dot-stuffed message without its final ".", then the
    delivery is committed as SENT, then ".", then the reply (a refusal turns the row FAILED).
    A message cut off before its final "." is discarded by the server (RFC 5321 4.1.1.4).
    On SQLite the "." follows the commit's return; on PostgreSQL it is written between sending
    the UPDATE and reading its answer (`_mark_sent`), so a kill between the database taking
    the mark and the "." has microseconds to land in on both, not a round trip.

    When the server offers PIPELINING (RFC 2920; Postfix, Exim and the big senders do), the
    three commands go out together: two round trips a message instead of four."""

    def __init__(self, mailer: SmtpBackend, composer: "Composer"):
        self.mailer = mailer
        self.composer = composer
        self.smtp = mailer.connection
        if mailer.timeout is None:
            self.smtp.sock.settimeout(SMTP_TIMEOUT)
        # The final "." goes out alone after the commit: without this, Nagle's algorithm
        # holds it until the server acknowledges the body, which it delays (40 ms a message).
        self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.smtp.ehlo_or_helo_if_needed()
        self.pipelining = self.smtp.has_extn("pipelining")
        self.addresses = {}
        self.waiting = None
        self.ended = True  # the last message's final "." is written

    def address(self, address: str) -> str:
        if _PLAIN_ADDRESS.fullmatch(address):
            return address
        if address not in self.addresses:
            self.addresses[address] = self.mailer.prep_address(address)
        return self.addresses[address]

    def envelope(self, sender: str, recipient: str):
        """MAIL FROM, RCPT TO and DATA: the results settled meanwhile (see `send`), and a
        refusal, or None once the server waits for the message. Pipelined, the commands go
        out before the last message's answer is read: one round trip a message."""
        smtp = self.smtp
        if self.pipelining:
            smtp.send(f"MAIL FROM:<{sender}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n".encode())
            settled = self.flush()
            mail, rcpt, data = smtp.getreply(), smtp.getreply(), smtp.getreply()
        else:
            settled = self.flush()
            mail = smtp.mail(sender)
            rcpt = smtp.rcpt(recipient) if mail[0] == 250 else None
            data = smtp.docmd("DATA") if rcpt and rcpt[0] in (250, 251) else None
        if data and data[0] == 354 and mail[0] == 250 and rcpt[0] in (250, 251):
            return settled, None
        if data and data[0] == 354:  # a server that took DATA after refusing: end it empty
            smtp.send(b".\r\n")
            smtp.getreply()
        smtp.rset()
        if mail[0] != 250:
            return settled, Refusal(mail[0], _reply(mail[1]), at_recipient=False)
        if rcpt[0] not in (250, 251):
            return settled, Refusal(rcpt[0], _reply(rcpt[1]), at_recipient=True)
        return settled, Refusal(data[0], _reply(data[1]), at_recipient=False)

    def send(self, delivery: Delivery) -> list[tuple[Delivery, Refusal | None]]:
        """Hand the message over; returns the results settled meanwhile. The server's answer
        to a message's final "." is read only when the next one is ready (or at `flush`), so
        the server reads one message while this process writes the next."""
        try:
            recipient = self.address(delivery.subscriber.email)
        except ValueError as error:  # e.g. a local part beyond ASCII: SMTP cannot carry it
            return [*self.flush(), (delivery, Refusal(0, f"Not sent: {error}", False))]
        data = self.composer.wire(delivery.subscriber).replace(b"\r\n.", b"\r\n..")
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        settled, refusal = self.envelope(self.address(settings.NEWSLETTER_FROM_EMAIL), recipient)
        if refusal is not None:
            return [*settled, (delivery, refusal)]
        self.ended = False
        try:
            self.smtp.send(data)
            marked = _mark_sent(delivery, then=self.end)
            if not marked and not self.ended:
                raise Stop(settled)
        except BaseException:
            if not self.ended:
                # Mid-message: drop the connection (no QUIT, which would read as more of the
                # message), so the server discards what it has.
                self.abandon()
            raise
        self.waiting = delivery
        if not marked:
            # PostgreSQL, cancelled between: the message went out all the same, say so.
            Delivery.objects.filter(pk=delivery.pk).update(status=SENT, sent_at=delivery.sent_at)
            raise Stop([*settled, *self.flush()])
        return settled

    def end(self) -> None:
        self.smtp.send(b".\r\n")
        self.ended = True

    def flush(self) -> list[tuple[Delivery, Refusal | None]]:
        """The answer to the last message handed over, if not read yet."""
        if self.waiting is None:
            return []
        delivery, self.waiting = self.waiting, None
        code, reply = self.smtp.getreply()
        return [(delivery, None if code == 250 else Refusal(code, _reply(reply), False))]

    def abandon(self) -> None:
        self.smtp.close()
        self.mailer.connection = None


class PlainChannel:
    """Any other backend (files, locmem, console while developing): send, then mark. A sender
    killed between the two sends that message again on the next run."""

    def __init__(self, mailer, composer: "Composer"):
        self.mailer = mailer
        self.composer = composer

    def send(self, delivery: Delivery) -> list[tuple[Delivery, Refusal | None]]:
        self.mailer.send_messages([self.composer.message(delivery.subscriber)])
        if not _mark_sent(delivery):
            raise Stop
        return [(delivery, None)]

    def flush(self) -> list:
        return []


class Composer:
    """The issue rendered once per run, and each reader's message made from it: as a message
    object for any mail backend (`personal_message`), or as the bytes SMTP carries, written
    directly (`wire_message`: the email package takes about 5 ms a message, more than all
    the rest of a delivery) but for the odd address it leaves to the email package."""

    def __init__(self, issue: Issue):
        self.issue = issue
        self.rendered = render_issue(issue)
        self.wire_issue = wire_issue(self.rendered, issue=issue)

    def message(self, subscriber: Subscriber):
        return personal_message(self.rendered, issue=self.issue, subscriber=subscriber)

    def wire(self, subscriber: Subscriber) -> bytes:
        data = wire_message(self.wire_issue, issue=self.issue, subscriber=subscriber)
        if data is None:
            data = self.message(subscriber).message(policy=email.policy.SMTP).as_bytes()
        return data


class StatusWatch:
    """The issue's status, read again when asked at least `STATUS_EVERY` seconds later."""

    def __init__(self, issue_id: int):
        self.issue_id = issue_id
        self.read_at = float("-inf")

    def sending(self, *, now: bool = False) -> bool:
        if now or time.monotonic() - self.read_at >= STATUS_EVERY:
            self.read_at = time.monotonic()
            status = Issue.objects.filter(pk=self.issue_id).values_list("status", flat=True)
            self.status = status.first()
        return self.status == Issue.Status.SENDING


class Pace:
    """At most `rate` messages a second (no limit if 0)."""

    def __init__(self, rate: int):
        self.interval = 1 / rate if rate > 0 else 0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


@dataclass
class Run:
    """What one sender did: `busy` if another sender held the issue."""

    busy: bool = False
    sent: int = 0
    failed: int = 0
    finished: bool = False


def _begin(issue_id: int) -> Issue | None:
    """The issue if it is to be sent now (a scheduled issue whose time has come starts)."""
    with transaction.atomic():
        issue = (
            Issue.objects.select_for_update(of=("self",))
            .select_related("newsletter")
            .filter(pk=issue_id)
            .first()
        )
        if issue is None:
            return None
        due = issue.send_at is not None and issue.send_at <= timezone.now()
        if issue.status == Issue.Status.SCHEDULED and due:
            _start(issue)
    return issue if issue.status == Issue.Status.SENDING else None


def deliver(issue_id: int, *, on_result=None) -> Run:
    """Send what is queued of the issue, if no other sender is at it. `on_result(status)` is
    called after each message with the delivery's new status."""
    with sender_lock(issue_id) as held:
        if not held:
            logger.info("Issue %s: another sender holds it", issue_id)
            return Run(busy=True)
        issue = _begin(issue_id)
        run = Run()
        if issue is None:
            return run
        with _quick_commits(), suppress(Stop):
            _send_queued(issue, run, on_result or (lambda status: None))
        run.finished = _finish(issue)
        return run


def _still_subscribed(issue: Issue, batch: list[Delivery]) -> list[Delivery]:
    """The batch's deliveries whose reader is still on the list. Those who left since the
    audience was frozen (unsubscribed, bounced, complained: a long or paused send can last
    days) are cancelled, in one query per batch."""
    staying = set(
        Subscription.objects.filter(
            newsletter_id=issue.newsletter_id,
            status=Subscription.Status.CONFIRMED,
            subscriber__status=Subscriber.Status.ACTIVE,
            subscriber_id__in=[delivery.subscriber_id for delivery in batch],
        ).values_list("subscriber_id", flat=True)
    )
    departed = [delivery.pk for delivery in batch if delivery.subscriber_id not in staying]
    if departed:
        Delivery.objects.filter(pk__in=departed, status=QUEUED).update(
            status=Delivery.Status.CANCELLED, error="Left the list while the issue was being sent."
        )
    return [delivery for delivery in batch if delivery.subscriber_id in staying]


def _send_queued(issue: Issue, run: Run, on_result) -> None:
    composer = Composer(issue)
    size = max(1, settings.NEWSLETTER_BATCH_SIZE)
    pace = Pace(settings.NEWSLETTER_RATE)
    watch = StatusWatch(issue.pk)

    def settle(results) -> None:
        for delivery, refusal in results:
            if refusal is None:
                # Soft bounces are not cleared here: the server that said yes is usually a
                # relay, and the reader's own server may still bounce it (the webhook's
                # "delivered" event clears them).
                run.sent += 1
                on_result(SENT)
            else:
                run.failed += 1
                _refused(delivery, refusal)
                on_result(FAILED)

    after = 0
    while watch.sending(now=True):
        queued = issue.deliveries.filter(status=QUEUED, pk__gt=after).order_by("pk")
        batch = list(queued.select_related("subscriber")[:size])
        if not batch:
            return
        after = batch[-1].pk
        batch = _still_subscribed(issue, batch)
        if not batch:
            continue
        with mailers["default"] as mailer:
            kind = SmtpChannel if isinstance(mailer, SmtpBackend) else PlainChannel
            channel = kind(mailer, composer)
            for delivery in batch:
                if not watch.sending():
                    settle(channel.flush())
                    raise Stop
                pace.wait()
                try:
                    settle(channel.send(delivery))
                except Stop as stop:
                    settle(stop.results)
                    raise
            settle(channel.flush())


def _refused(delivery: Delivery, refusal: Refusal) -> None:
    """Record a refusal. The recipient refused for good (5xx) is a hard bounce, for now (4xx)
    a soft one; a refusal of the message itself says nothing about the address."""
    _mark_failed(delivery, str(refusal))
    if refusal.at_recipient:
        kind = services.Bounce.HARD if refusal.code >= 500 else services.Bounce.SOFT
        services.record_bounce(
            email=delivery.subscriber.email, kind=kind, detail=f"refused at sending: {refusal}"
        )


def _finish(issue: Issue) -> bool:
    """A sending issue with nothing left queued is SENT."""
    with transaction.atomic():
        if issue.deliveries.filter(status=QUEUED).exists():
            return False
        now = timezone.now()
        finished = Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=now, updated_at=now
        )
    return finished == 1


def due_issues():
    """Scheduled issues whose time has come, and sending ones whose sender died (a live
    sender holds its lock, and `deliver` leaves those alone)."""
    due = Q(status=Issue.Status.SCHEDULED, send_at__lte=timezone.now())
    return Issue.objects.filter(due | Q(status=Issue.Status.SENDING)).order_by("send_at", "pk")


@task
def send_issue(issue_id: int) -> int:
    """Send what is queued of the issue. Returns how many messages went out."""
    return deliver(issue_id).sent


@task
def send_due_issues() -> int:
    """Send every due issue (see `due_issues`). Returns how many messages went out."""
    return sum(deliver(pk).sent for pk in due_issues().values_list("pk", flat=True))


def send_test(issue: Issue, *, to: str) -> None:
    """Send the issue, marked [Test], to one address (from a task)."""
    transaction.on_commit(lambda: send_test_issue.enqueue(issue.pk, to))


@task
def send_test_issue(issue_id: int, to: str) -> None:
    """The issue to one address, marked [Test], with that subscriber's links if the address
    is one; otherwise to an unsaved stand-in, whose links name nobody (see
    `personal_message`): no ledger row, no subscription made."""
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    subscriber = Subscriber.objects.with_email(to).first() or Subscriber(email=normalise_email(to))
    message = personal_message(render_issue(issue), issue=issue, subscriber=subscriber, test=True)
    with mailers["default"] as mailer:
        mailer.send_messages([message])
