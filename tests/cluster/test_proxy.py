"""nginx in front: what it answers itself, what it hands to the app servers, and what the
app servers learn from it about the reader."""

import gzip
import json
import os
import re
import socket
from pathlib import Path

from forum.comments.models import Comment
from tests.cluster.conftest import (
    HOST,
    form_errors,
    make_article,
    post_comment,
    request,
    unique,
    wait_for,
)


def test_healthz_through_nginx_says_only_what_is_reachable(nginx):
    status, message, body = request(nginx, "GET", "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "Server" not in message or "/" not in message["Server"]  # no nginx version


def test_static_files_are_cached_for_a_year_and_sent_compressed(nginx):
    static = Path(os.environ["DJANGO_VAR_DIR"]) / "static" / "css"
    hashed = next(
        p.name for p in static.glob("site.*.css") if re.search(r"\.[0-9a-f]{12}\.css$", p.name)
    )
    status, message, body = request(
        nginx, "GET", f"/static/css/{hashed}", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert message["Cache-Control"] == "public, max-age=31536000, immutable"
    assert message["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (static / hashed).read_bytes()


def test_media_files_are_served_by_nginx_for_a_month(nginx):
    name = f"{unique('upload')}.txt"
    media = Path(os.environ["DJANGO_VAR_DIR"]) / "media" / "cluster-tests"
    media.mkdir(parents=True, exist_ok=True)
    (media / name).write_text("A contact sheet, scanned.")
    status, message, body = request(nginx, "GET", f"/media/cluster-tests/{name}")
    assert status == 200
    assert body == b"A contact sheet, scanned."
    assert message["Cache-Control"] == "public, max-age=2592000"
    assert message["X-Content-Type-Options"] == "nosniff"


def test_a_body_over_25_mb_is_refused_by_nginx(nginx):
    with socket.create_connection((HOST, nginx), timeout=30) as sock:
        sock.sendall(
            b"POST /comments/post/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/octet-stream\r\n"
            + f"Content-Length: {26 * 1024 * 1024}\r\n\r\n".encode()
        )
        sock.sendall(b"x" * 65536)
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_requests_reach_both_app_servers_and_each_logs_a_timed_line(nginx, cluster):
    """nginx leaves a server out for 10 s after a failure (a drill may just have killed
    one), so the requests go on until both have answered, for at most 15 s."""
    before = {name: len(cluster.log(name).splitlines()) for name in ("app1", "app2")}
    marker = unique("probe")

    def new_lines(name):
        lines = cluster.log(name).splitlines()[before[name] :]
        return [line for line in lines if marker in line]

    def both_answered():
        for n in range(4):
            assert request(nginx, "GET", f"/healthz?{marker}={n}")[0] == 200
        return all(new_lines(name) for name in ("app1", "app2"))

    assert wait_for(both_answered, seconds=15, step=0.5), {
        name: len(new_lines(name)) for name in ("app1", "app2")
    }
    for name in ("app1", "app2"):
        lines = new_lines(name)
        assert all(re.search(r"\b\d+ms\b", line) for line in lines), lines


def test_a_forged_x_forwarded_for_does_not_become_the_comments_address(
    nginx, http_client, open_posting
):
    article = make_article()
    email = f"{unique('guest')}@example.net"
    status, _, html = post_comment(
        http_client(),
        article,
        body=f"The grain in the third frame is lovely ({unique('note')}).",
        name="A guest",
        email=email,
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert status == 302, form_errors(html)
    comment = Comment.objects.get(article=article, email=email)
    assert comment.ip.startswith("127.0.0.")
