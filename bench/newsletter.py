"""Sending a newsletter issue to 10,000 and 50,000 readers over SMTP: deliveries a second, the
sender's peak memory, the time to freeze the audience.

    .venv/bin/python bench/newsletter.py                     # SQLite, var/bench-newsletter
    .ci/postgres.sh .venv/bin/python bench/newsletter.py     # PostgreSQL (DATABASE_URL)
    make bench-newsletter                                     # both, one after the other

It migrates a fresh database (SQLite: var/bench-newsletter/db.sqlite3, deleted first;
otherwise the database DATABASE_URL names), makes the largest audience's subscribers at once
(bulk inserts), and for each size a newsletter of its own with that many confirmed readers and
an issue. An SMTP sink (aiosmtpd, tests/newsletter/smtp.py, in a process of its own on a free
127.0.0.1 port) takes every message and only counts.

Per size: the audience is frozen in this process (`sending.start`: one INSERT ... SELECT,
timed), then `manage.py send_newsletter ISSUE` runs in a process of its own (this script
with --send, so it can time the command and read its own peak memory, `ru_maxrss`) with the
settings' batch size (NEWSLETTER_BATCH_SIZE, 200) and no rate limit. Deliveries a second are
the messages the sink took over the command's time (Django's start-up not included). Checks,
each a reason to exit 1: the sink got exactly N messages, every delivery is SENT, the issue
is SENT.

On PostgreSQL the throw-away cluster of .ci/postgres.sh runs with fsync and synchronous
commits off; the benchmark turns both on first (ALTER SYSTEM, only on a server with fsync
off: that cluster), as a production server runs, and sends the smaller audience twice: with the sender's own commits
not waiting for the disk (sending.QUICK_COMMITS, the default) and waiting (as every other
session does).

The table is printed and written to bench/results.md as the section
"## Newsletter sending on <db>" (bench/run.py keeps it when it rewrites the file).

Knobs (environment): BENCH_NEWSLETTER_SIZES (10000,50000), BENCH_PROFILE=1 (print a cProfile
summary of the sender for the smallest size). Loopback only.
"""

import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR_DIR = ROOT / "var" / "bench-newsletter"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DJANGO_VAR_DIR", str(VAR_DIR))
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("EMAIL_URL", "locmem://")
if not os.environ.get("DATABASE_URL", "").startswith("postgres") and "--send" not in sys.argv:
    (VAR_DIR / "db.sqlite3").unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.database import database_label, production_durability  # noqa: E402
from bench.server import free_port, machine, save_section  # noqa: E402
from forum.newsletter import sending  # noqa: E402
from forum.newsletter.models import (  # noqa: E402
    Delivery,
    Issue,
    Newsletter,
    Subscriber,
    Subscription,
)

SIZES = [int(n) for n in os.environ.get("BENCH_NEWSLETTER_SIZES", "10000,50000").split(",")]
PROFILE = os.environ.get("BENCH_PROFILE") == "1"
TARGET_PER_SECOND = 500
CHUNK = 5000


def send_here(issue_id: int, *, quick: bool, profile: bool) -> None:
    """--send: run the command, then print its time and this process's peak memory."""
    sending.QUICK_COMMITS = quick
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    call_command("send_newsletter", str(issue_id), stdout=io.StringIO())
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    if profiler:
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(30)
        sys.stderr.write(report.getvalue())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "cpu": cpu}))


def seed(count: int) -> list[int]:
    """`count` subscribers, made in bulk; their ids."""
    for start in range(0, count, CHUNK):
        Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{n}@bench.example", name=f"Reader {n}")
            for n in range(start, min(count, start + CHUNK))
        )
    return list(Subscriber.objects.order_by("pk").values_list("pk", flat=True)[:count])


def audience(size: int, subscriber_ids: list[int]) -> Issue:
    newsletter = Newsletter.objects.create(
        name=f"Bench {size}", slug=f"bench-{size}-{time.time_ns()}", description="Bench."
    )
    readers = subscriber_ids[:size]
    for start in range(0, size, CHUNK):
        Subscription.objects.bulk_create(
            Subscription(subscriber_id=pk, newsletter=newsletter, status="confirmed")
            for pk in readers[start : start + CHUNK]
        )
    return Issue.objects.create(
        newsletter=newsletter,
        subject=f"Frame & Grain, the benchmark issue for {size:,} readers",
        intro="Good morning. This week: fog over the estuary, a darkroom in a garden shed, "
        "and three readers on the lenses they kept.\n\n" * 3,
    )


class Sink:
    """The SMTP sink in a process of its own."""

    def __enter__(self):
        self.port = free_port()
        self.process = subprocess.Popen(  # noqa: S603 (our own module)
            [sys.executable, "-m", "tests.newsletter.smtp", str(self.port)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"
        return self

    def counts(self) -> tuple[int, int, float]:
        """(messages, connections, CPU seconds) so far."""
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        messages, connections, cpu = self.process.stdout.readline().split()
        return int(messages), int(connections), float(cpu)

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def sender(issue: Issue, sink: Sink, *, quick: bool = True, profile: bool = False) -> dict:
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}"}
    args = ["--send", str(issue.pk), "--quick" if quick else "--wait-for-disk"]
    done = subprocess.run(  # noqa: S603 (this script)
        [sys.executable, __file__, *args, *(["--profile"] if profile else [])],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the sender failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    started = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    label = database_label()
    postgres = connection.vendor == "postgresql"
    if postgres:
        production_durability()
    print(f"{label}; audiences of {', '.join(f'{n:,}' for n in SIZES)}")
    began = time.perf_counter()
    subscriber_ids = seed(max(SIZES))
    print(f"{len(subscriber_ids):,} subscribers made in {time.perf_counter() - began:.1f} s")
    runs = [(size, True) for size in SIZES]
    if postgres:
        runs.insert(1, (min(SIZES), False))
    rows, problems = [], []
    with Sink() as sink:
        for size, quick in runs:
            issue = audience(size, subscriber_ids)
            began = time.perf_counter()
            sending.start(issue)
            freeze = time.perf_counter() - began
            before, connections_before, sink_cpu_before = sink.counts()
            connection.close()  # the sender has the database to itself
            result = sender(issue, sink, quick=quick, profile=PROFILE and size == min(SIZES))
            after, connections_after, sink_cpu_after = sink.counts()
            received = after - before
            issue.refresh_from_db()
            sent = issue.deliveries.filter(status=Delivery.Status.SENT).count()
            if received != size or sent != size or issue.status != Issue.Status.SENT:
                problems.append(
                    f"{size:,}: the sink got {received:,}, the ledger says {sent:,} sent, "
                    f"the issue is {issue.status}"
                )
            row = {
                "size": size,
                "quick": quick,
                "freeze": freeze,
                "seconds": result["seconds"],
                "per_second": received / result["seconds"],
                "peak_mb": result["peak_mb"],
                "connections": connections_after - connections_before,
                "sender_cpu_ms": result["cpu"] * 1000 / size,
                "sink_cpu_ms": (sink_cpu_after - sink_cpu_before) * 1000 / size,
            }
            rows.append(row)
            commits = "" if not postgres else (" (quick commits)" if quick else " (commits wait)")
            print(
                f"{size:,} readers{commits}: frozen in {freeze * 1000:,.0f} ms, sent in "
                f"{row['seconds']:.1f} s = {row['per_second']:,.0f} a second over "
                f"{row['connections']:,} connections, sender peak {row['peak_mb']:.0f} MB, CPU "
                f"per message {row['sender_cpu_ms']:.2f} ms sender (with its start-up), "
                f"{row['sink_cpu_ms']:.2f} ms sink"
            )
    section = write_section(label, rows, started=started, load=load, postgres=postgres)
    print("\n" + section)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


def write_section(label: str, rows: list[dict], *, started, load, postgres) -> str:
    name = label.split()[0]

    def commits(row) -> str:
        return ("quick" if row["quick"] else "wait") if postgres else "—"

    heading = f"## Newsletter sending on {name}"
    lines = [
        heading,
        "",
        f"Measured {started} by bench/newsletter.py on {os.cpu_count()} cores "
        f"({machine() or 'unknown CPU'}), load average {load:.2f}, {label}. "
        "Confirmed readers made in bulk, the audience frozen in one INSERT ... SELECT, then "
        "`manage.py send_newsletter` in a process of its own to an aiosmtpd sink in another "
        f"(127.0.0.1), batches of {settings.NEWSLETTER_BATCH_SIZE} over one SMTP connection "
        "each, no rate limit; every delivery committed SENT before its message's final dot. "
        "The sink offers PIPELINING, as Postfix and Exim do. Per second: messages the sink "
        "took over the command's time. Peak memory: the sender's maxrss. CPU a message: the "
        "sender's (its start-up included) and the sink's, user and system; the two share the "
        "machine's cores with whatever else runs.",
        "",
    ]
    if postgres:
        lines += [
            "The cluster with fsync and synchronous commits turned on, as in production. "
            "Commits quick: the sender's own session with synchronous_commit off (the "
            "default); wait: every commit waits for the disk.",
            "",
        ]
    lines += [
        "| readers | commits | freeze ms | send s | per second | connections | sender peak MB "
        "| CPU ms a message: sender / sink |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['size']:,} | {commits(row)} "
            f"| {row['freeze'] * 1000:,.0f} | {row['seconds']:.1f} | {row['per_second']:,.0f} "
            f"| {row['connections']:,} | {row['peak_mb']:.0f} "
            f"| {row['sender_cpu_ms']:.2f} / {row['sink_cpu_ms']:.2f} |"
        )
    lines.append("")
    for row in rows:
        if not row["quick"]:
            continue
        met = "met" if row["per_second"] >= TARGET_PER_SECOND else "**missed**"
        lines.append(
            f"- {row['size']:,} readers, at least {TARGET_PER_SECOND} deliveries a second: "
            f"{row['per_second']:,.0f}, {met}."
        )
    quick = [row for row in rows if row["quick"]]
    if len(quick) > 1:
        small, large = quick[0], quick[-1]
        flat = large["peak_mb"] <= small["peak_mb"] * 1.1
        lines.append(
            f"- sender memory flat from {small['size']:,} to {large['size']:,} readers (within "
            f"10%): {small['peak_mb']:.0f} MB and {large['peak_mb']:.0f} MB, "
            f"{'met' if flat else '**missed**'}."
        )
    section = "\n".join(lines)
    save_section(heading, section)
    return section


if __name__ == "__main__":
    if "--send" in sys.argv:
        send_here(
            int(sys.argv[sys.argv.index("--send") + 1]),
            quick="--wait-for-disk" not in sys.argv,
            profile="--profile" in sys.argv,
        )
    else:
        sys.exit(main())
