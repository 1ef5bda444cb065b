"""The donations webhook over HTTP: signed dev events a second, the time of one event, and the
time of a replayed one (which must change nothing).

    .venv/bin/python bench/donations.py                     # SQLite, var/bench-donations
    .ci/postgres.sh .venv/bin/python bench/donations.py     # PostgreSQL (DATABASE_URL)
    make bench-donations                                     # both, one after the other

It migrates a fresh database (SQLite: var/bench-donations/db.sqlite3, deleted first; otherwise
the database DATABASE_URL names) and makes, through the ORM in bulk, BENCH_DONATION_EVENTS
(1,500) one-off gifts waiting at the dev checkout and BENCH_DONATION_RENEWALS (500) monthly
gifts that already run. gunicorn starts as `make serve` does (DEBUG off, 3 workers, a free
127.0.0.1 port, the dev provider allowed), with its mail going to an aiosmtpd sink in a
process of its own (tests/newsletter/smtp.py, 127.0.0.1) that only counts.

BENCH_DONATION_CLIENTS (4) threads then POST to /support/webhook/dev/, each event signed as
the dev provider signs it (`dev_sign`, the secret both sides derive from the same
SECRET_KEY): a `checkout.session.completed` for every one-off gift and an `invoice.paid` (a
month's renewal) for every monthly one, shuffled. The task backend is the immediate one, as
under `make serve`, so each request verifies and stores its event, processes it, records the
payment and sends its receipt before it answers: requests a second are events processed a
second. Then every event sent is sent again, as a provider redelivers one it thinks was lost
(the same body, freshly signed); each must answer 200 and change nothing. So that the whole
run stays near a minute on a busy machine, neither pass begins a request after
BENCH_DONATION_SECONDS (30): the table says how many events each pass sent.

Checks, each a reason to exit 1: every answer is 200; after the first pass every gift is paid
or renewed, with one payment and one receipt mail each, and every event processed; the replay
leaves the counts of events, payments, receipts sent, paid gifts and mails at the sink as they
were (exit 1 if a replay changed anything); no traceback or "database is locked" in the server's log.

On PostgreSQL the throw-away cluster of .ci/postgres.sh runs with fsync off; the benchmark
turns fsync and synchronous commits on first (only there), as bench/newsletter.py does.

The table is printed and written to bench/results.md as the section "## Donation webhooks on
<db>" (bench/run.py keeps it when it rewrites the file). Loopback only.
"""

import json
import os
import queue
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402
    Gunicorn,
    Sink,
    machine,
    percentile,
    request,
    save_section,
    serve_env,
)

EVENTS = int(os.environ.get("BENCH_DONATION_EVENTS") or 1500)
RENEWALS = int(os.environ.get("BENCH_DONATION_RENEWALS") or 500)
CLIENTS = int(os.environ.get("BENCH_DONATION_CLIENTS") or 4)
PASS_SECONDS = float(os.environ.get("BENCH_DONATION_SECONDS") or 30)
VAR_DIR = ROOT / "var" / "bench-donations"
LOG_PROBLEMS = ("database is locked", "Traceback", "Internal Server Error", "WORKER TIMEOUT")
CHUNK = 1000


def prepare_environment(sink_port: int) -> dict:
    env = serve_env(
        VAR_DIR,
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        DONATIONS_PROVIDER="dev",
        DONATIONS_ALLOW_DEV_PROVIDER="1",
        TASKS_BACKEND="immediate",
    )
    if not env.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (VAR_DIR / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.update(env)  # this process signs with the server's secret and reads its database
    return env


SINK = Sink().__enter__()
ENV = prepare_environment(SINK.port)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.database import database_label, production_durability  # noqa: E402
from forum.donations import providers  # noqa: E402
from forum.donations.models import Donation, Payment, WebhookEvent  # noqa: E402


def seed() -> list[dict]:
    """The gifts, made in bulk, and the events the provider will send for them, shuffled."""
    now = timezone.now()
    for start in range(0, EVENTS, CHUNK):
        Donation.objects.bulk_create(
            Donation(
                provider="dev",
                amount=500 + n % 4 * 500,
                name=f"Reader {n}",
                email=f"reader{n}@bench.example",
                checkout_id=f"cs_dev_bench{n}",
            )
            for n in range(start, min(EVENTS, start + CHUNK))
        )
    for start in range(0, RENEWALS, CHUNK):
        Donation.objects.bulk_create(
            Donation(
                provider="dev",
                kind=Donation.Kind.MONTHLY,
                status=Donation.Status.ACTIVE,
                amount=300,
                name=f"Monthly reader {n}",
                email=f"monthly{n}@bench.example",
                checkout_id=f"cs_dev_benchm{n}",
                customer_id=f"cus_dev_bench{n}",
                subscription_id=f"sub_dev_bench{n}",
                first_paid_at=now,
            )
            for n in range(start, min(RENEWALS, start + CHUNK))
        )
    events = [
        providers.dev_payment_events(donation, checkout_id=donation.checkout_id)[0]
        for donation in Donation.objects.filter(kind=Donation.Kind.ONE_OFF).order_by("pk")
    ]
    events += [
        providers.dev_renewal_event(donation)
        for donation in Donation.objects.filter(kind=Donation.Kind.MONTHLY).order_by("pk")
    ]
    random.Random(12).shuffle(events)
    return events


def post_all(port: int, bodies: list[bytes]) -> tuple[list[bytes], float, list[float], list[str]]:
    """POST the bodies from CLIENTS threads at once, none begun after PASS_SECONDS: (the bodies
    sent, wall seconds, ms per request, problems)."""
    work: queue.Queue[bytes] = queue.Queue()
    for body in bodies:
        work.put(body)
    sent: list[bytes] = []
    times: list[float] = []
    problems: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + PASS_SECONDS

    def client():
        while time.monotonic() < deadline:
            try:
                body = work.get_nowait()
            except queue.Empty:
                return
            headers = {
                "Content-Type": "application/json",
                providers.DEV_SIGNATURE_HEADER: providers.dev_sign(body),
            }
            began = time.perf_counter()
            try:
                status, _, answer = request(
                    port, "POST", "/support/webhook/dev/", body=body, headers=headers
                )
            except OSError as error:
                status, answer = 0, str(error).encode()
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                sent.append(body)
                times.append(elapsed)
                if status != 200:
                    problems.append(f"an event answered {status}: {answer[:200]!r}")

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent, time.perf_counter() - began, sorted(times), problems


def state() -> dict:
    """What a replayed event must not change."""
    return {
        "events": WebhookEvent.objects.count(),
        "payments": Payment.objects.count(),
        "receipts": Payment.objects.filter(receipt_sent_at__isnull=False).count(),
        "paid gifts": Donation.objects.filter(status=Donation.Status.PAID).count(),
        "mails": SINK.messages(),
    }


def main() -> int:
    started = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    label = database_label()
    if connection.vendor == "postgresql":
        production_durability()
    events = seed()
    bodies = [json.dumps(event).encode() for event in events]
    connection.close()  # gunicorn's workers have the database to themselves
    print(f"{label}; {EVENTS:,} checkouts and {RENEWALS:,} renewals from {CLIENTS} clients")
    problems: list[str] = []
    with Gunicorn(ENV, VAR_DIR / "gunicorn.log") as server:
        sent, seconds, times, failed = post_all(server.port, bodies)
        problems += failed
        first = state()
        expected = len(sent)
        processed = WebhookEvent.objects.filter(status=WebhookEvent.Status.PROCESSED).count()
        if (first["payments"], first["receipts"], first["mails"], processed) != (expected,) * 4:
            problems.append(f"after the first pass, for {expected:,} events: {first}")
        checkouts = sum(b'"checkout.session.completed"' in body for body in sent)
        if first["paid gifts"] != checkouts:
            problems.append(f"{first['paid gifts']:,} one-off gifts paid, {checkouts:,} expected")
        connection.close()
        replayed, replay_seconds, replay_times, failed = post_all(server.port, sent)
        problems += failed
        after = state()
        if after != first:
            problems.append(f"the replay changed something: before {first}, after {after}")
        log = server.log_text()
    problems += [f"the server's log says {word!r}" for word in LOG_PROBLEMS if word in log]
    row = {
        "events": len(sent),
        "per_second": len(sent) / seconds,
        "p50": percentile(times, 0.5),
        "p99": percentile(times, 0.99),
        "replays": len(replayed),
        "replay_per_second": len(replayed) / replay_seconds,
        "replay_p50": percentile(replay_times, 0.5),
        "replay_p99": percentile(replay_times, 0.99),
        "unchanged": after == first,
    }
    print(
        f"{row['events']:,} events in {seconds:.1f} s = {row['per_second']:,.0f} a second, "
        f"p50 {row['p50']:.1f} ms, p99 {row['p99']:.1f} ms; {row['replays']:,} replayed at "
        f"{row['replay_per_second']:,.0f} a second, p50 {row['replay_p50']:.1f} ms, "
        f"p99 {row['replay_p99']:.1f} ms; nothing changed: {row['unchanged']}"
    )
    section = write_section(label, row, started=started, load=load)
    print("\n" + section)
    for problem in problems[:20]:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


def write_section(label: str, row: dict, *, started: str, load: float) -> str:
    heading = f"## Donation webhooks on {label.split()[0]}"
    lines = [
        heading,
        "",
        f"Measured {started} by bench/donations.py on {os.cpu_count()} cores "
        f"({machine() or 'unknown CPU'}), load average {load:.2f} at the start (other work "
        f"shares the machine), {label}. gunicorn as `make serve` runs it (3 workers), "
        f"{CLIENTS} clients POSTing signed dev events to /support/webhook/dev/ at once: a "
        "`checkout.session.completed` for each one-off gift waiting at the checkout and an "
        "`invoice.paid` renewal for each running monthly gift, shuffled. The task backend is "
        "the immediate one, so each request verifies and stores its event, processes it, "
        "records the payment and mails the receipt (to an aiosmtpd sink on 127.0.0.1) before "
        "it answers: requests a second are events processed a second. Times are one event "
        "from the client, connection to last byte. Replayed: every event sent again (the "
        "same bodies, freshly signed), as a provider redelivers one it thinks was lost. "
        f"Neither pass begins a request after {PASS_SECONDS:.0f} s."
        + (" fsync and synchronous commits on, as in production." if "Postgre" in label else ""),
        "",
        "| pass | events | per second | p50 ms | p99 ms | changed nothing |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| first delivery | {row['events']:,} | {row['per_second']:,.0f} | {row['p50']:.1f} "
        f"| {row['p99']:.1f} | — |",
        f"| replayed | {row['replays']:,} | {row['replay_per_second']:,.0f} "
        f"| {row['replay_p50']:.1f} | {row['replay_p99']:.1f} "
        f"| {'yes' if row['unchanged'] else '**no**'} |",
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
