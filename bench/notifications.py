"""Reader notifications: what a reply costs the reader who posts it when someone is to hear of
it, and the hourly digest for an article with 1,000 followers.

    .venv/bin/python bench/notifications.py                    # SQLite, var/bench-notifications
    .ci/postgres.sh .venv/bin/python bench/notifications.py    # PostgreSQL (DATABASE_URL)
    make bench-notifications                                    # both, one after the other

It migrates a fresh database (SQLite: var/bench-notifications/db.sqlite3, deleted first;
otherwise the database DATABASE_URL names), with the settings of `make serve` (DEBUG off) and
TASKS_BACKEND=database, as in production: work for the worker is a row in the task table.
Mail goes to an aiosmtpd sink in a process of its own on 127.0.0.1 (tests/newsletter/smtp.py,
bench.server.Sink) that only counts.

Replies, in-process through Django's test client as bench/run.py posts (a fresh form token,
cookies and /24 network for each post, the moderation rules at the site's defaults): a
discussion of 1,000 comments (`seed_thread`), and returning guests (an approved comment
before, elsewhere) whose replies are published at once, each to a comment of its own that
takes replies. Rows: the parent's writer wants notifications (a guest who ticked the box and
confirmed the address: the reply is news to them), or nobody is to be told (a guest who did
not ask). With the database backend the POST only queues `tell_readers` once it commits; a
third row runs the same posts with the immediate backend (the default of `make run` and `make
serve`), where the notice is rendered and sent over SMTP inside the request. Only the POST
is timed, BENCH_NOTIFY_POSTS (200) per row. Afterwards `manage.py db_worker --batch` runs the
queued tasks: one notice per wanted reply must reach the sink, none for the others.

Digest: an article with BENCH_NOTIFY_FOLLOWERS (1,000) followers, members with a verified
address and confirmed guests half and half, who followed before its BENCH_NOTIFY_COMMENTS (20)
new comments (`seed_thread`). `send_digests` runs in-process as the worker would run it: it
claims the followers, finds what is news to each, records the notices and queues one mail per
follower (rows in the task table); timed, with its SQL statements, BENCH_NOTIFY_DIGESTS (3)
times, each on an article of its own. Then one `db_worker --batch` process sends every queued
mail to the sink, one SMTP connection a mail, as the worker does: mails a second over the
worker's time (its start-up included). Checks, each a reason to exit 1: every digest mails
every follower, the sink takes one mail per follower per digest, and the worker leaves no
task failed.

On PostgreSQL the throw-away cluster of .ci/postgres.sh runs with fsync off; the benchmark
turns fsync and synchronous commits on first, as bench/donations.py does.

The table is printed and written to bench/results.md as the section "## Notifications on
<db>" (bench/run.py keeps it when it rewrites the file). Loopback only.
"""

import io
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import Sink, machine, percentile, save_section, serve_env  # noqa: E402

POSTS = int(os.environ.get("BENCH_NOTIFY_POSTS") or 200)
FOLLOWERS = int(os.environ.get("BENCH_NOTIFY_FOLLOWERS") or 1000)
NEW_COMMENTS = int(os.environ.get("BENCH_NOTIFY_COMMENTS") or 20)
DIGESTS = int(os.environ.get("BENCH_NOTIFY_DIGESTS") or 3)
THREAD = 1000
VAR_DIR = ROOT / "var" / "bench-notifications"
SIZE = 0  # bench/run.py's guests carry a discussion size in their names; these need none


def prepare_environment(sink_port: int) -> dict:
    env = serve_env(
        VAR_DIR,
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        TASKS_BACKEND="database",
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        CACHE_URL="locmem://",
    )
    if not env.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (VAR_DIR / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.update(env)
    return env


SINK = Sink().__enter__()
ENV = prepare_environment(SINK.port)

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F, Q  # noqa: E402
from django.tasks import task_backends  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from bench.database import database_label, production_durability  # noqa: E402
from bench.run import guest, network, post_data  # noqa: E402
from forum.articles.models import Article  # noqa: E402
from forum.comments.models import Comment  # noqa: E402
from forum.core.html import render_comment  # noqa: E402
from forum.notifications import services  # noqa: E402
from forum.notifications.models import Follow, Kind, Notice, Recipient  # noqa: E402
from forum.notifications.services import start_following  # noqa: E402
from forum.notifications.tasks import send_digests  # noqa: E402

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The posting rows: before notifications, a reply someone wants to hear of (queued), one
# nobody is to hear of (queued), and one someone wants to hear of sent inside the request.
KINDS = ("before", "wanted", "unwanted", "immediate")


def seed(comments: int, *, seed: int = 1):
    """A discussion of `comments` comments by `seed_thread` (one article per seed)."""
    out = io.StringIO()
    call_command("seed_thread", comments=comments, seed=seed, shape="early", stdout=out)
    slug = out.getvalue().strip().splitlines()[-1].rstrip("/").rsplit("/", 1)[-1]
    return Article.objects.get(slug=slug)


def seed_guests(kinds) -> None:
    """An approved comment, days old, for every returning guest who posts (as bench/run.py
    seeds them), on an article of its own."""
    article = seed(0)
    body = "An earlier comment, approved."
    Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                body=body,
                body_html=render_comment(body),
                status=Comment.Status.APPROVED,
                status_reasons=["bench: approved before"],
                created=timezone.now() - timedelta(days=3),
                **guest(kind, index, SIZE),
            )
            for kind in kinds
            for index in range(-1, POSTS + 1)
        ],
        batch_size=500,
    )
    Comment.objects.filter(article=article).update(thread_id=F("pk"))
    Comment.objects.refresh_article(article.pk)


def parents(article, count: int, *, start: int) -> list[Comment]:
    """`count` comments of the discussion that take replies (above the depth limit), from
    the `start`-th on: each reply of a row goes to a comment of its own."""
    return list(
        Comment.objects.filter(
            article=article, depth__lt=5, status=Comment.Status.APPROVED
        ).order_by("pk")[start : start + count]
    )


def want_replies(comments: list[Comment]) -> None:
    """Their writers ticked "Notify me of replies by email", then confirmed their address
    through the mailed button (`services.confirm`, which confirms what waited for it)."""
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(notify=True)
    for email in sorted({c.email for c in comments}):
        services.confirm(Recipient.for_guest(email))


def handled(kind: str):
    """How the reply of a row is handled: the notification switched off (posting as it was
    before this work), sent inside the request (the immediate backend), or queued."""
    if kind == "before":
        return mock.patch("forum.comments.services.comments_published", lambda *a, **k: None)
    if kind == "immediate":
        return override_settings(TASKS=IMMEDIATE)
    return nullcontext()


def measure_replies(article, targets: dict[str, list[Comment]]) -> dict:
    """POST a reply to each target as a returning guest of its own, the rows taking turns
    (so a busy moment of the machine weighs on each alike); only the POST is timed."""
    url = f"/comments/post/{article.pk}/"
    client = Client()

    def post(kind: str, index: int, parent: Comment) -> tuple[float, float]:
        """(wall ms, CPU ms of this process) of one POST."""
        client.cookies.clear()
        data, address = post_data(article, kind, index, SIZE, parent.pk), network()
        with handled(kind):
            start, cpu = time.perf_counter(), time.process_time()
            response = client.post(url, data, **address)
            elapsed = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
        assert response.status_code == 302, (kind, response.status_code, response.content[:300])
        return elapsed

    for kind in KINDS:
        post(kind, -1, targets[kind][-1])  # loads the middleware, warms each path
    timings = {kind: [] for kind in KINDS}
    for index in range(POSTS):
        for kind in KINDS:
            timings[kind].append(post(kind, index, targets[kind][index]))
    rows = {}
    for kind in KINDS:
        with CaptureQueriesContext(connection) as queries:
            post(kind, POSTS, targets[kind][-1])
        replies = Comment.objects.filter(article=article, email__startswith=f"bench.{kind}.")
        assert set(replies.values_list("status", flat=True)) == {Comment.Status.APPROVED}, kind
        ordered = sorted(wall for wall, _ in timings[kind])
        rows[kind] = {
            "median": statistics.median(ordered),
            "p90": percentile(ordered, 0.9),
            "cpu": statistics.median(cpu for _, cpu in timings[kind]),
            "queries": len(queries),
        }
    return rows


def run_worker(log: Path) -> tuple[float, float]:
    """`manage.py db_worker --batch` in a process of its own until the queue is empty: its
    wall time and its CPU time (user and system), in seconds."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with log.open("a") as out:
        subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [
                sys.executable, str(ROOT / "manage.py"), "db_worker",
                "--batch", "--no-startup-delay", "--no-reload",
            ],
            env=ENV,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return wall, cpu


def followed_article(recipients: list[Recipient], number: int) -> int:
    """A new discussion of NEW_COMMENTS comments that `recipients` followed (as the site
    makes a follow, `start_following`) before the first."""
    article = seed(NEW_COMMENTS, seed=100 + number)
    first = Comment.objects.filter(article=article).order_by("pk").first()
    with transaction.atomic():
        for recipient in recipients:
            start_following(recipient, article.pk)
    Follow.objects.filter(article=article).update(after=first.pk - 1)
    return article.pk


def make_followers() -> list[Recipient]:
    """FOLLOWERS readers who may be mailed: members with a verified address and confirmed
    guests, half and half."""
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(
                username=f"follower{n}",
                email=f"member{n}@bench.example",
                display_name=f"Member {n}",
                password="!",  # noqa: S106 (an unusable password)
            )
            for n in range(FOLLOWERS // 2)
        ],
        batch_size=500,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=500,
    )
    now = timezone.now()
    Recipient.objects.bulk_create(
        [Recipient(user=u) for u in users]
        + [
            Recipient(email=f"guest{n}@bench.example", confirmed=now)
            for n in range(FOLLOWERS - len(users))
        ],
        batch_size=500,
    )
    return list(
        Recipient.objects.filter(
            Q(email__endswith="@bench.example") | Q(user__email__endswith="@bench.example")
        )
    )


def measure_digests(recipients: list[Recipient]) -> dict:
    times, cpu, queries, mailed = [], [], [], []
    for number in range(DIGESTS):
        article_id = followed_article(recipients, number)
        DBTaskResult.objects.all().delete()  # only the digests' mails from here
        with CaptureQueriesContext(connection) as captured:
            start, used = time.perf_counter(), time.process_time()
            mailed.append(send_digests.call(article_id=article_id))
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        queries.append(len(captured))
    return {"times": sorted(times), "cpu": cpu, "queries": queries, "mailed": mailed}


def main() -> int:
    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # a line for every task run
    started = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    label = database_label()
    if connection.vendor == "postgresql":
        production_durability()
    assert task_backends["default"].supports_defer, "TASKS_BACKEND=database expected"
    problems: list[str] = []
    log = VAR_DIR / "worker.log"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    log.write_text("")

    print(f"{label}; a discussion of {THREAD:,} comments, {POSTS} replies a row")
    thread = seed(THREAD)
    seed_guests(KINDS)
    wanted, unwanted = (
        parents(thread, POSTS + 1, start=0),
        parents(thread, POSTS + 1, start=POSTS + 1),
    )
    assert len(unwanted) == POSTS + 1, "too few comments take replies"
    want_replies(wanted)
    targets = {"before": unwanted, "wanted": wanted, "unwanted": unwanted, "immediate": wanted}
    posting = measure_replies(thread, targets)
    immediate_mails = SINK.messages()
    queued = DBTaskResult.objects.filter(task_path__endswith="tell_readers").count()
    if queued != 2 * (POSTS + 2):
        problems.append(f"{queued} tell_readers tasks queued, {2 * (POSTS + 2)} expected")
    notice_seconds, _ = run_worker(log)
    notices = SINK.messages() - immediate_mails
    wanted_notices = Notice.objects.filter(kind=Kind.REPLIES).count()
    if immediate_mails != POSTS + 2 or notices != POSTS + 2 or wanted_notices != 2 * (POSTS + 2):
        problems.append(
            f"reply notices: {immediate_mails} sent in requests, {notices} by the worker, "
            f"{wanted_notices} recorded; {POSTS + 2} each way expected"
        )
    for kind, row in posting.items():
        print(
            f"reply, {kind}: median {row['median']:.2f} ms, p90 {row['p90']:.2f} ms, "
            f"CPU {row['cpu']:.2f} ms"
        )

    recipients = make_followers()
    sent_before = SINK.messages()
    digests = measure_digests(recipients)
    queued_mails = DBTaskResult.objects.filter(task_path__endswith="send_email_message").count()
    worker_seconds, worker_cpu = run_worker(log)
    sent = SINK.messages() - sent_before
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    if digests["mailed"] != [FOLLOWERS] * DIGESTS:
        problems.append(f"digests mailed {digests['mailed']} followers, {FOLLOWERS} each expected")
    if sent != FOLLOWERS:  # the worker sends the last digest's mails (the others were cleared)
        problems.append(f"the sink took {sent} digest mails, {FOLLOWERS} expected")
    if failed:
        problems.append(f"{failed} tasks failed (see {log})")
    digest = {
        "median": statistics.median(digests["times"]),
        "max": digests["times"][-1],
        "cpu": statistics.median(digests["cpu"]),
        "worker_cpu": worker_cpu,
        "queries": max(digests["queries"]),
        "queued": queued_mails,
        "worker": worker_seconds,
        "per_second": sent / worker_seconds,
        "sent": sent,
        "notice_worker": notice_seconds,
    }
    print(
        f"digest to {FOLLOWERS:,}: send_digests median {digest['median']:.0f} ms, CPU "
        f"{digest['cpu']:.0f} ms ({digest['queries']:,} SQL statements); worker {sent:,} mails "
        f"in {worker_seconds:.1f} s (CPU {worker_cpu:.1f} s) = {digest['per_second']:.0f} a second"
    )
    section = write_section(label, posting, digest, started=started, load=load)
    print("\n" + section)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


def write_section(label: str, posting: dict, digest: dict, *, started: str, load: float) -> str:
    heading = f"## Notifications on {label.split()[0]}"
    names = {
        "before": "notifications switched off (posting as before them)",
        "wanted": "the parent's writer asked to hear of replies: task queued",
        "unwanted": "nobody to tell: task queued",
        "immediate": "the parent's writer asked, immediate backend: notice sent in the request",
    }
    wanted, before = posting["wanted"]["median"], posting["before"]["median"]
    lines = [
        heading,
        "",
        f"Measured {started} by bench/notifications.py on {os.cpu_count()} cores "
        f"({machine() or 'unknown CPU'}), load average {load:.2f} at the start and "
        f"{os.getloadavg()[0]:.2f} at the end (other work shares the machine: the CPU columns, "
        "this process's CPU time or the worker's, suffer less from it than the wall clock), "
        f"{label}, DEBUG off, TASKS_BACKEND=database, mail to an aiosmtpd sink on 127.0.0.1."
        + (" fsync and synchronous commits on, as in production." if "Postgre" in label else "")
        + f" Replies: POST /comments/post/<id>/ in-process (test client), {POSTS} a row, the "
        "rows taking turns, each post by a returning guest of its own (published at once) to a "
        f"comment of its own in a discussion of {THREAD:,} (`seed_thread`), with a fresh form "
        "token and /24; only the POST is timed. Switched off: `comments_published` made a "
        "no-op for that row. The worker then ran the queued tasks and sent the notices "
        f"({POSTS + 2} for the row that wanted them, none for the other) in "
        f"{digest['notice_worker']:.1f} s.",
        "",
        "| reply | median ms | p90 ms | CPU median ms | SQL statements |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {names[kind]} | {row['median']:.2f} | {row['p90']:.2f} | {row['cpu']:.2f} "
            f"| {row['queries']} |"
            for kind, row in posting.items()
        ),
        "",
        f"Digest: an article with {FOLLOWERS:,} followers (members with a verified address and "
        f"confirmed guests, half each) and {NEW_COMMENTS} new comments. `send_digests` "
        f"in-process as the worker runs it (claims the followers, finds each one's news, records "
        f"the notices, queues one mail a follower: {digest['queued']:,} task rows), "
        f"{DIGESTS} runs on articles of their own; then one `db_worker --batch` sends the last "
        "run's mails to the sink, a connection a mail (its start-up included in the time).",
        "",
        "| followers | send_digests median ms | slowest ms | CPU median ms | SQL statements "
        "| worker mails | worker s | worker CPU s | mails a second |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {FOLLOWERS:,} | {digest['median']:,.0f} | {digest['max']:,.0f} | "
        f"{digest['cpu']:,.0f} | {digest['queries']:,} | {digest['sent']:,} | "
        f"{digest['worker']:.1f} | {digest['worker_cpu']:.1f} | {digest['per_second']:.0f} |",
        "",
        f"- posting a reply with its notification queued, median under 15 ms: {wanted:.2f} ms, "
        f"{'met' if wanted < 15 else '**missed**'}; with notifications switched off "
        f"{before:.2f} ms ({wanted - before:+.2f} ms).",
    ]
    section = "\n".join(lines)
    save_section(heading, section)
    return section


if __name__ == "__main__":
    try:
        status = main()
    finally:
        SINK.__exit__(None, None, None)
    sys.exit(status)
