"""Page benchmarks: render pages in-process and over HTTP; report time, SQL queries, size
(as rendered, and gzipped as a browser that accepts gzip receives it: bytes on the wire).

Run with `make bench` (which then runs bench/concurrent_post.py and bench/spam_run.py too,
see the Makefile). It uses its own database and media under var/bench/ (seeded with the demo
magazine and with `seed_thread` discussions of 100, 1,000 and 5,000 comments) and writes the
tables to bench/results.md as well as printing them, keeping the sections the other two
wrote there.

Measured, with DEBUG off:

- the home page and one demo article, in-process (Django's test client), as before;
- per discussion size, the article page in-process with a cold cache (the Django cache is
  cleared before every request, so the thread, the site settings and everything else are
  rebuilt) and warm (the rendered thread comes from the cache), with p95s, SQL queries
  and bytes;
- the same pages over HTTP against gunicorn started as `make serve` starts it (3 workers,
  on a free 127.0.0.1 port, var/bench): cold with CACHE_URL=dummy:// (nothing is ever
  cached, the HTTP twin of clearing the cache before each request), warm with the usual
  per-worker locmem cache after a few warming requests. Requests are sequential, one
  connection each; the time is from connecting to the last byte. The timed requests send
  no Accept-Encoding (as before GZipMiddleware, so the times compare); one more request
  per page with `Accept-Encoding: gzip` gives the bytes on the wire;
- posting a comment in-process: a POST through the test client as a guest with a fresh
  form token (forum.comments.forms.new_token) each time, in a fresh client (a new
  browser); only the POST is timed. A *new* guest's comment is held for moderation; a
  *returning* guest (a name and email with an approved comment) is published at once, which
  also refreshes the article's count and comment version (so the cached thread goes stale).
  The moderation rules run at the site's settings (the defaults: 5 comments a minute per
  network, 15 s between two comments of one commenter, forms at least 3 s old), so each
  post is one that a reader would send: a guest of its own (the returning ones each have
  an approved comment, days old, on an article of their own), from a network of its own
  (REMOTE_ADDR 10.x.y.z, one /24 each), with a token issued 30 s before (as if the page had
  been open that long). In-process the TASKS backend is the immediate one (the settings'
  default), so the task a held comment enqueues (emailing the moderators, if there are
  any) runs inside the timed request.

Knobs (environment): BENCH_ROUNDS (200: home/article and warm pages), BENCH_COLD_ROUNDS
(100), BENCH_POST_ROUNDS (100 per kind of guest and size), BENCH_HTTP_ROUNDS (100; 0 skips
HTTP), BENCH_THREAD_SIZES (100,1000,5000), WORKERS (3), BENCH_PROFILE=1 (print cProfile
summaries of a cold page and of posts), DATABASE_URL (else SQLite in var/bench),
BENCH_PG_ANALYZE (1: on PostgreSQL, ANALYZE after seeding, as autovacuum would soon do).
"""

import cProfile
import io
import itertools
import os
import platform
import pstats
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DJANGO_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("EMAIL_URL", "locmem://")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.server import (  # noqa: E402
    RESULTS,
    Gunicorn,
    kept_sections,
    machine,
    manage,
    request,
    serve_env,
    summary,
    timed_get,
)
from forum.articles.models import Article  # noqa: E402
from forum.comments.forms import new_token  # noqa: E402
from forum.comments.models import Comment  # noqa: E402
from forum.core.html import render_comment  # noqa: E402


def knob(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


ROUNDS = knob("BENCH_ROUNDS", 200)
COLD_ROUNDS = knob("BENCH_COLD_ROUNDS", 100)
POST_ROUNDS = knob("BENCH_POST_ROUNDS", 100)
HTTP_ROUNDS = knob("BENCH_HTTP_ROUNDS", 100)
SIZES = [int(n) for n in os.environ.get("BENCH_THREAD_SIZES", "100,1000,5000").split(",") if n]
PROFILE = os.environ.get("BENCH_PROFILE", "") not in {"", "0"}
ANALYZE = os.environ.get("BENCH_PG_ANALYZE", "1") not in {"", "0"}
VAR_DIR = Path(settings.VAR_DIR)
CONCURRENCY_PREFIX = "## Concurrent posting"  # sections bench/concurrent_post.py writes
SPAM_PREFIX = "## Spam run"  # the section bench/spam_run.py writes
READ_SECONDS = 30  # how long before a post its form was shown (the token says so)
PROFILE_INDEX = 10_000  # the guest of the profiled posts
NETWORKS = itertools.count(1)  # one /24 per post
SEEDED_PREFIX = "reader-thread-"  # the slugs seed_thread gives its articles
GZIP = {"Accept-Encoding": "gzip, deflate, br"}  # what browsers send


def gzip_bytes(client: Client, path: str) -> int:
    """Bytes of GET `path` as a browser that accepts gzip receives them."""
    response = client.get(path, headers=GZIP)
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Encoding"] == "gzip", (path, response.get("Content-Encoding"))
    return len(response.content)


def measure(client: Client, path: str) -> dict:
    """Median and 95th percentile server time of GET `path`, its queries and size."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    query_count = len(queries)  # now: the next request clears the connection's log
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "path": path,
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "queries": query_count,
        "bytes": len(response.content),
        "gzip_bytes": gzip_bytes(client, path),
    }


def get_ms(client: Client, path: str, *, cold: bool) -> float:
    if cold:
        cache.clear()
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def queries_of(client: Client, path: str, *, cold: bool) -> tuple[int, int]:
    """(SQL queries, bytes) of one GET, cold or warm."""
    if cold:
        cache.clear()
    else:
        client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return len(queries), len(response.content)


def seed(size: int) -> tuple[str, Article]:
    out = io.StringIO()
    call_command("seed_thread", comments=size, stdout=out)
    path = out.getvalue().strip().splitlines()[-1]
    article = Article.objects.get(slug=path.rstrip("/").rsplit("/", 1)[-1])
    return path, article


def measure_thread(path: str) -> dict:
    client = Client()
    client.get(path)  # the CSRF cookie, as a returning browser has it
    cold = [get_ms(client, path, cold=True) for _ in range(COLD_ROUNDS)]
    client.get(path)
    warm = [get_ms(client, path, cold=False) for _ in range(ROUNDS)]
    cold_queries, size = queries_of(client, path, cold=True)
    warm_queries, _ = queries_of(client, path, cold=False)
    return {
        "cold": summary(cold),
        "warm": summary(warm),
        "cold_queries": cold_queries,
        "warm_queries": warm_queries,
        "bytes": size,
        "gzip_bytes": gzip_bytes(client, path),
    }


def guest(kind: str, index: int, size: int) -> dict:
    """A guest of their own for every post: a new one (held for moderation) or a returning
    one, with an approved comment (published at once). One guest posting a hundred times in
    seconds would be stopped by the flood and rate rules."""
    return {
        "name": f"Bench {kind.title()} Guest {size}-{index}",
        "email": f"bench.{kind}.{size}.{index}@example.net",
    }


def seed_returning_guests(sizes: list[int]) -> None:
    """An approved comment, days old, for every returning guest the posting rows use, on an
    article of its own (so the measured discussions keep their size)."""
    _, article = seed(0)
    written = timezone.now() - timedelta(days=3)
    body = "An earlier comment, approved."
    Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                body=body,
                body_html=render_comment(body),
                status=Comment.Status.APPROVED,
                status_reasons=["bench: approved before"],
                created=written,
                **guest("returning", index, size),
            )
            for size in sizes
            for index in [-1, *range(POST_ROUNDS + 1), PROFILE_INDEX]
        ],
        batch_size=500,
    )
    Comment.objects.filter(article=article).update(thread_id=F("pk"))
    Comment.objects.refresh_article(article.pk)


def post_data(article: Article, kind: str, index: int, size: int) -> dict:
    return {
        "body": f"Bench post {kind} {size}-{index}: the light meter agreed with the "
        "grey card this time, and the negatives scanned without correction.",
        **guest(kind, index, size),
        "website": "",
        "parent": "",
        "token": new_token(article.pk, issued=time.time() - READ_SECONDS),
    }


def network() -> dict:
    """The request's address: a network (/24) of its own."""
    n = next(NETWORKS)
    return {"REMOTE_ADDR": f"10.{(n >> 8) & 255}.{n & 255}.{1 + n % 254}"}


def measure_posts(article: Article, size: int, kind: str) -> dict:
    url = f"/comments/post/{article.pk}/"
    # One client, its cookies dropped before each post: a fresh browser every time. (A new
    # Client would load the middleware again on its first request, and WhiteNoise's
    # start-up scan of the static files would then be timed as part of the POST.)
    client = Client()
    client.post(url, post_data(article, kind, -1, size), **network())  # loads the middleware
    timings = []
    for index in range(POST_ROUNDS):
        client.cookies.clear()
        data = post_data(article, kind, index, size)
        address = network()
        start = time.perf_counter()
        response = client.post(url, data, **address)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, (url, response.status_code, response.content[:500])
    client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, post_data(article, kind, POST_ROUNDS, size), **network())
    assert response.status_code == 302, (url, response.status_code, response.content[:500])
    expected = Comment.Status.APPROVED if kind == "returning" else Comment.Status.PENDING
    stored = Comment.objects.filter(
        article=article, body__startswith=f"Bench post {kind} {size}-"
    ).values_list("status", flat=True)
    statuses = set(stored)
    assert len(stored) == POST_ROUNDS + 2 and statuses == {expected}, (kind, len(stored), statuses)
    return {"times": summary(timings), "queries": len(queries)}


def wire_bytes(port: int, path: str) -> int:
    """Bytes of the body of GET `path` over HTTP with `Accept-Encoding: gzip`."""
    status, headers, body = request(port, "GET", path, headers=GZIP)
    if status != 200 or headers.get("Content-Encoding") != "gzip":
        raise SystemExit(
            f"GET {path} with gzip answered {status} {headers.get('Content-Encoding')}"
        )
    return len(body)


def measure_http(paths: list[str]) -> dict:
    """{path: {"cold": (median, p95), "warm": (median, p95), "gzip_bytes": n}} against
    gunicorn."""
    env = serve_env(VAR_DIR)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "migrate", "--noinput", "-v", "0")
    results = {path: {} for path in paths}
    for state, extra in (("cold", {"CACHE_URL": "dummy://"}), ("warm", {})):
        with Gunicorn({**env, **extra}, VAR_DIR / f"gunicorn-{state}.log") as server:
            for path in paths:
                # Warm every worker (requests land on whichever worker accepts first).
                for _ in range(4 * server.workers):
                    timed_get(server.port, path)
                times = [timed_get(server.port, path) for _ in range(HTTP_ROUNDS)]
                results[path][state] = summary(times)
                results[path]["gzip_bytes"] = wire_bytes(server.port, path)
            workers = server.workers
    return results, workers


def profile(label: str, func) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(f"\n--- cProfile: {label} (top 25 by cumulative time) ---")
    print(out.getvalue())


def ms(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.2f} | {pair[1]:.2f}"


def verdicts(threads: dict, posts: dict) -> list[str]:
    """The issue's targets against what was measured (nothing is adjusted to pass)."""
    lines = []

    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    if 1000 in threads:
        cold = threads[1000]["cold"][0]
        warm = threads[1000]["warm"][0]
        lines.append(
            f"- 1,000 comments, cold, median under 60 ms: {cold:.2f} ms, {mark(cold < 60)}."
        )
        lines.append(
            f"- 1,000 comments, cached, median under 10 ms: {warm:.2f} ms, {mark(warm < 10)}."
        )
        if 5000 in threads:
            ratio = threads[5000]["cold"][0] / cold
            lines.append(
                f"- 1,000 → 5,000 comments (5× the comments), cold, no worse than linear: "
                f"{ratio:.2f}× the time, {mark(ratio <= 5)}."
            )
    for size, kinds in posts.items():
        for kind, result in kinds.items():
            median = result["times"][0]
            lines.append(
                f"- posting to {size:,} comments ({kind} guest), median under 15 ms: "
                f"{median:.2f} ms, {mark(median < 15)}."
            )
    return lines


def main():
    started = time.perf_counter()
    load = os.getloadavg()[0]
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    # The discussions seeded by an earlier run would be the newest articles on the home
    # page: remove them so the home and article rows measure the demo magazine alone.
    Article.objects.filter(slug__startswith=SEEDED_PREFIX).delete()
    cache.clear()
    article = Article.objects.published().order_by("-published_at").first()
    client = Client()
    rows = [measure(client, path) for path in ("/", article.get_absolute_url())]

    seeded = {size: seed(size) for size in SIZES}
    analyzed = ANALYZE and connection.vendor == "postgresql"
    if analyzed:
        # Production tables have planner statistics (autovacuum analyzes them within a
        # minute or so); freshly bulk-loaded ones do not, and without them PostgreSQL 15
        # plans the thread query as a nested-loop semi join that grows with the square of
        # the comments (about 1.2 s cold at 5,000). BENCH_PG_ANALYZE=0 measures that case.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    threads = {size: measure_thread(path) for size, (path, _) in seeded.items()}
    if PROFILE and SIZES:
        path = seeded[max(SIZES)][0]
        profiled = Client()
        profiled.get(path)  # middleware loaded, CSRF cookie set: as measured
        profile(f"cold GET {path}", lambda: get_ms(profiled, path, cold=True))
        profile(f"warm GET {path}", lambda: get_ms(profiled, path, cold=False))

    http, workers = ({}, 0)
    if HTTP_ROUNDS:
        http, workers = measure_http(
            [row["path"] for row in rows] + [p for p, _ in seeded.values()]
        )

    seed_returning_guests(SIZES)
    posts = {}
    for size, (_path, thread_article) in seeded.items():
        posts[size] = {
            kind: measure_posts(thread_article, size, kind) for kind in ("new", "returning")
        }
    if PROFILE and SIZES:
        size = max(SIZES)
        thread_article = seeded[size][1]
        url = f"/comments/post/{thread_article.pk}/"
        profiled = Client()
        profiled.get(url)  # loads the middleware (a 405)
        for kind in ("new", "returning"):
            data = post_data(thread_article, kind, PROFILE_INDEX, size)
            address = network()
            profiled.cookies.clear()
            profile(
                f"POST {url} ({kind} guest)",
                lambda d=data, a=address: profiled.post(url, d, **a),
            )

    cpu = machine()
    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}"
        f"{f' ({cpu})' if cpu else ''}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {connection.vendor}, DEBUG off. "
        f"Load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end "
        "(other work on the machine shows up as noise, mostly in the p95s)."
    )
    table = [
        f"In-process (Django test client), {ROUNDS} rounds per page.",
        "",
        "| page | median ms | p95 ms | SQL queries | bytes | gzip bytes |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| `{r['path']}` | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {r['queries']} "
            f"| {r['bytes']:,} | {r['gzip_bytes']:,} |"
            for r in rows
        ),
    ]
    thread_table = [
        "## Article page with a discussion (in-process)",
        "",
        f"`seed_thread --comments N` (one page shows up to 50 threads with all their replies). "
        f"Cold: the Django cache cleared before each request ({COLD_ROUNDS} rounds); "
        f"warm: the rendered thread cached ({ROUNDS} rounds). Bytes as rendered; gzip "
        "bytes: what a browser that accepts gzip receives."
        + (" PostgreSQL: ANALYZE ran after seeding." if analyzed else ""),
        "",
        "| comments | cold median ms | cold p95 ms | warm median ms | warm p95 ms "
        "| SQL queries cold / warm | bytes | gzip bytes |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {size:,} | {ms(t['cold'])} | {ms(t['warm'])} | "
            f"{t['cold_queries']} / {t['warm_queries']} | {t['bytes']:,} | {t['gzip_bytes']:,} |"
            for size, t in threads.items()
        ),
    ]
    http_table = []
    if http:
        names = {p: f"{size:,} comments" for size, (p, _) in seeded.items()}
        http_table = [
            "## Over HTTP (gunicorn)",
            "",
            f"gunicorn as `make serve` starts it ({workers} sync workers, DEBUG off, "
            f"127.0.0.1, var/bench), {HTTP_ROUNDS} sequential requests per page, one "
            "connection each, timed from connecting to the last byte. Cold: "
            "CACHE_URL=dummy:// (nothing cached); warm: the per-worker locmem cache, "
            "after warming every worker. The timed requests ask for no compression; gzip "
            "bytes: the body on the wire for `Accept-Encoding: gzip` (warm server).",
            "",
            "| page | cold median ms | cold p95 ms | warm median ms | warm p95 ms | gzip bytes |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            *(
                f"| {names.get(path, f'`{path}`')} | {ms(r['cold'])} | {ms(r['warm'])} "
                f"| {r['gzip_bytes']:,} |"
                for path, r in http.items()
            ),
        ]
    post_table = [
        "## Posting a comment (in-process)",
        "",
        f"POST /comments/post/<id>/ through the test client as a guest, with a fresh form "
        f"token and a fresh client each time; only the POST is timed ({POST_ROUNDS} per row). "
        "New guest: held for moderation. Returning guest (approved before): published, "
        "refreshes the article's count and comment version. The moderation rules run at the "
        "site's settings: each post by a guest of its own, from a /24 of its own "
        f"(REMOTE_ADDR), with a form token issued {READ_SECONDS} s before. Tasks run "
        "immediately (TASKS_BACKEND immediate), so a held comment's email to the "
        "moderators, if any, is part of the timed request.",
        "",
        "| comments | guest | median ms | p95 ms | SQL queries |",
        "| ---: | --- | ---: | ---: | ---: |",
        *(
            f"| {size:,} | {kind} | {ms(r['times'])} | {r['queries']} |"
            for size, kinds in posts.items()
            for kind, r in kinds.items()
        ),
    ]
    targets = ["## Targets", "", *verdicts(threads, posts)]
    elapsed = time.perf_counter() - started
    body = [
        "# Benchmark results",
        "",
        header,
        "",
        *table,
        "",
        *thread_table,
        "",
        *http_table,
        *([""] if http_table else []),
        *post_table,
        "",
        *targets,
        "",
        f"bench/run.py took {elapsed:.0f} s.",
    ]
    text = "\n".join(body) + "\n"
    # Keep the sections that bench/concurrent_post.py and bench/spam_run.py wrote.
    previous = RESULTS.read_text() if RESULTS.exists() else ""
    kept = kept_sections(previous, CONCURRENCY_PREFIX) + kept_sections(previous, SPAM_PREFIX)
    RESULTS.write_text(text + "".join(f"\n{section}\n" for section in kept))
    print(text)


if __name__ == "__main__":
    main()
