"""What one app server does, the other knows at once: the cache, the sessions and the
limits live in Redis and PostgreSQL, not in a server's memory."""

from forum.comments.models import Comment
from tests import factories
from tests.cluster.conftest import (
    make_article,
    member,
    network,
    post_comment,
    sign_in,
    unique,
)


def test_a_comment_approved_on_app1_shows_on_app2_at_once(apps, http_client):
    app1, app2 = apps
    article = make_article()
    body = f"The contact sheet tells the story {unique('x')}."
    held = factories.create_comment(article=article, body=body, status=Comment.Status.PENDING)
    reader = http_client(app2)
    for _ in range(2):  # app2's cached page is warm
        status, _, html = reader.get(article.get_absolute_url())
        assert status == 200 and body not in html

    moderator = member(moderator=True)
    desk = http_client(app1)
    ip = network()
    status, message, _ = sign_in(desk, moderator.email, "a-long-cluster-password", port=app1, ip=ip)
    assert status == 302, message
    status, _, _ = desk.submit(
        article.get_absolute_url(),
        f"/comments/{held.pk}/moderate/",
        {"action": "approve"},
        headers={"X-Forwarded-For": ip},
    )
    assert status == 302

    status, _, html = reader.get(article.get_absolute_url())
    assert status == 200 and body in html


def test_signed_in_on_app1_is_signed_in_on_app2_and_signing_out_on_app2_ends_both(
    apps, http_client
):
    app1, app2 = apps
    user = member()
    browser = http_client(app1)
    ip = network()
    status, _, _ = sign_in(browser, user.email, "a-long-cluster-password", port=app1, ip=ip)
    assert status == 302
    for port in (app1, app2):
        status, _, _ = browser.get("/accounts/profile/", port=port)
        assert status == 200, f"not signed in on {port}"

    status, _, _ = browser.submit(
        "/accounts/logout/", "/accounts/logout/", {}, port=app2, headers={"X-Forwarded-For": ip}
    )
    assert status == 302
    for port in (app1, app2):
        status, message, _ = browser.get("/accounts/profile/", port=port)
        assert status == 302 and "/accounts/login/" in message["Location"]


def test_failed_sign_ins_alternating_servers_reach_one_limit(apps, http_client):
    user = member()
    ip = network()
    refused = []
    for attempt in range(6):
        browser = http_client(apps[attempt % 2])
        status, _, html = sign_in(browser, user.email, "not-the-password", port=browser.port, ip=ip)
        refused.append(status)
    assert all(status == 200 for status in refused)  # the form again, never a sign-in
    for port in apps:  # five failures for this account: the right password is refused too
        browser = http_client(port)
        status, _, html = sign_in(
            browser, user.email, "a-long-cluster-password", port=port, ip=network()
        )
        assert status in (200, 429), status
        status, _, _ = browser.get("/accounts/profile/", port=port)
        assert status == 302


def test_a_comment_on_app1_sets_the_flood_limit_on_app2(apps, http_client):
    app1, app2 = apps
    article = make_article()
    ip = network()
    email = f"{unique('guest')}@example.net"
    first = post_comment(
        http_client(app1),
        article,
        body="The first look at the new lens.",
        name="A guest",
        email=email,
        port=app1,
        headers={"X-Forwarded-For": ip},
    )
    assert first[0] == 302
    second = post_comment(
        http_client(app2),
        article,
        body="And a second thought a moment later.",
        name="A guest",
        email=email,
        port=app2,
        headers={"X-Forwarded-For": ip},
    )
    assert second[0] != 302
    assert Comment.objects.filter(article=article, email=email).count() == 1


def test_a_ban_holds_on_both_servers(apps, http_client):
    article = make_article()
    email = f"{unique('banned')}@example.net"
    factories.create_ban(email=email, reason="Spam links")
    for port in apps:
        status, _, _ = post_comment(
            http_client(port),
            article,
            body="Buy cheap film here.",
            name="Spammer",
            email=email,
            port=port,
            headers={"X-Forwarded-For": network()},
        )
    assert not Comment.objects.filter(
        article=article, email=email, status=Comment.Status.APPROVED
    ).exists()
