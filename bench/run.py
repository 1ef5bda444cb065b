"""Page benchmarks: render pages in-process and over HTTP; report time, SQL queries, size
(as rendered, and gzipped as a browser that accepts gzip receives it: bytes on the wire).

Run with `make bench` (which then runs bench/concurrent_post.py and bench/spam_run.py too,
see the Makefile). It uses its own database and media under var/bench/ (seeded with the demo
magazine and with `seed_thread --shape early` discussions of 1,000, 5,000 and 50,000
comments: about 20% top level, depth 5, each reply's parent drawn uniformly from the comments
already written one level up, so the oldest threads draw the most replies) and writes the
tables to bench/results.md as well as printing them, keeping the sections the other two
wrote there.

Measured, with DEBUG off:

- the home page and one demo article, in-process (Django's test client), as before;
- per discussion size, the article page in-process with a cold cache (the Django cache is
  cleared before every request, so the thread, the site settings and everything else are
  rebuilt) and warm (the rendered thread comes from the cache), with p95s, SQL queries
  and bytes; a row stops after BENCH_ROW_SECONDS once it has five rounds, so a slow page of
  50,000 comments does not hold the run for minutes;
- per size, the first page (how many comments its comment section holds, counted by
  `data-depth=`, and its bytes) and the whole discussion read cold by a reader without
  JavaScript: every page the "Show more comments" links and, where a page shows only a
  thread's first replies, the `more-replies` links lead to (their href), the cache cleared
  before each GET; the total time of those GETs and how many distinct comments they showed
  (N when every comment can be reached);
- the same pages over HTTP against gunicorn started as `make serve` starts it (3 workers,
  on a free 127.0.0.1 port, var/bench): cold with CACHE_URL=dummy:// (nothing is ever
  cached, the HTTP twin of clearing the cache before each request), warm with the usual
  per-worker locmem cache after a few warming requests. Requests are sequential, one
  connection each; the time is from connecting to the last byte. The timed requests send
  no Accept-Encoding (as before GZipMiddleware, so the times compare); one more request
  per page with `Accept-Encoding: gzip` gives the bytes on the wire. Only the sizes in
  BENCH_HTTP_SIZES (1,000 and 5,000): at 50,000 the warming requests alone would take
  minutes while a page is unbounded;
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
  any) runs inside the timed request;
- the first reader after a post: the first page is cached, a returning guest replies
  (published) to the discussion's first comment, in its oldest and busiest thread, and the
  next GET of the first page by another reader is timed.

Knobs (environment): BENCH_ROUNDS (200: home/article and warm pages), BENCH_COLD_ROUNDS
(100), BENCH_POST_ROUNDS (100 per kind of guest and size), BENCH_HTTP_ROUNDS (100; 0 skips
HTTP), BENCH_AFTER_POST_ROUNDS (30), BENCH_ROW_SECONDS (20), BENCH_THREAD_SIZES
(1000,5000,50000), BENCH_HTTP_SIZES (1000,5000; only those also in BENCH_THREAD_SIZES),
WORKERS (3), BENCH_PROFILE=1 (print cProfile summaries of a cold page and of posts),
DATABASE_URL (else SQLite in var/bench), BENCH_PG_ANALYZE (1: on PostgreSQL, ANALYZE after
seeding, as autovacuum would soon do).
"""

import cProfile
import io
import itertools
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

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


def sizes(name: str, default: str) -> list[int]:
    return [int(n) for n in (os.environ.get(name) or default).split(",") if n]


ROUNDS = knob("BENCH_ROUNDS", 200)
COLD_ROUNDS = knob("BENCH_COLD_ROUNDS", 100)
POST_ROUNDS = knob("BENCH_POST_ROUNDS", 100)
HTTP_ROUNDS = knob("BENCH_HTTP_ROUNDS", 100)
AFTER_ROUNDS = knob("BENCH_AFTER_POST_ROUNDS", 30)
ROW_SECONDS = knob("BENCH_ROW_SECONDS", 20)
MIN_ROUNDS = 5  # however slow a page, at least this many rounds for a median
SIZES = sizes("BENCH_THREAD_SIZES", "1000,5000,50000")
HTTP_SIZES = [size for size in sizes("BENCH_HTTP_SIZES", "1000,5000") if size in SIZES]
PROFILE = os.environ.get("BENCH_PROFILE", "") not in {"", "0"}
ANALYZE = os.environ.get("BENCH_PG_ANALYZE", "1") not in {"", "0"}
VAR_DIR = Path(settings.VAR_DIR)
CONCURRENCY_PREFIX = "## Concurrent posting"  # sections bench/concurrent_post.py writes
SPAM_PREFIX = "## Spam run"  # the section bench/spam_run.py writes
NEWSLETTER_PREFIX = "## Newsletter sending"  # sections bench/newsletter.py writes
DONATIONS_PREFIX = "## Donation webhooks"  # sections bench/donations.py writes
NOTIFICATIONS_PREFIX = "## Notifications"  # sections bench/notifications.py writes
IMPORT_PREFIX = "## WordPress import"  # sections bench/import_wp.py writes
CLUSTER_PREFIX = "## Cluster"  # sections bench/cluster.py writes
READ_SECONDS = 30  # how long before a post its form was shown (the token says so)
PROFILE_INDEX = 10_000  # the guest of the profiled posts
NETWORKS = itertools.count(1)  # one /24 per post
SEEDED_PREFIX = "reader-thread-"  # the slugs seed_thread gives its articles
GZIP = {"Accept-Encoding": "gzip, deflate, br"}  # what browsers send
SECTION = re.compile(r'<section id="comments".*?</section>', re.S)
COMMENT_TAG = re.compile(r'<article id="comment-(\d+)"[^>]*\bdata-depth=')
# The links that lead on through a discussion without JavaScript: the next page of threads
# ("Show more comments") and, where a page shows only a thread's first replies, the rest of
# that thread ("Show N more replies"): an element with the id or class, its first href.
MORE_LINKS = re.compile(r'<[^>]*\b(?:id="(show-more)"|class="[^"]*\b(more-replies)\b[^"]*")')
HREF = re.compile(r'\bhref="([^"]*)"')


def repeat(rounds: int, func) -> list[float]:
    """`func()` `rounds` times, or fewer (never under MIN_ROUNDS) once ROW_SECONDS have gone:
    a cold page of 50,000 comments would otherwise hold one row for minutes."""
    values = []
    deadline = time.perf_counter() + ROW_SECONDS
    for _ in range(rounds):
        values.append(func())
        if len(values) >= MIN_ROUNDS and time.perf_counter() > deadline:
            break
    return values


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
    call_command("seed_thread", comments=size, shape="early", stdout=out)
    path = out.getvalue().strip().splitlines()[-1]
    article = Article.objects.get(slug=path.rstrip("/").rsplit("/", 1)[-1])
    return path, article


def measure_thread(path: str) -> dict:
    client = Client()
    client.get(path)  # the CSRF cookie, as a returning browser has it
    cold = repeat(COLD_ROUNDS, lambda: get_ms(client, path, cold=True))
    client.get(path)
    warm = repeat(ROUNDS, lambda: get_ms(client, path, cold=False))
    cold_queries, size = queries_of(client, path, cold=True)
    warm_queries, _ = queries_of(client, path, cold=False)
    return {
        "cold": summary(cold),
        "warm": summary(warm),
        "rounds": (len(cold), len(warm)),
        "cold_queries": cold_queries,
        "warm_queries": warm_queries,
        "bytes": size,
        "gzip_bytes": gzip_bytes(client, path),
        "first_page_comments": len(page_comments(client.get(path).content.decode())),
    }


def page_comments(html: str) -> list[int]:
    """The comments (`data-depth=`) in the page's comment section, by id."""
    found = SECTION.search(html)
    return [int(pk) for pk in COMMENT_TAG.findall(found.group(0))] if found else []


def onward_links(html: str) -> list[tuple[str, str]]:
    """Where the page's "Show more comments" ("page") and "Show N more replies" ("thread")
    links lead without JavaScript: their href, path and query without the #fragment."""
    found = SECTION.search(html)
    links = []
    section = found.group(0) if found else ""
    for element in MORE_LINKS.finditer(section):
        if href := HREF.search(section, element.start(), element.start() + 2000):
            parts = urlsplit(unescape(href.group(1)))
            kind = "page" if element.group(1) else "thread"
            links.append((kind, parts.path + (f"?{parts.query}" if parts.query else "")))
    return links


def read_discussion(path: str) -> dict:
    """Read the whole discussion as a reader without JavaScript would, every page cold: each
    page of threads in turn ("Show more comments"), and from each page every thread it shows
    only in part ("Show N more replies", a page with that thread in full; the reader reads it
    and goes back, so its own links are not followed again). Only the GETs are timed; every
    comment counts once, however many pages show it."""
    client = Client()
    client.get(path)  # the CSRF cookie, as a returning browser has it
    queue, seen, comments = [("page", path)], {path}, set()
    elapsed = 0.0
    pages = threads = 0
    while queue:
        kind, url = queue.pop(0)
        cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        elapsed += time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        comments.update(page_comments(html))
        if kind == "thread":
            threads += 1
            continue
        pages += 1
        for link in onward_links(html):
            if link[1] not in seen:
                seen.add(link[1])
                queue.append(link)
    return {"pages": pages, "threads": threads, "comments": len(comments), "seconds": elapsed}


def guest(kind: str, index: int, size: int) -> dict:
    """A guest of their own for every post: a new one (held for moderation) or a returning
    one, with an approved comment (published at once). One guest posting a hundred times in
    seconds would be stopped by the flood and rate rules."""
    return {
        "name": f"Bench {kind.title()} Guest {size}-{index}",
        "email": f"bench.{kind}.{size}.{index}@example.net",
    }


def seed_returning_guests(sizes: list[int]) -> None:
    """An approved comment, days old, for every returning guest the posting rows use (and
    the "reader" guests whose replies the first reader after a post follows), on an article
    of its own (so the measured discussions keep their size)."""
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
                **guest(kind, index, size),
            )
            for size in sizes
            for kind, indices in (
                ("returning", [-1, *range(POST_ROUNDS + 1), PROFILE_INDEX]),
                ("reader", [-1, *range(AFTER_ROUNDS + 1)]),
            )
            for index in indices
        ],
        batch_size=500,
    )
    Comment.objects.filter(article=article).update(thread_id=F("pk"))
    Comment.objects.refresh_article(article.pk)


def post_data(article: Article, kind: str, index: int, size: int, parent="") -> dict:
    return {
        "body": f"Bench post {kind} {size}-{index}: the light meter agreed with the "
        "grey card this time, and the negatives scanned without correction.",
        **guest(kind, index, size),
        "website": "",
        "parent": parent,
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


def measure_after_post(path: str, article: Article, size: int) -> dict:
    """What the next reader pays after a post: the first page is read and cached, a returning
    guest replies to the discussion's first comment (published at once: a reply to the
    oldest thread, which draws the most replies), and another reader then asks for the first
    page. Only that GET is timed; its queries are counted once more at the end."""
    first = Comment.objects.filter(article=article, parent=None).order_by("pk").first()
    url = f"/comments/post/{article.pk}/"
    reader, poster = Client(), Client()
    reader.get(path)  # the CSRF cookie, as a returning browser has it
    poster.post(url, post_data(article, "reader", -1, size, first.pk), **network())  # loads it
    rounds = itertools.count()

    def one(*, count_queries: bool = False):
        reader.get(path)  # cached as any reader left it
        poster.cookies.clear()
        response = poster.post(
            url, post_data(article, "reader", next(rounds), size, first.pk), **network()
        )
        assert response.status_code == 302, (url, response.status_code, response.content[:500])
        if count_queries:
            with CaptureQueriesContext(connection) as queries:
                reader.get(path)
            return len(queries)
        return get_ms(reader, path, cold=False)

    timings = repeat(AFTER_ROUNDS, one)
    queries = one(count_queries=True)
    published = Comment.objects.filter(
        parent=first, body__startswith=f"Bench post reader {size}-", status=Comment.Status.APPROVED
    ).count()
    assert published == len(timings) + 2, (published, "replies published")
    return {"times": summary(timings), "rounds": len(timings), "queries": queries}


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
                times = repeat(HTTP_ROUNDS, lambda p=path: timed_get(server.port, p))
                results[path][state] = summary(times)
                results[path]["gzip_bytes"] = wire_bytes(server.port, path)
            workers = server.workers
    return results, workers


def git(*args: str) -> str:
    """The output of `git ARGS` in the repository ("" when git is missing or fails)."""
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def commit() -> str:
    """The commit measured, e.g. " at commit bf48cd9 (with uncommitted changes)"; "" outside
    a git checkout."""
    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return ""
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f" at commit {head}" + (" (with uncommitted changes)" if dirty else "")


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


def verdicts(threads: dict, posts: dict, reads: dict) -> list[str]:
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
    for kind, result in posts.get(5000, {}).items():
        median = result["times"][0]
        lines.append(
            f"- posting to 5,000 comments ({kind} guest), median under 10 ms: "
            f"{median:.2f} ms, {mark(median < 10)}."
        )
        if 50000 in posts:
            large = posts[50000][kind]["times"][0]
            lines.append(
                f"- posting to 50,000 comments ({kind} guest) no slower than to 5,000 (within "
                f"10%, the noise between two runs): {large:.2f} ms against {median:.2f} ms, "
                f"{mark(large <= median * 1.1)}."
            )
    for size, read in reads.items():
        lines.append(
            f"- {size:,} comments: every comment reachable from the first page without "
            f"JavaScript: {read['comments']:,} read, {mark(read['comments'] == size)}."
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

    seeded, seed_seconds = {}, {}
    for size in SIZES:
        start = time.perf_counter()
        seeded[size] = seed(size)
        seed_seconds[size] = time.perf_counter() - start
    analyzed = ANALYZE and connection.vendor == "postgresql"
    if analyzed:
        # Production tables have planner statistics (autovacuum analyzes them within a
        # minute or so); freshly bulk-loaded ones do not, and without them PostgreSQL 15
        # plans the thread query as a nested-loop semi join that grows with the square of
        # the comments (about 1.2 s cold at 5,000). BENCH_PG_ANALYZE=0 measures that case.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    threads = {size: measure_thread(path) for size, (path, _) in seeded.items()}
    reads = {size: read_discussion(path) for size, (path, _) in seeded.items()}
    thread_counts = {
        size: Comment.objects.filter(article=a, parent=None).count()
        for size, (_, a) in seeded.items()
    }
    if PROFILE and SIZES:
        path = seeded[max(SIZES)][0]
        profiled = Client()
        profiled.get(path)  # middleware loaded, CSRF cookie set: as measured
        profile(f"cold GET {path}", lambda: get_ms(profiled, path, cold=True))
        profile(f"warm GET {path}", lambda: get_ms(profiled, path, cold=False))

    http, workers = ({}, 0)
    if HTTP_ROUNDS:
        http, workers = measure_http(
            [row["path"] for row in rows] + [seeded[size][0] for size in HTTP_SIZES]
        )

    seed_returning_guests(SIZES)
    posts = {}
    for size, (_path, thread_article) in seeded.items():
        posts[size] = {
            kind: measure_posts(thread_article, size, kind) for kind in ("new", "returning")
        }
    after = {size: measure_after_post(path, a, size) for size, (path, a) in seeded.items()}
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
        f"Measured {time.strftime('%Y-%m-%d %H:%M')}{commit()} on {platform.machine()}"
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
        "`seed_thread --comments N --shape early` (about 20% top level, depth 5, each "
        "reply's parent drawn uniformly from the comments already written one level up, so "
        "the oldest threads draw the most replies), its first page. "
        f"Cold: the Django cache cleared before each request (up to {COLD_ROUNDS} rounds); "
        f"warm: the rendered thread cached (up to {ROUNDS} rounds); a row stops after "
        f"{ROW_SECONDS} s once it has {MIN_ROUNDS} rounds (BENCH_ROW_SECONDS). Bytes as "
        "rendered; gzip bytes: what a browser that accepts gzip receives."
        + (" PostgreSQL: ANALYZE ran after seeding." if analyzed else ""),
        "",
        "| comments | cold median ms | cold p95 ms | warm median ms | warm p95 ms "
        "| SQL queries cold / warm | bytes | gzip bytes | rounds cold / warm |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {size:,} | {ms(t['cold'])} | {ms(t['warm'])} | "
            f"{t['cold_queries']} / {t['warm_queries']} | {t['bytes']:,} | {t['gzip_bytes']:,} "
            f"| {t['rounds'][0]} / {t['rounds'][1]} |"
            for size, t in threads.items()
        ),
    ]
    long_table = [
        "## Long discussions (in-process)",
        "",
        "The same discussions. First page: the comments in its comment section (`data-depth=`) "
        "and its size. Whole discussion: a reader without JavaScript reads every page cold "
        '(the cache cleared before each GET): every page of threads ("Show more comments") '
        'and, from each, every thread it shows only in part ("Show N more replies", '
        "`more-replies`: the page again with that thread in full), by their href; the time "
        "is the GETs' alone, and each comment counts once however many pages show it (all N "
        "when nothing is out of reach). Seeding: `seed_thread` in-process.",
        "",
        "| comments | threads | first page comments | first page bytes | first page gzip bytes "
        "| pages read | threads opened | comments read | whole discussion cold s | seeded in s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {size:,} | {thread_counts[size]:,} | {t['first_page_comments']:,} "
            f"| {t['bytes']:,} | {t['gzip_bytes']:,} | {reads[size]['pages']:,} "
            f"| {reads[size]['threads']:,} | {reads[size]['comments']:,} "
            f"| {reads[size]['seconds']:.2f} "
            f"| {seed_seconds[size]:.1f} |"
            for size, t in threads.items()
        ),
    ]
    after_table = [
        "## First reader after a post (in-process)",
        "",
        "The first page is read (and cached); a returning guest replies to the discussion's "
        "first comment, in its oldest and busiest thread (published at once); then another "
        "reader GETs the first page: that GET is timed, the cost the next reader pays (up to "
        f"{AFTER_ROUNDS} rounds, {ROW_SECONDS} s a row after {MIN_ROUNDS}). SQL queries: of "
        "one such GET.",
        "",
        "| comments | median ms | p95 ms | SQL queries | rounds |",
        "| ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {size:,} | {ms(r['times'])} | {r['queries']} | {r['rounds']} |"
            for size, r in after.items()
        ),
    ]
    http_table = []
    if http:
        names = {p: f"{size:,} comments" for size, (p, _) in seeded.items()}
        http_table = [
            "## Over HTTP (gunicorn)",
            "",
            f"gunicorn as `make serve` starts it ({workers} sync workers, DEBUG off, "
            f"127.0.0.1, var/bench), up to {HTTP_ROUNDS} sequential requests per page "
            f"({ROW_SECONDS} s a row after {MIN_ROUNDS}), one "
            "connection each, timed from connecting to the last byte. Cold: "
            "CACHE_URL=dummy:// (nothing cached); warm: the per-worker locmem cache, "
            "after warming every worker. The timed requests ask for no compression; gzip "
            "bytes: the body on the wire for `Accept-Encoding: gzip` (warm server). Discussions "
            f"of {', '.join(f'{n:,}' for n in HTTP_SIZES) or 'no size'} comments only "
            "(BENCH_HTTP_SIZES).",
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
    targets = ["## Targets", "", *verdicts(threads, posts, reads)]
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
        *long_table,
        "",
        *http_table,
        *([""] if http_table else []),
        *post_table,
        "",
        *after_table,
        "",
        *targets,
        "",
        f"bench/run.py took {elapsed:.0f} s.",
    ]
    text = "\n".join(body) + "\n"
    # Keep the sections that bench/concurrent_post.py, spam_run.py, newsletter.py,
    # donations.py, notifications.py, import_wp.py and cluster.py wrote.
    previous = RESULTS.read_text() if RESULTS.exists() else ""
    kept = [
        section
        for prefix in (
            CONCURRENCY_PREFIX,
            SPAM_PREFIX,
            NEWSLETTER_PREFIX,
            DONATIONS_PREFIX,
            NOTIFICATIONS_PREFIX,
            IMPORT_PREFIX,
            CLUSTER_PREFIX,
        )
        for section in kept_sections(previous, prefix)
    ]
    RESULTS.write_text(text + "".join(f"\n{section}\n" for section in kept))
    print(text)


if __name__ == "__main__":
    main()
