"""Moderators hear about held comments by email: one email per held comment at once, an hourly
digest, or nothing, as the site settings say; never twice about the same comment."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forum.comments.models import Comment
from forum.comments.notifications import email_moderators
from forum.comments.services import report_comment, submit_comment
from tests import factories

from .pages import BODY, guest_data, member_data, post

PENDING = Comment.Status.PENDING


@pytest.fixture
def moderators(editor):
    """The addresses that should hear about held comments; the editor, a moderator who left
    and a group member without admin access should not."""
    told = [
        factories.create_moderator(email="mod@example.com"),
        factories.create_user(email="boss@example.com", is_staff=True, is_superuser=True),
    ]
    factories.create_moderator(email="retired@example.com", is_active=False)
    no_admin = factories.create_user(email="not-staff@example.com")
    no_admin.groups.add(factories.editorial_group("Moderators"))
    return sorted(user.email for user in told)


def run_digest(task_queue) -> int:
    """Run the hourly digest as the worker would (it sends its mail itself)."""
    return email_moderators.call(comment_ids=None)


def hold(article, n: int = 1, **fields) -> Comment:
    """A new guest's comment, held because nobody knows them yet."""
    fields = {
        "name": f"Guest {n}",
        "email": f"guest{n}@example.com",
        "body": f"Held remark number {n}.",
        "ip": f"198.51.{n}.1",
        **fields,
    }
    comment = submit_comment(article=article, **fields)
    assert comment.status == PENDING
    return comment


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_a_held_comment_emails_each_moderator_at_once(
    article, client, configure, moderators, mailoutbox, django_capture_on_commit_callbacks, settings
):
    configure(moderator_email="immediate")
    settings.SITE_URL = "https://frame.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, guest_data(article))

    comment = Comment.objects.get()
    link = f"https://frame.example.org/admin/comments/comment/{comment.pk}/change/"
    assert recipients(mailoutbox) == moderators
    assert all(len(message.to) == 1 for message in mailoutbox)
    for message in mailoutbox:
        assert message.subject.endswith("] 1 comment waiting for moderation")
        assert 'Jo Bloggs on "Living with an M6"' in message.body
        assert "Held because: first comment from this email" in message.body
        assert BODY in message.body
        assert f"Review it: {link}" in message.body
        assert f'<a href="{link}">Review this comment</a>' in html_of(message)
    comment.refresh_from_db()
    assert comment.moderators_told is not None


def test_the_subject_shows_the_site_name_as_written(article, moderators, mailoutbox, settings):
    settings.SITE_NAME = "Frame & Grain"
    comment = factories.create_comment(article=article, status=PENDING)

    email_moderators.call(comment_ids=[comment.pk])

    assert mailoutbox[0].subject == "[Frame & Grain] 1 comment waiting for moderation"


def test_moderators_are_emailed_only_once_the_comment_is_saved(
    article, client, moderators, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        post(client, article, guest_data(article))

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_only_active_moderators_and_superusers_with_admin_access_are_emailed(
    article, moderators, mailoutbox
):
    comment = factories.create_comment(article=article, status=PENDING)

    assert email_moderators.call(comment_ids=[comment.pk]) == 1

    assert recipients(mailoutbox) == ["boss@example.com", "mod@example.com"]


def test_a_member_whose_comment_is_held_is_named_with_the_reason(
    article, member_client, reader, moderators, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(member_client, article, member_data(article))

    assert len(mailoutbox) == 2
    assert f"{reader.public_name} on" in mailoutbox[0].body
    assert "Held because: first comment from this account" in mailoutbox[0].body
    # In the HTML, isolated from the text around it: a right-to-left name keeps "on" after it.
    html = mailoutbox[0].alternatives[0].content
    assert f"<bdi>{reader.public_name}</bdi></strong> on" in html


@pytest.mark.parametrize("who", ["staff", "known guest", "spammer"])
def test_comments_that_are_not_held_email_nobody(
    request,
    article,
    client,
    configure,
    moderators,
    mailoutbox,
    django_capture_on_commit_callbacks,
    who,
):
    configure(blocked_words="casino")
    data = guest_data(article, body="Casino night" if who == "spammer" else BODY)
    if who == "staff":
        client.force_login(request.getfixturevalue("editor"))
        data = member_data(article)
    if who == "known guest":
        factories.create_comment(article=article, name="Jo Bloggs", email="jo@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, data)

    assert Comment.objects.latest("pk").status != PENDING
    assert mailoutbox == []


def test_with_moderator_email_off_nobody_is_emailed(
    article, configure, moderators, mailoutbox, task_queue, django_capture_on_commit_callbacks
):
    configure(moderator_email="off")

    with django_capture_on_commit_callbacks(execute=True):
        comment = hold(article)

    assert task_queue == []
    assert mailoutbox == []
    comment.refresh_from_db()
    assert comment.moderators_told is None


def test_the_immediate_email_names_only_the_new_comment(
    article, configure, moderators, mailoutbox, django_capture_on_commit_callbacks
):
    configure(moderator_email="off")
    with django_capture_on_commit_callbacks(execute=True):
        hold(article, 1)
    configure(moderator_email="immediate")

    with django_capture_on_commit_callbacks(execute=True):
        hold(article, 2)

    assert len(mailoutbox) == 2
    assert "Guest 2 on" in mailoutbox[0].body
    assert "Guest 1 on" not in mailoutbox[0].body


def test_hourly_queues_one_digest_that_names_every_held_comment(
    article, configure, moderators, mailoutbox, task_queue, django_capture_on_commit_callbacks
):
    configure(moderator_email="hourly")
    with django_capture_on_commit_callbacks(execute=True):
        held = [hold(article, n) for n in range(1, 4)]

    [queued] = task_queue
    assert queued.task.func is email_moderators.func
    assert queued.kwargs == {"comment_ids": None}
    in_an_hour = timezone.now() + timedelta(hours=1)
    assert in_an_hour - timedelta(minutes=1) < queued.task.run_after <= in_an_hour
    assert mailoutbox == []

    assert run_digest(task_queue) == 3

    assert recipients(mailoutbox) == moderators
    message = mailoutbox[0]
    assert message.subject.endswith("] 3 comments waiting for moderation")
    for comment in held:
        assert f"{comment.name} on" in message.body
        assert f"/admin/comments/comment/{comment.pk}/change/" in message.body
    assert not Comment.objects.filter(moderators_told=None).exists()


def test_a_second_digest_does_not_repeat_comments_already_announced(
    article, configure, moderators, mailoutbox, task_queue, django_capture_on_commit_callbacks
):
    configure(moderator_email="hourly")
    with django_capture_on_commit_callbacks(execute=True):
        hold(article)
    run_digest(task_queue)
    mailoutbox.clear()

    assert run_digest(task_queue) == 0
    assert mailoutbox == []


def test_after_a_digest_is_sent_the_next_held_comment_queues_another(
    article, configure, moderators, mailoutbox, task_queue, django_capture_on_commit_callbacks
):
    configure(moderator_email="hourly")
    with django_capture_on_commit_callbacks(execute=True):
        hold(article, 1)
    run_digest(task_queue)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        hold(article, 2)

    assert len(task_queue) == 2
    run_digest(task_queue)
    assert "Guest 2 on" in mailoutbox[0].body
    assert "Guest 1 on" not in mailoutbox[0].body


def test_comments_held_while_email_was_off_do_not_stop_the_next_digest(
    article, configure, moderators, mailoutbox, task_queue, django_capture_on_commit_callbacks
):
    factories.create_comment(
        article=article,
        status=PENDING,
        name="Old Guest",
        created=timezone.now() - timedelta(days=1),
    )
    configure(moderator_email="hourly")

    with django_capture_on_commit_callbacks(execute=True):
        hold(article)

    assert len(task_queue) == 1
    run_digest(task_queue)
    assert "Old Guest on" in mailoutbox[0].body
    assert "Guest 1 on" in mailoutbox[0].body


def test_a_comment_hidden_by_reports_is_announced_even_if_it_was_announced_when_held(
    article, configure, moderators, mailoutbox, django_capture_on_commit_callbacks
):
    configure(moderator_email="immediate", report_threshold=1)
    comment = factories.create_comment(
        article=article, name="Loud Guest", moderators_told=timezone.now() - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        report_comment(comment=comment, reason="abusive", ip="203.0.113.7")

    assert recipients(mailoutbox) == moderators
    assert "Loud Guest on" in mailoutbox[0].body
    assert f"/admin/comments/comment/{comment.pk}/change/" in mailoutbox[0].body


def test_with_no_moderators_the_comment_waits_for_the_next_email(
    article, configure, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = hold(article)

    assert mailoutbox == []
    comment.refresh_from_db()
    assert comment.moderators_told is None
    factories.create_moderator(email="mod@example.com")
    assert email_moderators.call(comment_ids=None) == 1
    assert recipients(mailoutbox) == ["mod@example.com"]


def test_a_digest_names_the_first_hundred_held_comments_and_counts_the_rest(
    article, moderators, mailoutbox
):
    start = timezone.now() - timedelta(days=1)
    for n in range(150):
        factories.create_comment(
            article=article,
            status=PENDING,
            name=f"Guest {n}",
            created=start + timedelta(minutes=n),
        )

    assert email_moderators.call(comment_ids=None) == 150

    assert recipients(mailoutbox) == moderators
    message = mailoutbox[0]
    assert message.subject.endswith("] 150 comments waiting for moderation")
    assert message.body.count("Review it: ") == 100
    assert 'Guest 99 on "' in message.body
    assert 'Guest 100 on "' not in message.body
    queue = "/admin/comments/comment/?status=pending"
    assert re.search(
        rf"and 50 more held comments are waiting in the queue:\s+\S+{re.escape(queue)}",
        message.body,
    )
    assert "and 50 more held comments are waiting" in html_of(message)
    # All 150 were announced, so the next digest has nothing to say.
    assert not Comment.objects.filter(moderators_told=None).exists()
    mailoutbox.clear()
    assert email_moderators.call(comment_ids=None) == 0
    assert mailoutbox == []


def test_a_digest_of_a_hundred_or_fewer_says_nothing_more_is_waiting(
    article, moderators, mailoutbox
):
    for n in range(100):
        factories.create_comment(article=article, status=PENDING, name=f"Guest {n}")

    assert email_moderators.call(comment_ids=None) == 100

    assert mailoutbox[0].subject.endswith("] 100 comments waiting for moderation")
    assert "more held comment" not in mailoutbox[0].body
    assert "more held comment" not in html_of(mailoutbox[0])


def test_comments_stay_unannounced_when_the_digest_cannot_be_sent(article, moderators, settings):
    """The digest sends from its own task and marks the comments afterwards: a mail server
    that refuses leaves them for the next digest (the task's failure is in the worker's log)."""
    held = factories.create_comment(article=article, status=PENDING)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }

    with pytest.raises(OSError):
        email_moderators.call(comment_ids=None)

    held.refresh_from_db()
    assert held.moderators_told is None
