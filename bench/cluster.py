"""The cluster of `make cluster` under wrk: one gunicorn alone, nginx to one app server, nginx to two.

    .venv/bin/python bench/cluster.py        # or `make bench-cluster` (installs redis, nginx, wrk)

It starts a cluster of its own with .ci/cluster.sh (CLUSTER_DIR=var/bench-cluster, wiped
first; a free port; CLUSTER_SEED=0; two app servers of 2 gunicorn workers each, PostgreSQL,
Redis, the worker, cron and nginx), seeds one article with `seed_thread --comments 1000`,
and runs `wrk -t2 -c8 -d${BENCH_CLUSTER_SECONDS:-10}s --latency` against three targets in
turn: app1's gunicorn straight (the single-server figure), nginx with `cluster.sh route 1`
and nginx with `route 2`. The cluster is stopped at the end, also on failure or Ctrl-C.

1. The article's first page as a reader gets it (gzip accepted), after a 2 s warm-up.
2. Posting a comment: bench/cluster_post.lua sends, request after request, a form prepared
   here, each with the CSRF cookie and token of one earlier visit, a form token minted like
   bench/concurrent_post.py's (`new_token(article_id, issued=now - 30 s)`, as if the page had
   been open half a minute), a text of its own and a guest of its own (new guests, so the
   comments are held for moderation, as most guests' first comments are).
   Every post comes from 127.0.0.1 (nginx replaces X-Forwarded-For), so the site setting
   "comments a minute" (5 per network) is raised to 32767 for the run, through the site
   settings, so the same rules run on every post as in production (the cluster is thrown
   away afterwards).
   Afterwards every 302 must point at a comment of this run, no two 302s at the same one,
   no text stored twice, and at most one comment per connection stored without its 302
   (a post still in flight when wrk stopped); otherwise the bench fails.

Printed and saved to bench/results.md as "## Cluster": target, app servers, req/s, p50, p99
and errors (non-2xx/3xx answers and socket errors), beside the machine and load average.
Exits 1 on any error in a run or a failed check. About 2 to 3 minutes with the defaults.
Knobs: BENCH_CLUSTER_SECONDS (10), BENCH_CLUSTER_DIR (var/bench-cluster).
"""

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402
    HOST,
    CookieJar,
    free_port,
    hidden_field,
    machine,
    request,
    save_section,
)

SECONDS = int(os.environ.get("BENCH_CLUSTER_SECONDS") or 10)
CLUSTER_DIR = Path(os.environ.get("BENCH_CLUSTER_DIR") or ROOT / "var" / "bench-cluster")
CLUSTER = ROOT / ".ci" / "cluster.sh"
LUA = ROOT / "bench" / "cluster_post.lua"
THREADS, CONNECTIONS = 2, 8
POSTS_PER_SECOND = 400  # prepared per wrk thread and second: well above what 2 cores post
RAISED_RATE_LIMIT = 32767  # the field's largest value
READ_SECONDS = 30
RUN = uuid.uuid4().hex[:8]


def cluster(*args: str, env: dict | None = None) -> None:
    """`.ci/cluster.sh ARGS` for the bench's cluster; its output goes to ours."""
    subprocess.run(  # noqa: S603 (the project's own script)
        ["bash", str(CLUSTER), *args],  # noqa: S607
        env={**os.environ, "CLUSTER_DIR": str(CLUSTER_DIR), **(env or {})},
        cwd=ROOT,
        check=True,
    )


def cluster_env() -> dict[str, str]:
    """What CLUSTER_DIR/env exports (the app servers' environment)."""
    out = subprocess.run(  # noqa: S603
        ["bash", "-c", f'source "{CLUSTER_DIR}/env" && env -0'],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout.decode()
    return dict(item.split("=", 1) for item in out.split("\0") if "=" in item)


def wipe() -> None:
    """Stop and remove what an earlier run left, so every run starts from an empty database."""
    if (CLUSTER_DIR / "env").exists():
        pgdata = cluster_env().get("CLUSTER_PGDATA", "")
        cluster("down")
        if pgdata and not pgdata.startswith(str(CLUSTER_DIR)):
            shutil.rmtree(pgdata, ignore_errors=True)
    shutil.rmtree(CLUSTER_DIR, ignore_errors=True)


def seconds(text: str) -> float:
    """wrk's '1.23ms', '456.00us', '1.02s' or '2.00m' in milliseconds."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not found:
        raise SystemExit(f"wrk printed a latency I cannot read: {text!r}")
    factor = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[found.group(2)]
    return float(found.group(1)) * factor


def wrk(url: str, duration: int, *options: str, script_args: tuple = ()) -> dict:
    """Run wrk; its req/s, p50 and p99 in ms, errors (described), and its whole output."""
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency"]
    done = subprocess.run(  # noqa: S603 (wrk from the system)
        [*command, *options, url, *script_args],
        capture_output=True,
        text=True,
        check=False,
    )
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{out}{done.stderr}")
    errors = []
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors.append(f"{found.group(1)} non-2xx/3xx")
    if found := re.search(r"Socket errors: (.*)", out):
        errors.append(f"socket errors: {found.group(1).strip()}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": seconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": errors,
        "output": out,
    }


def visit(port: int, path: str) -> tuple[CookieJar, str]:
    """One reader's visit to the article: their CSRF cookie and the form's CSRF token."""
    jar = CookieJar()
    status, message, body = request(port, "GET", path)
    jar.update(message)
    csrf = hidden_field(body.decode(), "csrfmiddlewaretoken")
    if status != 200 or not csrf or "csrftoken" not in jar.values:
        raise SystemExit(f"GET {path} gave no comment form ({status})")
    return jar, csrf


def prepare_posts(prefix: Path, label: str, port: int, path: str, article_id: int) -> int:
    """Write the forms wrk will post (one file per wrk thread); how many per thread."""
    from forum.comments.forms import new_token

    jar, csrf = visit(port, path)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://{HOST}:{port}",
        "Referer": f"http://{HOST}:{port}{path}",
        "Accept-Encoding": "gzip",
        **jar.header(),
    }
    header_text = "\x1f".join(f"{name}: {value}" for name, value in headers.items())
    action = f"/comments/post/{article_id}/"
    count = POSTS_PER_SECOND * SECONDS
    issued = time.time() - READ_SECONDS
    for thread in range(1, THREADS + 1):
        lines = []
        for n in range(count):
            who = f"{label}-{thread}-{n}"
            fields = {
                "body": f"Cluster bench {RUN} {who}: the grain holds up at 3200 once it is "
                "developed a little longer.",
                "name": f"Bench Reader {who}",
                "email": f"bench.reader.{who}.{RUN}@example.net",
                "website": "",
                "parent": "",
                "token": new_token(article_id, issued=issued),
                "csrfmiddlewaretoken": csrf,
            }
            lines.append(f"{action}\t{header_text}\t{urlencode(fields)}")
        Path(f"{prefix}.{thread}").write_text("\n".join(lines) + "\n")
    return count


def check_posts(label: str, wrk_output: str, problems: list[str]) -> str:
    """Compare wrk's 302s with the comments stored; a sentence for the results."""
    from django.db.models import Count

    from forum.comments.models import Comment

    time.sleep(1)  # the posts in flight when wrk stopped
    ids, sent, refused = [], 0, 0
    for line in re.findall(r"^posted (\d+) (\d+) (\d+) (\d+) ?([\d,]*)$", wrk_output, re.M):
        _, thread_sent, prepared, thread_refused, thread_ids = line
        sent += int(thread_sent)
        refused += int(thread_refused)
        ids += [int(i) for i in thread_ids.split(",") if i]
        if int(thread_sent) > int(prepared):
            problems.append(f"{label}: a wrk thread ran out of prepared posts")
    stored = Comment.objects.filter(body__startswith=f"Cluster bench {RUN} {label}-")
    by_id = dict(stored.values_list("pk", "body"))
    doubled = stored.values("body").annotate(n=Count("pk")).filter(n__gt=1).count()
    if len(set(ids)) != len(ids):
        problems.append(f"{label}: {len(ids) - len(set(ids))} 302s pointed at the same comment")
    if strays := [i for i in ids if i not in by_id]:
        problems.append(f"{label}: {len(strays)} 302s pointed at no comment of this run")
    if doubled:
        problems.append(f"{label}: {doubled} texts stored twice")
    unanswered = len(by_id) - len(set(ids) & set(by_id))
    if unanswered > CONNECTIONS:
        problems.append(f"{label}: {unanswered} comments stored without a 302")
    if refused:
        problems.append(f"{label}: {refused} posts answered without a 302 to a comment")
    return (
        f"{label}: {len(ids)} posts answered 302, {len(by_id)} comments stored "
        f"({unanswered} still in flight when wrk stopped), {doubled or 'none'} twice"
    )


def raise_rate_limit() -> int:
    """Raise "comments a minute" (per network) for the run; its earlier value."""
    from forum.site_settings.models import SiteSettings

    current = SiteSettings.current()
    before = current.rate_limit
    current.rate_limit = RAISED_RATE_LIMIT
    current.save(update_fields=["rate_limit"])
    return before


def measure(env: dict, path: str, article_id: int, problems: list[str]) -> tuple[list, list]:
    app1 = int(env["CLUSTER_APP_PORTS"].split()[0])
    edge = int(env["CLUSTER_PORT"])
    targets = [
        ("gunicorn app1 straight", 1, app1, None),
        ("nginx", 1, edge, "1"),
        ("nginx", 2, edge, "2"),
    ]
    rows, notes = [], []
    work = CLUSTER_DIR / "wrk"
    work.mkdir(exist_ok=True)
    for target, servers, port, route in targets:
        if route:
            cluster("route", route)
        url = f"http://{HOST}:{port}"
        gzip = ("-H", "Accept-Encoding: gzip")
        wrk(url + path, 2, *gzip)  # warm-up: the workers' first requests, the cache filled
        page = wrk(url + path, SECONDS, *gzip)
        label = f"{'app1' if not route else 'nginx' + route}"
        prepare_posts(work / label, label, port, path, article_id)
        post = wrk(url + "/", SECONDS, "-s", str(LUA), script_args=(str(work / label),))
        notes.append(check_posts(label, post["output"], problems))
        for what, result in (("article page (gzip)", page), ("post a comment", post)):
            if result["errors"]:
                problems.append(f"{what}, {target} to {servers}: {', '.join(result['errors'])}")
            rows.append({"what": what, "target": target, "servers": servers, **result})
        print(f"{target} ({servers}): page {page['rps']:.0f} req/s, posts {post['rps']:.0f} req/s")
    rows.sort(key=lambda row: row["what"])
    return rows, notes


def main() -> int:
    started = time.strftime("%Y-%m-%d %H:%M")
    port = free_port()
    wipe()
    try:
        cluster("up", env={"PORT": str(port), "CLUSTER_SEED": "0"})
        env = cluster_env()
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
        import django

        django.setup()
        from forum.articles.models import Article

        seeded = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "seed_thread", "--comments", "1000"],
            env={**os.environ},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        path = seeded.strip().splitlines()[-1]
        article = Article.objects.latest("pk")  # the only one: the cluster starts empty
        if article.get_absolute_url() != path:
            raise SystemExit(f"seed_thread printed {path!r}, not the article's path")
        before = raise_rate_limit()
        problems: list[str] = []
        load = os.getloadavg()[0]
        rows, notes = measure(env, path, article.pk, problems)
        load_after = os.getloadavg()[0]
    finally:
        cluster("down")
    cpu = machine()
    lines = [
        "## Cluster",
        "",
        f"Measured {started} by bench/cluster.py on {os.cpu_count()} cores"
        f"{f' ({cpu})' if cpu else ''}, load average {load:.2f} before and {load_after:.2f} "
        f"after: `wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s --latency` against the cluster "
        "of .ci/cluster.sh (PostgreSQL, Redis, app servers of 2 gunicorn workers, the worker, "
        "cron, nginx) with one article of 1,000 comments: its first page with gzip accepted "
        "(after a 2 s warm-up), and posting a comment (bench/cluster_post.lua: each request a "
        "new guest's form with a token minted as if shown 30 s before; held for moderation). "
        f'All posts come from 127.0.0.1, so for the run "comments a minute" per network was '
        f"raised from {before} to {RAISED_RATE_LIMIT} in the site settings; every other rule "
        "ran as in production.",
        "",
        "| request | target | app servers | req/s | p50 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
        *(
            f"| {r['what']} | {r['target']} | {r['servers']} | {r['rps']:.0f} | "
            f"{r['p50']:.1f} | {r['p99']:.1f} | {', '.join(r['errors']) or 'none'} |"
            for r in rows
        ),
        "",
        f"Posts checked: {'; '.join(notes)}.",
        "",
        "On this machine wrk, nginx, both app servers, PostgreSQL and Redis share the same "
        f"{os.cpu_count()} cores, so a second app server cannot double throughput here (its "
        "workers take turns on the same cores), and rows differ by what else the machine was "
        "doing (the load average above) as much as by the topology. What two app servers give "
        "on one machine is failover: one killed, nginx sends its requests to the other (see "
        "tests/cluster).",
    ]
    if problems:
        lines += ["", "Problems:", *(f"- {p}" for p in problems[:20])]
    section = "\n".join(lines)
    print()
    print(section)
    save_section(lines[0], section)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
