"""Helpers shared by the benchmarks: a `make serve`-style gunicorn on a free loopback port,
plain HTTP requests with hand-kept cookies, percentiles, and the sections of results.md.

Only 127.0.0.1 is used. The server is the project's own gunicorn with the environment
`make serve` gives it (SERVE_ENV in the Makefile: DEBUG off, no HTTPS redirect, hosts
127.0.0.1 and localhost, mail to files), pointed at the benchmark's var/ directory and,
when DATABASE_URL is set, at that database.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
RESULTS = ROOT / "bench" / "results.md"


def serve_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment `make serve` runs gunicorn with, with DJANGO_VAR_DIR set to `var_dir`."""
    env = dict(os.environ)
    secret = env.get("DJANGO_SECRET_KEY", "")
    if not secret and (ROOT / "var" / "secret_key").is_file():
        secret = (ROOT / "var" / "secret_key").read_text().strip()
    env.update(
        DJANGO_SETTINGS_MODULE="site_config.settings",
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        EMAIL_URL=f"file://{var_dir / 'mail'}",
        DJANGO_SECRET_KEY=secret or secrets.token_urlsafe(50),
        DJANGO_VAR_DIR=str(var_dir),
    )
    env.update(extra)
    return env


class Sink:
    """`with Sink() as sink:` the SMTP sink of tests/newsletter/smtp.py in a process of its
    own, on a free 127.0.0.1 port (`sink.port`); it only counts (`sink.messages()`)."""

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

    def messages(self) -> int:
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline().split()[0])

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    """Run `manage.py ARGS` with `env`; its standard output."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed ({done.returncode})")
    return done.stdout


class Gunicorn:
    """`with Gunicorn(env, log) as server:` gunicorn as `make serve` starts it, on a free port.

    Stopped (TERM, then KILL after 15 s) when the block ends, also on errors.
    """

    def __init__(self, env: dict, log: Path, *, workers: int | None = None):
        self.env = env
        self.log = log
        self.workers = workers or int(os.environ.get("WORKERS", "3"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
            [
                str(VENV_BIN / "gunicorn"), "site_config.wsgi",
                "--workers", str(self.workers),
                "--bind", f"{HOST}:{self.port}",
                "--access-logfile", "-",
                "--no-control-socket",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"gunicorn exited with {self.process.returncode}; its log:\n{self.log_text()}"
                )
            try:
                status, _, _ = request(self.port, "GET", "/robots.txt", timeout=2)
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            time.sleep(0.1)
        raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_text()}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()

    def log_text(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 30,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request on its own connection (gunicorn's sync workers close it anyway)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Host": f"{HOST}:{port}", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.msg, response.read()
    finally:
        conn.close()


def timed_get(port: int, path: str) -> float:
    """Milliseconds from opening the connection to the last byte of a 200 response."""
    start = time.perf_counter()
    status, _, _ = request(port, "GET", path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise SystemExit(f"GET {path} over HTTP answered {status}")
    return elapsed


class CookieJar:
    """The cookies one browser holds, kept by hand.

    With DEBUG off the CSRF and session cookies are `Secure`, so http.cookiejar would not
    send them back over plain http to 127.0.0.1; a browser behind the production HTTPS
    front would. Values are kept exactly as the server set them (signed cookies are quoted).
    """

    def __init__(self):
        self.values: dict[str, str] = {}

    def update(self, message: http.client.HTTPMessage) -> None:
        for header in message.get_all("Set-Cookie") or []:
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            attrs = attributes.lower()
            if "max-age=0" in attrs or "01 jan 1970" in attrs:
                self.values.pop(name, None)
            else:
                self.values[name] = value

    def header(self) -> dict[str, str]:
        if not self.values:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.values.items())}


def hidden_field(html: str, name: str) -> str | None:
    """The value of `<input type="hidden" name=NAME value=...>` in `html`."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            found = re.search(r'\bvalue="([^"]*)"', tag)
            return found.group(1) if found else None
    return None


def form_errors(html: str) -> list[str]:
    """The error messages on a form that came back (`<ul class="errorlist">` items), as text."""
    return [
        unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for block in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile, as bench/run.py has always computed p95."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, int(len(sorted_values) * fraction) - 1)]


def summary(values: list[float]) -> tuple[float, float]:
    """(median, p95) of `values`."""
    ordered = sorted(values)
    return statistics.median(ordered), percentile(ordered, 0.95)


def machine() -> str:
    """CPU model, if the system says, e.g. 'AMD EPYC 7B13'."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def replace_section(text: str, heading: str, section: str) -> str:
    """`text` with the `## heading` section (up to the next `## `) replaced, or appended."""
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    new = section.rstrip("\n").split("\n")
    if start is None:
        return "\n".join([*lines, "", *new, ""]) if lines else "\n".join([*new, ""])
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join([*lines[:start], *new, "", *lines[end:]]).rstrip("\n") + "\n"


def save_section(heading: str, section: str) -> None:
    """Put `section` into bench/results.md as its `## heading` section (replaced or appended)."""
    RESULTS.write_text(
        replace_section(RESULTS.read_text() if RESULTS.exists() else "", heading, section)
    )


def kept_sections(text: str, prefix: str) -> list[str]:
    """The `## prefix…` sections of `text`, whole, so a rewrite of the file can keep them."""
    sections, current = [], None
    for line in text.split("\n"):
        if line.startswith("## "):
            if current is not None:
                sections.append("\n".join(current).rstrip("\n"))
            current = [line] if line.startswith(prefix) else None
        elif current is not None:
            current.append(line)
    if current is not None:
        sections.append("\n".join(current).rstrip("\n"))
    return sections
