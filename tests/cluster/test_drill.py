"""Failure drills under load: a piece is SIGKILLed while readers read and post through
nginx, and nobody notices more than a retry."""

import json
import threading
import time

from forum.comments.models import Comment
from tests.cluster.conftest import make_article, post_comment, request, unique, wait_for


def test_app1_killed_under_load_loses_no_read_and_doubles_no_comment(
    nginx, apps, cluster, http_client, open_posting
):
    article = make_article()
    path = article.get_absolute_url()
    gets, acknowledged, problems = [], [], []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                gets.append(request(nginx, "GET", path)[0])
            except OSError as error:
                gets.append(repr(error))

    def poster(n):
        posts = 0
        while not stop.is_set():
            body = f"Frame {posts} from poster {n}: {unique('drill')}"
            for _ in range(5):  # a 502 or a dropped connection: the same form again
                try:
                    status, _, html = post_comment(
                        http_client(),
                        article,
                        body=body,
                        name=f"Drill poster {n}",
                        email=f"drill-{n}-{posts}-{unique('p')}@example.net",
                    )
                except (OSError, AssertionError):
                    continue
                if status == 302 or "already been posted" in html:
                    acknowledged.append(body)
                    break
                if status not in (502, 503, 504):
                    problems.append((status, html[:200]))
                    break
            posts += 1

    threads = [threading.Thread(target=reader) for _ in range(2)]
    threads += [threading.Thread(target=poster, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    cluster.kill("app1")
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    assert gets and all(status == 200 for status in gets), [s for s in gets if s != 200][:5]
    assert acknowledged and not problems, problems[:3]
    stored = list(Comment.objects.filter(article=article).values_list("body", flat=True))
    for body in acknowledged:
        assert stored.count(body) == 1, body
    assert len(stored) == len(set(stored))

    cluster.up()
    status, _, _ = request(apps[0], "GET", "/healthz")
    assert status == 200


def test_redis_killed_pages_still_answer_and_healthz_names_the_cache(nginx, cluster):
    article = make_article()
    cluster.kill("redis")
    try:
        for _ in range(4):
            assert request(nginx, "GET", article.get_absolute_url())[0] == 200
        status, _, body = request(nginx, "GET", "/healthz")
        assert status == 503
        assert json.loads(body)["cache"] == "unreachable"
    finally:
        cluster.up()
    status = wait_for(lambda: request(nginx, "GET", "/healthz")[0] == 200, seconds=20)
    assert status
    assert request(nginx, "GET", article.get_absolute_url())[0] == 200
