"""Importing a WordPress magazine: `manage.py import_wordpress` on an export of 1,000 posts and
50,000 comments, and on one ten times that size: its time, its peak memory, and a re-run.

    .venv/bin/python bench/import_wp.py                     # SQLite, var/bench-import
    .ci/postgres.sh .venv/bin/python bench/import_wp.py     # PostgreSQL (DATABASE_URL)
    make bench-import                                        # both, one after the other

For each size of BENCH_IMPORT_SIZES ("posts:comments,...", default 1000:50000,10000:500000) the
export is written by bench/wxr.py (seed 1) into var/bench-import/, or the one written there
before is used again (its name carries the size, the seed and the generator's format). Each
size is imported into a fresh, migrated database with the settings of `make serve` (DEBUG off):
SQLite, var/bench-import/db.sqlite3, deleted first; on PostgreSQL, the schema bench_import of
DATABASE_URL's database, dropped and made again (nothing else of that database is touched),
with fsync and synchronous commits turned on first when the server runs without them (the
throw-away cluster of .ci/postgres.sh), as bench/donations.py does.

The command runs in a process of its own, as an editor runs it; the time is its wall clock
(Django's start-up included) and its CPU time (wait4(), the pool of processes it forks to
render comments included). Peak memory is what the command and its workers hold together: the
sum of their proportional set sizes (PSS, from /proc/PID/smaps_rollup, so pages a forked
worker shares with its parent are not counted twice), read every 0.1 s; the largest single
process (maxrss) is shown beside it. Neither migrate nor this script counts. Its progress bar
goes to var/bench-import/import-<db>-<posts>.log; its summary is printed.

Then the database is checked against what the generator wrote (bench.wxr.contents), each
difference a reason to exit 1: one article a post; comments by status (approved "1" → approved,
held "0" → pending, spam → spam, trash → removed; pingbacks skipped); every comment in its
WordPress parent's thread at depth min(WordPress depth, the site's reply depth limit), a reply
to a spam comment at the top of a thread of its own; no comment deeper than the limit; each
article's stored comment count equal to its approved comments. The first size is imported a
second time, the re-run: it must create nothing and leave every count as it was.

The table is printed and written to bench/results.md as "## WordPress import on <db>". It also
exits 1 if 50,000 comments or fewer take 60 s or more, or if any run's peak memory is 300 MB
or more. Knobs (environment): BENCH_IMPORT_SIZES; `make bench-import` gives the PostgreSQL
pass BENCH_IMPORT_PG_SIZES, the 1x size alone unless told otherwise (10x takes long there).
"""

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import wxr  # noqa: E402
from bench.server import machine, manage, save_section, serve_env  # noqa: E402

VAR_DIR = ROOT / "var" / "bench-import"
SEED = 1
SCHEMA = "bench_import"
TARGET_SECONDS = 60  # for 50,000 comments
TARGET_COMMENTS = 50_000
TARGET_MB = 300
SAMPLE = 0.1  # seconds between two readings of the importer's memory
SIZES = [
    tuple(int(n) for n in size.split(":"))
    for size in (os.environ.get("BENCH_IMPORT_SIZES") or "1000:50000,10000:500000").split(",")
]


def prepare_environment() -> dict:
    """`make serve`'s settings in var/bench-import; on PostgreSQL, a schema of our own."""
    env = serve_env(VAR_DIR, CACHE_URL="locmem://")
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        joiner = "&" if "?" in url else "?"
        env["DATABASE_URL"] = f"{url}{joiner}options=-c%20search_path%3D{SCHEMA}"
    os.environ.update(env)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return env


ENV = prepare_environment()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, F, Max, Q  # noqa: E402

from bench.database import database_label, production_durability  # noqa: E402
from forum.articles.models import Article  # noqa: E402
from forum.comments.models import Comment  # noqa: E402
from forum.site_settings.models import SiteSettings  # noqa: E402
from forum.wordpress.models import ImportedItem  # noqa: E402

STATUSES = {  # wp:comment_approved -> the status an imported comment gets
    "1": Comment.Status.APPROVED.value,
    "0": Comment.Status.PENDING.value,
    "spam": Comment.Status.SPAM.value,
    "trash": Comment.Status.REMOVED.value,
}


def export_file(posts: int, comments: int) -> tuple[Path, float | None]:
    """The export of this size, written now (with the seconds it took) or kept from before."""
    path = VAR_DIR / f"wxr-{posts}-{comments}-seed{SEED}-format{wxr.FORMAT}.xml"
    if path.is_file():
        return path, None
    partial = path.with_suffix(".part")
    started = time.perf_counter()
    wxr.write_wxr(partial, posts=posts, comments=comments, seed=SEED)
    partial.rename(path)  # an interrupted write is never taken for a whole file
    return path, time.perf_counter() - started


def fresh_database() -> None:
    """An empty database, migrated by `manage.py migrate` in a process of its own."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            (VAR_DIR / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    manage(ENV, "migrate", "--noinput", "-v", "0")


def descendants(root: int) -> list[int]:
    """`root` and every process below it, from the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue  # gone meanwhile
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, unvisited = [], [root]
    while unvisited:
        pid = unvisited.pop()
        found.append(pid)
        unvisited += children.get(pid, [])
    return found


def memory_mb(pids: list[int]) -> float:
    """The memory these processes hold together: the sum of their proportional set sizes
    (PSS: a page a forked worker shares with its parent counts half to each, not twice)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total / 1024


def run_import(path: Path, log: Path) -> dict:
    """`manage.py import_wordpress PATH` in a process of its own: its wall and CPU seconds (its
    worker processes' included), the peak of the memory it and its workers hold together
    (sampled every SAMPLE seconds), the largest single process (maxrss, from wait4), and what
    it printed on stdout."""
    connection.close()  # nothing of this process holds the database while it works
    out_path = log.with_suffix(".out")
    peak = 0.0
    with log.open("w") as err, out_path.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, str(ROOT / "manage.py"), "import_wordpress", str(path)],
            env=ENV,
            cwd=ROOT,
            stdout=out,
            stderr=err,
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, memory_mb(descendants(process.pid)))
            time.sleep(SAMPLE)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text()
    if process.returncode != 0:
        sys.stderr.write(stdout + log.read_text()[-3000:])
        raise SystemExit(f"import_wordpress {path.name} failed ({process.returncode})")
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": peak,
        "largest_mb": usage.ru_maxrss / 1024,
        "stdout": stdout,
    }


def counts() -> dict:
    """What the database holds, to compare a re-run with the first run."""
    by_status = Comment.objects.order_by().values_list("status").annotate(n=Count("pk"))
    return {
        "articles": Article.objects.count(),
        "comments": dict(by_status),
        "imported": ImportedItem.objects.count(),
    }


def expected_placement(contents: wxr.Contents, limit: int) -> dict[int, tuple[int, int]]:
    """WordPress comment id -> (the WordPress id of its thread's first comment, depth here):
    under its parent down to the depth limit, then beside it; a reply to spam starts a thread."""
    placement: dict[int, tuple[int, int]] = {}
    for comment_id in sorted(contents.approved):  # a parent's id is lower than its replies'
        parent = contents.parents.get(comment_id)
        if parent is None or contents.approved[parent] == "spam":
            placement[comment_id] = (comment_id, 1)
        else:
            root, depth = placement[parent]
            placement[comment_id] = (root, min(depth + 1, limit))
    return placement


def check(contents: wxr.Contents) -> list[str]:
    """What differs between the database and the file, in words."""
    problems = []
    limit = SiteSettings.current().comment_depth
    found = counts()
    if found["articles"] != contents.posts:
        problems.append(f"{found['articles']:,} articles, {contents.posts:,} posts in the file")
    wanted = {STATUSES[key]: n for key, n in contents.statuses.items()}
    if found["comments"] != wanted:
        problems.append(f"comments by status {found['comments']}, the file has {wanted}")
    deepest = Comment.objects.aggregate(deepest=Max("depth"))["deepest"] or 0
    if deepest > limit:
        problems.append(f"a comment at depth {deepest}, deeper than the limit of {limit}")
    miscounted = (
        Article.objects.annotate(
            approved=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED))
        )
        .exclude(comment_count=F("approved"))
        .count()
    )
    if miscounted:
        problems.append(f"{miscounted:,} articles whose comment count is not their approved ones")
    keys = {
        int(key): pk
        for key, pk in ImportedItem.objects.filter(kind=ImportedItem.Kind.COMMENT).values_list(
            "key", "comment_id"
        )
    }
    stored = {pk: (thread, depth) for pk, thread, depth in Comment.objects.values_list(
        "pk", "thread_id", "depth"
    )}  # fmt: skip
    misplaced = []
    for comment_id, (root, depth) in expected_placement(contents, limit).items():
        pk = keys.get(comment_id)
        if pk is None or stored.get(pk) != (keys.get(root), depth):
            misplaced.append(comment_id)
    if misplaced:
        problems.append(
            f"{len(misplaced):,} comments not in their parent's thread at the expected depth "
            f"(WordPress ids {', '.join(map(str, misplaced[:5]))}...)"
        )
    return problems


def created_in(stdout: str) -> Counter:
    """The "created" column of the command's summary table: row label -> number."""
    created, header = Counter(), None
    for line in stdout.splitlines():
        words = line.split()
        if header is None and words[:1] == ["created"]:
            header = words
        elif header and len(words) == len(header) + 1 and words[0].isalpha():
            created[words[0]] = int(words[1 + header.index("created")].replace(",", ""))
    return created


def measure(posts: int, comments: int, label: str, *, rerun: bool) -> tuple[dict, list[str]]:
    path, written = export_file(posts, comments)
    contents = wxr.contents(posts, comments, seed=SEED)
    megabytes = path.stat().st_size / 1e6
    note = f"written in {written:.1f} s" if written is not None else "kept from an earlier run"
    print(f"\n{posts:,} posts, {comments:,} comments: {path.name}, {megabytes:,.0f} MB ({note})")
    fresh_database()
    log = VAR_DIR / f"import-{label}-{posts}.log"
    first = run_import(path, log)
    print(first["stdout"].rstrip())
    print(
        f"import: {first['seconds']:.1f} s (CPU {first['cpu']:.1f} s), peak {first['peak_mb']:.0f} MB "
        f"(largest process {first['largest_mb']:.0f} MB)"
    )
    problems = [f"{posts:,} posts: {problem}" for problem in check(contents)]
    row = {
        "posts": posts,
        "comments": comments,
        "megabytes": megabytes,
        "seconds": first["seconds"],
        "cpu": first["cpu"],
        "peak_mb": first["peak_mb"],
        "largest_mb": first["largest_mb"],
        "rerun": None,
        "pingbacks": contents.pingbacks,
        "deepest": contents.deepest,
    }
    if rerun:
        before = counts()
        again = run_import(path, log.with_name(f"{log.stem}-again.log"))
        print(again["stdout"].rstrip())
        print(
            f"re-run: {again['seconds']:.1f} s (CPU {again['cpu']:.1f} s), peak "
            f"{again['peak_mb']:.0f} MB"
        )
        row.update(rerun=again["seconds"], rerun_peak=again["peak_mb"])
        if counts() != before:
            problems.append(f"{posts:,} posts: the re-run changed the counts: {counts()}")
        made = {kind: n for kind, n in created_in(again["stdout"]).items() if n}
        if made:
            problems.append(f"{posts:,} posts: the re-run created {made}")
    if comments <= TARGET_COMMENTS and first["seconds"] >= TARGET_SECONDS:
        problems.append(
            f"{comments:,} comments took {first['seconds']:.1f} s, the target is under "
            f"{TARGET_SECONDS} s"
        )
    for name, peak in (("import", first["peak_mb"]), ("re-run", row.get("rerun_peak") or 0)):
        if peak >= TARGET_MB:
            problems.append(f"{posts:,} posts: {name} peak {peak:.0f} MB, the target is under 300")
    return row, problems


def main() -> int:
    started_at = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    label = database_label()
    if connection.vendor == "postgresql":
        production_durability()
    db = label.split()[0]
    print(f"{label}; sizes {', '.join(f'{p:,}/{c:,}' for p, c in SIZES)} (posts/comments)")
    rows, problems = [], []
    for index, (posts, comments) in enumerate(SIZES):
        row, found = measure(posts, comments, db.lower(), rerun=index == 0)
        rows.append(row)
        problems += found
    section = write_section(label, rows, started=started_at, load=load)
    print("\n" + section)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


def write_section(label: str, rows: list[dict], *, started: str, load: float) -> str:
    heading = f"## WordPress import on {label.split()[0]}"
    limit = SiteSettings.current().comment_depth
    lines = [
        heading,
        "",
        f"Measured {started} by bench/import_wp.py on {os.cpu_count()} cores "
        f"({machine() or 'unknown CPU'}), load average {load:.2f} at the start and "
        f"{os.getloadavg()[0]:.2f} at the end, {label}, DEBUG off"
        + (", fsync and synchronous commits on" if "Postgre" in label else "")
        + ". `manage.py import_wordpress EXPORT.xml` into a fresh, migrated database, in a "
        "process of its own: wall-clock seconds with Django's start-up; CPU seconds of the "
        "command and the processes it forks to render comments; peak MB, what they hold "
        "together (the sum of their PSS, read every 0.1 s); largest process MB, the maxrss of "
        "the biggest one. The exports are bench/wxr.py's (seed 1): classic-editor "
        "posts, comments threaded up to "
        f"{max(row['deepest'] for row in rows)} deep (here at most {limit}), about 90% approved, "
        "5% held, 4% spam, 1% trash, 2% pingbacks (skipped). Re-run: the same file imported "
        "again, creating nothing. Every run checked against the file: articles, comments by "
        "status, each comment's thread and depth, stored comment counts.",
        "",
        "| database | posts | comments | file MB | import s | CPU s | comments a second "
        "| peak MB | largest process MB | re-run s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {label.split()[0]} | {row['posts']:,} | {row['comments']:,} "
            f"| {row['megabytes']:,.0f} | {row['seconds']:.1f} | {row['cpu']:.1f} "
            f"| {row['comments'] / row['seconds']:,.0f} | {row['peak_mb']:.0f} "
            f"| {row['largest_mb']:.0f} "
            f"| {'' if row['rerun'] is None else f'{row["rerun"]:.1f}'} |"
            for row in rows
        ),
        "",
    ]
    for row in rows:
        if row["comments"] <= TARGET_COMMENTS:
            met = row["seconds"] < TARGET_SECONDS
            lines.append(
                f"- {row['comments']:,} comments in under {TARGET_SECONDS} s: "
                f"{row['seconds']:.1f} s, {'met' if met else '**missed**'}."
            )
    peaks = ", ".join(f"{row['peak_mb']:.0f} MB at {row['comments']:,}" for row in rows)
    met = all(row["peak_mb"] < TARGET_MB for row in rows)
    lines.append(f"- peak memory under {TARGET_MB} MB: {peaks}, {'met' if met else '**missed**'}.")
    section = "\n".join(lines)
    save_section(heading, section)
    return section


if __name__ == "__main__":
    sys.exit(main())
