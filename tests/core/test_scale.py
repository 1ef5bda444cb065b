"""Beyond one machine, inside the suite: Django's Redis cache against a real redis-server (and
what it does while Redis is away), sessions kept in it, /healthz, and tasks that a killed
worker left running. Two app servers behind nginx are driven by tests/cluster
(`make test-cluster`)."""

import json
import shutil
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import OperationalError, connection
from django.tasks import TaskResultStatus, task_backends
from django.test import Client
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from forum.core.cache import ForgivingRedisCache
from forum.core.mail import send_email_message
from site_config.settings import cache_from_url
from tests import factories
from tests.core.test_settings import import_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """Debian's redis-server on a free loopback port, as a cache (nothing written to disk);
    stopped and started again on the same port for the outage tests."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is missing: `make tools` installs Debian's redis-server"
        self.process = subprocess.Popen(  # noqa: S603 (our own test server)
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not listen on {self.port}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def app_server_cache(url: str) -> ForgivingRedisCache:
    """The cache one app server would build from CACHE_URL."""
    entry = cache_from_url(url)
    return ForgivingRedisCache(entry["LOCATION"], {"OPTIONS": entry["OPTIONS"]})


@pytest.fixture
def redis_cache(settings, redis_server):
    """The site's default cache is the Redis server (what CACHE_URL=redis://… gives)."""
    settings.CACHES = {"default": cache_from_url(redis_server.url)}
    caches["default"].clear()
    return caches["default"]


def test_two_app_servers_see_one_cache(redis_server):
    first, second = app_server_cache(redis_server.url), app_server_cache(redis_server.url)
    first.clear()

    first.set("thread:42", "<li>rendered</li>", 60)
    assert second.get("thread:42") == "<li>rendered</li>"
    assert first.add("digest:7", True, 60) is True
    assert second.add("digest:7", True, 60) is False  # the flag is taken, on every server
    second.delete("thread:42")
    assert first.get("thread:42") is None
    assert first.reachable() and second.reachable()


def test_a_redis_that_is_away_is_an_empty_cache_then_comes_back(redis_server):
    cache = app_server_cache(redis_server.url)
    cache.set("kept", "before", 60)
    redis_server.stop()
    try:
        assert cache.reachable() is False
        assert cache.get("kept", "missed") == "missed"
        cache.set("kept", "during", 60)  # dropped, not raised
        assert cache.get_many(["kept", "other"]) == {}
        assert cache.add("flag", True, 60) is True
        assert cache.delete("kept") is False
        with pytest.raises(ValueError):
            cache.incr("counter")
    finally:
        redis_server.start()
    assert cache.reachable() is True
    cache.set("kept", "after", 60)
    assert cache.get("kept") == "after"


def test_healthz_answers_ok_with_the_database_and_redis_reachable(client, redis_cache, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie: cheap and cacheless


def test_healthz_is_503_naming_the_cache_while_redis_is_away(client, settings, db):
    settings.CACHES = {"default": cache_from_url(f"redis://127.0.0.1:{free_port()}/0")}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unreachable",
    }


def test_pages_are_served_while_redis_is_away(client, settings, article):
    settings.CACHES = {"default": cache_from_url(f"redis://127.0.0.1:{free_port()}/0")}
    factories.create_comment(article=article, body="Still here without the cache.")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Still here without the cache." in response.text


def test_healthz_is_503_naming_the_database_when_it_cannot_be_reached(client, monkeypatch, db):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refused)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"


def test_healthz_is_not_redirected_to_https_where_pages_are(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_sessions_in_redis_follow_a_member_from_one_app_server_to_the_other(
    settings, redis_cache, reader
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    first, second = Client(), Client()  # each builds its own handler, as two servers do
    first.force_login(reader)
    second.cookies = first.cookies

    assert second.get("/accounts/profile/").status_code == 200
    second.post("/accounts/logout/")
    assert first.get("/accounts/profile/").status_code == 302  # signed out everywhere


@pytest.mark.parametrize("store", ["cache", "cached_db"])
def test_sessions_in_a_cache_inside_each_process_are_warned_about(settings, store):
    settings.SESSION_STORE = store
    settings.CACHES = {"default": cache_from_url("locmem://")}

    assert "forum.W002" in {message.id for message in run_checks()}


def test_sessions_in_redis_raise_no_warning(settings, redis_server):
    settings.SESSION_STORE = "cache"
    settings.CACHES = {"default": cache_from_url(redis_server.url)}

    assert "forum.W002" not in {message.id for message in run_checks()}


def test_an_unknown_session_engine_stops_start_up_with_the_choices(tmp_path):
    result = import_settings(tmp_path, DJANGO_DEBUG="1", DJANGO_SESSION_ENGINE="files")

    assert result.returncode != 0
    assert "DJANGO_SESSION_ENGINE must be one of cache, cached_db, db: files" in result.stderr


@pytest.fixture
def database_tasks():
    """Tasks queued in the database, as in production (`TASKS_BACKEND=database`)."""
    previous = task_backends["default"]
    task_backends["default"] = DatabaseBackend(alias="default", params={})
    yield
    task_backends["default"] = previous


def queue_mail(to: str) -> DBTaskResult:
    result = send_email_message.enqueue(subject="Hello", text="Body", to=[to])
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_killed_worker_runs_again_once(database_tasks, mailoutbox):
    row = queue_mail("reader@example.org")
    row.claim("worker1")  # the worker took it, and was killed before it finished

    call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "worker1")
    assert mailoutbox == []  # a RUNNING task is nobody's to take

    call_command("requeue_stalled_tasks", "--worker", "worker1")
    call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "worker1")

    assert [message.to for message in mailoutbox] == [["reader@example.org"]]
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_only_the_named_worker_s_tasks_and_long_stalled_ones_are_queued_again(database_tasks):
    mine = queue_mail("a@example.org")
    mine.claim("worker1")
    busy_elsewhere = queue_mail("b@example.org")
    busy_elsewhere.claim("worker2")
    abandoned = queue_mail("c@example.org")
    abandoned.claim("worker3")
    DBTaskResult.objects.filter(pk=abandoned.pk).update(
        started_at=abandoned.started_at - timedelta(minutes=31)
    )

    call_command("requeue_stalled_tasks", "--worker", "worker1")

    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[mine.pk] == TaskResultStatus.READY
    assert statuses[busy_elsewhere.pk] == TaskResultStatus.RUNNING  # worker2 may still be on it
    assert statuses[abandoned.pk] == TaskResultStatus.READY  # 31 minutes: nobody is on it


def test_a_renamed_section_shows_in_the_navigation_at_once(client, redis_cache, article):
    section = article.category.lineage[0]
    assert section.name in client.get("/").text  # the navigation is cached now

    section.name = "Darkroom Notes"
    section.save()

    assert "Darkroom Notes" in client.get("/").text
