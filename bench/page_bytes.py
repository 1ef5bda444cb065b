"""Bytes a browser downloads for the home page: the HTML and the images it actually fetches.

Chromium (Debian's, /usr/bin/chromium, as the browser tests use) opens the home page of the
demo magazine served by gunicorn as `make serve` starts it (DEBUG off, collected static, on a
free 127.0.0.1 port), in a fresh browser context each time (an empty cache), at each window
width and pixel density below. Every response is counted by its body's size on the wire
(gzipped where the server gzipped it, as Chromium reports it), grouped as the page's HTML,
images, and everything else (CSS, JavaScript, the icon). Two moments are measured:
*on load* (what a reader who does not scroll costs: the lazy images below the fold are not
fetched) and *scrolled* (after scrolling to the end, every card image fetched).

    .venv/bin/python bench/page_bytes.py [--var-dir var/bench-page-bytes]

The var directory is migrated and seeded with the demo magazine (`seed_demo`, idempotent)
on each run, so renditions are built as the site would build them. Prints a Markdown table.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import Gunicorn, manage, serve_env  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic"]
# (window width, device pixel ratio): a desktop at 1x and 2x, a 390-pixel phone at 1x and at
# the 3x that such phones really have.
VIEWS = [(1280, 1), (1280, 2), (390, 1), (390, 3)]
HEIGHT = {1280: 800, 390: 844}


def measure(browser, url: str, *, width: int, scale: int) -> dict[str, dict[str, int]]:
    """{"load": {...}, "scrolled": {...}}, each {"html": bytes, "images": bytes,
    "image_count": n, "other": bytes}, for one cold visit of `url`."""
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT[width]}, device_scale_factor=scale
    )
    page = context.new_page()
    seen: list[tuple[str, int]] = []

    def on_finished(request):
        seen.append((request.resource_type, request.sizes()["responseBodySize"]))

    page.on("requestfinished", on_finished)
    page.goto(url, wait_until="networkidle")
    results = {"load": tally(seen)}
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
                scrollTo(0, y);
                await new Promise((done) => setTimeout(done, 50));
            }
        }"""
    )
    page.wait_for_function("() => [...document.images].every((image) => image.complete)")
    page.wait_for_timeout(500)  # the last responses' "finished" events
    results["scrolled"] = tally(seen)
    page.remove_listener("requestfinished", on_finished)
    context.close()
    return results


def tally(seen: list[tuple[str, int]]) -> dict[str, int]:
    html = sum(size for kind, size in seen if kind == "document")
    images = [size for kind, size in seen if kind == "image"]
    other = sum(size for kind, size in seen if kind not in ("document", "image"))
    return {"html": html, "images": sum(images), "image_count": len(images), "other": other}


def kb(size: int) -> str:
    return f"{size / 1000:,.1f} kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-page-bytes"))
    args = parser.parse_args()
    var_dir = Path(args.var_dir).resolve()
    env = serve_env(var_dir)
    env.pop("DATABASE_URL", None)  # the demo in var_dir's own SQLite file
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")

    from playwright.sync_api import sync_playwright

    rows = []
    with Gunicorn(env, var_dir / "gunicorn.log", workers=2) as server:
        url = f"http://127.0.0.1:{server.port}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width, scale in VIEWS:
                results = measure(browser, url, width=width, scale=scale)
                for moment in ("load", "scrolled"):
                    r = results[moment]
                    rows.append(
                        f"| {width} px, {scale}x | {moment} | {kb(r['html'])} "
                        f"| {r['image_count']} | {kb(r['images'])} "
                        f"| {kb(r['html'] + r['images'])} | {kb(r['other'])} |"
                    )
            browser.close()
    print("| window | moment | HTML | images | image bytes | HTML + images | CSS, JS, icon |")
    print("|---|---|--:|--:|--:|--:|--:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
