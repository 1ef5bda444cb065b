"""Page benchmarks: render pages in-process and report median time and SQL queries.

Run with `make bench`. It uses its own database and media under var/bench/ (seeded with
the demo magazine), renders each page many times through Django's test client with DEBUG
off, and writes the table to bench/results.md as well as printing it.
"""

import os
import platform
import statistics
import sys
import time
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from forum.articles.models import Article  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
RESULTS = ROOT / "bench" / "results.md"


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
    }


def main():
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    cache.clear()
    article = Article.objects.published().order_by("-published_at").first()
    client = Client()
    rows = [measure(client, path) for path in ("/", article.get_absolute_url())]

    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{connection.vendor}, {ROUNDS} rounds per page, in-process (Django test client), DEBUG off."
    )
    table = [
        "| page | median ms | p95 ms | SQL queries | bytes |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| `{r['path']}` | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {r['queries']} | {r['bytes']:,} |"
            for r in rows
        ),
    ]
    text = "\n".join(["# Benchmark results", "", header, "", *table, ""])
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
