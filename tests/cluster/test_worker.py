"""Mail goes out through the task worker, and a worker killed in the middle of sending
leaves no reader without their mail and none with two."""

import time
from collections import Counter

from forum.newsletter import sending
from forum.newsletter.models import Delivery
from tests import factories
from tests.cluster.conftest import make_article, member, post_comment, unique, wait_for

READERS = 40


def test_a_newsletter_survives_the_worker_killed_mid_send(sink, cluster):
    newsletter = factories.create_newsletter(name=unique("Darkroom notes"), slug=unique("nl"))
    tag = unique("issue")
    addresses = [f"{tag}-{n}@example.org" for n in range(READERS)]
    for address in addresses:
        factories.create_subscriber(email=address, newsletter=newsletter)
    issue = factories.create_issue(
        newsletter=newsletter, subject=f"The winter light {tag}", articles=[make_article()]
    )

    def arrived():
        return Counter(address for address in addresses for _ in sink.to(address))

    sink.slow_data = 0.2  # about five a second: time to kill the worker mid-send
    try:
        sending.send_now(issue)  # the request only queues; the worker sends
        assert wait_for(lambda: sum(arrived().values()) >= 10, seconds=60), (
            "the worker sent nothing"
        )
        cluster.kill("worker")
        delivered_before_kill = sum(arrived().values())
        assert delivered_before_kill < READERS
        time.sleep(1)
        sink.slow_data = 0
        cluster.up()  # requeue_stalled_tasks --worker worker1, then db_worker again
        assert wait_for(lambda: len(arrived()) == READERS, seconds=60), arrived()
        time.sleep(2)  # anything sent twice would arrive now
    finally:
        sink.slow_data = 0

    assert set(arrived().values()) == {1}, [a for a, n in arrived().items() if n != 1]
    statuses = wait_for(
        lambda: (
            set(Delivery.objects.filter(issue=issue).values_list("status", flat=True))
            == {Delivery.Status.SENT}
        ),
        seconds=30,
    )
    assert statuses, Counter(Delivery.objects.filter(issue=issue).values_list("status", flat=True))
    assert Delivery.objects.filter(issue=issue).count() == READERS


def test_a_moderators_mail_is_sent_by_the_worker_once_even_when_it_is_killed_sending(
    sink, cluster, http_client, open_posting
):
    moderator = member(moderator=True)
    article = make_article()
    sink.slow_rcpt = 4
    try:
        started = time.monotonic()
        status, _, _ = post_comment(
            http_client(),
            article,
            body=f"A first comment from a new reader ({unique('held')}).",
            name="New reader",
            email=f"{unique('new')}@example.net",
        )
        assert status == 302
        assert time.monotonic() - started < 3, "the request waited for the mail server"
        assert wait_for(lambda: moderator.email in sink.rcpts_seen, seconds=30)
        assert not sink.to(moderator.email)
        cluster.kill("worker")  # in the middle of the RCPT command
    finally:
        sink.slow_rcpt = 0
    cluster.up()  # the worker puts its RUNNING task back and runs it again
    assert wait_for(lambda: sink.to(moderator.email), seconds=60)
    time.sleep(3)  # a second copy would arrive now
    assert len(sink.to(moderator.email)) == 1
