"""Guests posting comments at the same time through gunicorn; fails on lost or doubled posts.

    .venv/bin/python bench/concurrent_post.py                     # SQLite, var/bench-concurrency
    .ci/postgres.sh .venv/bin/python bench/concurrent_post.py     # PostgreSQL (DATABASE_URL)
    make bench-concurrency                                         # both, one after the other

It migrates a fresh database (SQLite: var/bench-concurrency/db.sqlite3, deleted first;
otherwise the database DATABASE_URL names), seeds one article with `seed_thread --comments
10`, starts gunicorn as `make serve` does (DEBUG off, 3 workers, a free 127.0.0.1 port),
and lets BENCH_POSTERS (8) guests post BENCH_POSTS (50) comments each, in parallel
threads. Each post is what a browser does: GET the article page, take the csrftoken
cookie and the form, POST the form with a unique body, expect 302. Every other poster
is a returning guest, with a comment approved before, so their comments are published at
once and each post also refreshes the article's comment count and version; the others'
are held for moderation.

The moderation rules run at their defaults (5 comments a minute per network, 15 s between
two comments of one commenter, forms at least 3 s old), so the posts are what many readers
would send, not one reader posting 50 times in a minute: gunicorn runs with
DJANGO_PROXY_HOPS=1 and every post comes from a network of its own (an X-Forwarded-For
address in 10.0.0.0/8, one /24 each; the connection itself stays on 127.0.0.1), is signed
by a guest of its own (a name and email per post; the returning ones each have an approved
comment on a second seeded article), and carries a form token minted in this process with
`new_token(article_id, issued=now - 30 s)`, as if the page had been open for half a minute,
in place of the page's fresh one. So every post runs all the rules, as in production, and
is published or held exactly as before the rules existed.

Then each guest posts one more form twice at the same moment (the same token from two
threads, one address), which must store one comment and answer 302 to both.

Checks, each a reason to exit 1: every request answered (no errors, no timeouts), no 500,
every post a 302, every body stored exactly once, every returning guest's comment published
and every new guest's held, the article's comment_count equal to its approved comments and
its comment_version moved on exactly once per published post, and no "database is
locked", traceback or worker timeout in the server's log. The summary is
printed and written to bench/results.md as the section "## Concurrent posting on <db>".

Bounded: at most POSTERS x POSTS posts, 30 s per request, no new post after
BENCH_CONCURRENCY_DEADLINE seconds (240). Loopback only.
"""

import contextlib
import os
import re
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402
    HOST,
    CookieJar,
    Gunicorn,
    form_errors,
    hidden_field,
    machine,
    request,
    save_section,
    serve_env,
    summary,
)

POSTERS = int(os.environ.get("BENCH_POSTERS") or 8)
POSTS = int(os.environ.get("BENCH_POSTS") or 50)
DEADLINE_SECONDS = float(os.environ.get("BENCH_CONCURRENCY_DEADLINE") or 240)
VAR_DIR = ROOT / "var" / "bench-concurrency"
RUN = uuid.uuid4().hex[:8]  # tells this run's comments from an earlier run's on a reused DB
LOG_PROBLEMS = ("database is locked", "Traceback", "Internal Server Error", "WORKER TIMEOUT")


def prepare_environment() -> dict:
    env = serve_env(VAR_DIR, DJANGO_PROXY_HOPS="1")  # readers' addresses from X-Forwarded-For
    if not env.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (VAR_DIR / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.update(env)  # this process reads and checks the same database
    return env


ENV = prepare_environment()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.utils import timezone  # noqa: E402

from forum.articles.models import Article  # noqa: E402
from forum.comments.forms import new_token  # noqa: E402
from forum.comments.models import Comment  # noqa: E402
from forum.core.html import render_comment  # noqa: E402

READ_SECONDS = 30  # how long before posting each form was "shown" (the minted token says so)


def database_label() -> tuple[str, str]:
    """('SQLite', 'SQLite 3.46.1 at …') or the PostgreSQL twin."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("select current_setting('server_version')")
            name = "PostgreSQL"
        else:
            cursor.execute("select sqlite_version()")
            name = "SQLite"
        version = cursor.fetchone()[0]
    where = connection.settings_dict["HOST"] or connection.settings_dict["NAME"]
    with contextlib.suppress(ValueError):
        where = str(Path(where).relative_to(ROOT))
    return name, f"{name} {version} at {where}"


def identity(poster: int, post: int | str) -> dict:
    """A guest of their own for every post (`post` is its number, or "double"): one guest
    posting 50 times in a minute would be stopped by the flood and rate rules."""
    return {
        "name": f"Bench Poster {poster}-{post}",
        "email": f"bench.poster.{poster}.{post}.{RUN}@example.net",
    }


def address(poster: int, post: int | str) -> str:
    """A network (/24) of its own for every post, sent as X-Forwarded-For."""
    n = poster * (POSTS + 1) + (POSTS if post == "double" else post) + 1
    return f"10.{(n >> 8) & 255}.{n & 255}.{1 + n % 254}"


def returning(poster: int) -> bool:
    return poster % 2 == 0


def seed() -> Article:
    from io import StringIO

    def thread(comments: int, seed: int) -> Article:
        out = StringIO()
        call_command("seed_thread", comments=comments, seed=seed, stdout=out)
        path = out.getvalue().strip().splitlines()[-1]
        return Article.objects.get(slug=path.rstrip("/").rsplit("/", 1)[-1])

    article = thread(10, seed=1)
    # The returning guests' earlier comments are on another article, except one per
    # returning poster (their double-submit guest's), so the measured page is the one it
    # was when a single guest per poster posted all 50: 10 seeded comments and 4 earlier ones.
    elsewhere = thread(0, seed=2)
    # Days ago: a comment of the same guest within the last minutes would trip the flood rule.
    written = timezone.now() - timedelta(days=3)
    body = "An earlier comment, approved."
    earlier = []
    for poster in range(POSTERS):
        if returning(poster):  # an approved comment before: their next ones are published
            for post in [*range(POSTS), "double"]:
                earlier.append(
                    Comment(
                        article=article if post == "double" else elsewhere,
                        body=body,
                        body_html=render_comment(body),
                        status=Comment.Status.APPROVED,
                        status_reasons=["bench: approved before"],
                        created=written,
                        **identity(poster, post),
                    )
                )
    Comment.objects.bulk_create(earlier, batch_size=500)
    for target in (article, elsewhere):
        Comment.objects.filter(article=target, parent=None).update(thread_id=F("pk"))
        Comment.objects.refresh_article(target.pk)
    article.refresh_from_db()
    return article


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.posts: list[dict] = []  # one per attempted post
        self.get_ms: list[float] = []
        self.post_ms: list[float] = []
        self.statuses: Counter = Counter()  # "GET 200", "POST 302", "POST error", …
        self.problems: list[str] = []

    def add(self, **record) -> None:
        with self.lock:
            self.posts.append(record)

    def status(self, method: str, status, elapsed: float | None = None) -> None:
        with self.lock:
            self.statuses[f"{method} {status}"] += 1
            if elapsed is not None:
                (self.get_ms if method == "GET" else self.post_ms).append(elapsed)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)


def fetch_form(port: int, path: str, jar: CookieJar, results: Results, who: str, ip: str):
    """GET the article page as this browser, from `ip`; (action, form fields) or None.

    The form's token is replaced by one minted here as if the page had been open for
    READ_SECONDS: posting the page's own token at once is what robots do, and is refused.
    """
    start = time.perf_counter()
    try:
        status, message, body = request(
            port, "GET", path, headers={"X-Forwarded-For": ip, **jar.header()}
        )
    except OSError as error:
        results.status("GET", "error")
        results.problem(f"{who}: GET {path}: {error!r}")
        return None
    results.status("GET", status, (time.perf_counter() - start) * 1000)
    jar.update(message)
    if status != 200:
        results.problem(f"{who}: GET {path} answered {status}")
        return None
    html = body.decode()
    token = hidden_field(html, "token")
    csrf = hidden_field(html, "csrfmiddlewaretoken")
    found = re.search(r'<form\b[^>]*\baction="(/comments/post/(\d+)/)"', html)
    action = found.group(1) if found else None
    if not (token and csrf and action and "csrftoken" in jar.values):
        results.problem(f"{who}: the page had no comment form, token or CSRF cookie")
        return None
    token = new_token(int(found.group(2)), issued=time.time() - READ_SECONDS)
    return action, {"token": token, "csrfmiddlewaretoken": csrf}


def send_post(port: int, path: str, action: str, fields: dict, jar_header: dict, ip: str):
    """POST the form from `ip`; (status, Location, Set-Cookie message, ms) or raises OSError.

    Instead of a Location, a form that came back (200) gives the messages on it."""
    headers = {
        "X-Forwarded-For": ip,
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://{HOST}:{port}",
        "Referer": f"http://{HOST}:{port}{path}",
        "User-Agent": "bench/concurrent_post.py",
        **jar_header,
    }
    start = time.perf_counter()
    status, message, body = request(
        port, "POST", action, body=urlencode(fields).encode(), headers=headers
    )
    elapsed = (time.perf_counter() - start) * 1000
    where = message.get("Location", "") or " | ".join(form_errors(body.decode(errors="replace")))
    return status, where, message, elapsed


def form_fields(poster: int, post: int | str, body: str, hidden: dict) -> dict:
    return {"body": body, **identity(poster, post), "website": "", "parent": "", **hidden}


def poster_run(poster: int, port: int, path: str, deadline: float, results: Results) -> None:
    jar = CookieJar()  # one browser per guest; it keeps its cookies between posts
    for index in range(POSTS):
        body = f"Concurrent post {RUN} poster {poster} #{index}: metered off the grey card."
        if time.monotonic() > deadline:
            results.add(poster=poster, body=body, status="not sent (deadline)")
            continue
        who = f"poster {poster} #{index}"
        ip = address(poster, index)
        form = fetch_form(port, path, jar, results, who, ip)
        if form is None:
            results.add(poster=poster, body=body, status="no form")
            continue
        action, hidden = form
        try:
            status, location, message, elapsed = send_post(
                port, path, action, form_fields(poster, index, body, hidden), jar.header(), ip
            )
        except OSError as error:
            results.status("POST", "error")
            results.problem(f"{who}: POST {action}: {error!r}")
            results.add(poster=poster, body=body, status="error")
            continue
        results.status("POST", status, elapsed)
        jar.update(message)
        if status != 302 or "#comment-" not in location:
            results.problem(f"{who}: POST answered {status} ({location!r})")
        results.add(poster=poster, body=body, status=status)


def double_submit(poster: int, port: int, path: str, results: Results) -> None:
    """The same form (same token) posted from two threads at once: one comment, two 302s."""
    jar = CookieJar()
    body = f"Concurrent post {RUN} poster {poster} double: posted twice, stored once."
    ip = address(poster, "double")
    form = fetch_form(port, path, jar, results, f"poster {poster} double", ip)
    if form is None:
        results.add(poster=poster, body=body, status="no form", double=True)
        return
    action, hidden = form
    fields = form_fields(poster, "double", body, hidden)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        barrier.wait()
        try:
            status, location, _, elapsed = send_post(port, path, action, fields, jar.header(), ip)
            outcomes.append((status, location))
            results.status("POST", status, elapsed)
        except OSError as error:
            outcomes.append(("error", repr(error)))
            results.status("POST", "error")

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = [status for status, _ in outcomes]
    same = statuses == [302, 302] and len({loc for _, loc in outcomes}) == 1
    if not same:
        results.problem(f"poster {poster} double submit: {outcomes}")
    stored = 302 if 302 in statuses else f"no 302: {statuses}"  # a 302: the comment is stored
    results.add(poster=poster, body=body, status=stored, double=True, same=same)


def run_phase(target, port: int, path: str, results: Results, **kwargs) -> float:
    threads = [
        threading.Thread(target=target, args=(p, port, path), kwargs={"results": results, **kwargs})
        for p in range(POSTERS)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE_SECONDS + 60)
        if thread.is_alive():
            results.problem("a poster thread did not finish in time")
    return time.perf_counter() - start


def check_database(article_pk: int, results: Results, version_before: int) -> dict:
    expected = [record["body"] for record in results.posts if isinstance(record["status"], int)]
    stored = dict(
        Comment.objects.filter(body__startswith=f"Concurrent post {RUN} ")
        .values_list("body")
        .annotate(n=Count("pk"))
    )
    missing = [body for body in expected if body not in stored]
    doubled = {body: n for body, n in stored.items() if n > 1}
    unexpected = [body for body in stored if body not in set(expected)]
    for body in missing[:5]:
        results.problem(f"not stored: {body!r}")
    for body, n in list(doubled.items())[:5]:
        results.problem(f"stored {n} times: {body!r}")
    for body in unexpected[:5]:
        results.problem(f"stored without a 302 to show for it: {body!r}")
    statuses = dict(
        Comment.objects.filter(body__startswith=f"Concurrent post {RUN} ").values_list(
            "body", "status"
        )
    )
    misjudged = [
        (record, statuses[record["body"]])
        for record in results.posts
        if record["body"] in statuses
        and statuses[record["body"]]
        != (Comment.Status.APPROVED if returning(record["poster"]) else Comment.Status.PENDING)
    ]
    for record, status in misjudged[:5]:
        kind = "returning" if returning(record["poster"]) else "new"
        results.problem(f"a {kind} guest's comment is {status}: {record['body']!r}")
    article = Article.objects.get(pk=article_pk)
    approved = Comment.objects.filter(article=article, status=Comment.Status.APPROVED).count()
    published = Comment.objects.filter(
        body__startswith=f"Concurrent post {RUN} ", status=Comment.Status.APPROVED
    ).count()
    held = Comment.objects.filter(
        body__startswith=f"Concurrent post {RUN} ", status=Comment.Status.PENDING
    ).count()
    if article.comment_count != approved:
        results.problem(
            f"the article's comment_count is {article.comment_count} but {approved} of its "
            "comments are approved (a concurrent publish's count was overwritten)"
        )
    if article.comment_version != version_before + published:
        results.problem(
            f"comment_version moved {article.comment_version - version_before} times "
            f"for {published} published comments"
        )
    return {
        "expected": len(expected),
        "stored_once": sum(1 for body in expected if stored.get(body) == 1),
        "missing": len(missing),
        "doubled": len(doubled),
        "published": published,
        "held": held,
    }


def main() -> int:
    started = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    db_name, db_label = database_label()
    article = seed()
    path = article.get_absolute_url()
    version_before = article.comment_version
    log = VAR_DIR / f"gunicorn-{db_name.lower()}.log"
    connection.close()  # the server has the database to itself until the checks
    print(f"{db_label}; article {path}; {POSTERS} guests × {POSTS} comments; run {RUN}")

    results = Results()
    doubles = Results()
    with Gunicorn(ENV, log) as server:
        print(f"gunicorn: {server.workers} workers on {HOST}:{server.port}, log {log}")
        deadline = time.monotonic() + DEADLINE_SECONDS
        wall = run_phase(poster_run, server.port, path, results, deadline=deadline)
        run_phase(double_submit, server.port, path, doubles)
        time.sleep(0.5)  # let the workers write their last log lines
        log_text = server.log_text()
    combined = Results()
    for part in (results, doubles):
        combined.posts += part.posts
        combined.statuses += part.statuses
        combined.problems += part.problems
    checks = check_database(article.pk, combined, version_before)
    for problem in LOG_PROBLEMS:
        if (count := log_text.count(problem)) > 0:
            combined.problem(f'server log: {count} × "{problem}" (see {log})')

    sent = sum(1 for r in results.posts if isinstance(r["status"], int))
    post_302 = results.statuses.get("POST 302", 0)
    fives = sum(n for key, n in combined.statuses.items() if key.endswith(" 500"))
    post_median, post_p95 = summary(results.post_ms) if results.post_ms else (0, 0)
    get_median, get_p95 = summary(results.get_ms) if results.get_ms else (0, 0)
    ok = not combined.problems
    statuses = ", ".join(f"{key}: {n}" for key, n in sorted(combined.statuses.items()))
    lines = [
        f"## Concurrent posting on {db_name}",
        "",
        f"Measured {started} by bench/concurrent_post.py on {os.cpu_count()} cores"
        f"{f' ({machine()})' if machine() else ''}, load average {load:.2f}: gunicorn as "
        f"`make serve` starts it ({server.workers} sync workers, DEBUG off, 127.0.0.1) on "
        f"{db_label}, one article seeded with 10 comments. {POSTERS} posters at once, "
        f"{POSTS} comments each, every post after a GET of the page for the form and the "
        "CSRF cookie; half the posters are returning guests with a comment approved before "
        "(published at once, refreshing the article's count), the others are new (held). "
        "Moderation rules at their defaults (DJANGO_PROXY_HOPS=1): every post from a /24 of "
        "its own (X-Forwarded-For) by a guest of its own, with a form token minted as if "
        f"the page had been open {READ_SECONDS} s. Then each poster posts one form twice at "
        "the same moment (same token, same address).",
        "",
        "| posts | POST 302 | 500s | stored exactly once | published / held "
        "| POST median ms | POST p95 ms | GET median ms | GET p95 ms | posts/s | result |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {sent} of {POSTERS * POSTS} | {post_302} | {fives} | "
        f"{checks['stored_once']} of {checks['expected']} | "
        f"{checks['published']} / {checks['held']} | {post_median:.1f} | {post_p95:.1f} | "
        f"{get_median:.1f} | {get_p95:.1f} | {sent / wall:.1f} | {'pass' if ok else '**FAIL**'} |",
        "",
        f"All responses: {statuses}. Double submits: {len(doubles.posts)} forms posted twice "
        f"at once, {sum(1 for r in doubles.posts if r.get('same'))} answered 302 twice "
        "with the same comment. "
        f"Server log: {', '.join(f'{log_text.count(p)} × {p!r}' for p in LOG_PROBLEMS)}.",
    ]
    if combined.problems:
        lines += ["", "Problems:", *(f"- {p}" for p in combined.problems[:20])]
        if len(combined.problems) > 20:
            lines.append(f"- … and {len(combined.problems) - 20} more")
    section = "\n".join(lines)
    print()
    print(section)
    save_section(lines[0], section)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
