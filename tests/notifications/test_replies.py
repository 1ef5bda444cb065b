"""Reply and approval notices: who is told, once, and only at a confirmed address."""

import time

import pytest
from allauth.account.models import EmailAddress

from forum.comments.models import Comment
from forum.comments.services import submit_comment
from forum.notifications import services
from forum.notifications.models import Notice, Recipient
from forum.site_settings.models import ModerationMode, SiteSettings
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _publish_at_once(db):
    site = SiteSettings.current()
    site.moderation_mode = ModerationMode.PUBLISH_ALL
    site.save()


def verified_member(email):
    user = factories.create_user(email=email, display_name=email.split("@")[0].title())
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def reply(article, parent, *, capture, **fields):
    with capture(execute=True):
        return submit_comment(
            article=article,
            parent_id=parent.pk,
            body=fields.pop("body", "I had the same trouble with the rangefinder patch."),
            form_issued=time.time() - 60,
            **fields,
        )


def test_a_member_hears_of_a_reply_with_its_text_and_link(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    article = factories.create_article(title="Loading a Leica in the rain")
    writer = verified_member("ana@example.com")
    parent = factories.create_comment(article=article, user=writer)
    answer = reply(
        article,
        parent,
        capture=django_capture_on_commit_callbacks,
        name="Bea",
        email="bea@example.com",
        body="Try the **bottom plate** first.",
    )
    assert answer.status == Comment.Status.APPROVED
    [mail] = mailoutbox
    assert mail.to == ["ana@example.com"]
    assert mail.subject == "Bea replied to your comment on “Loading a Leica in the rain”"
    assert "Try the **bottom plate** first." in mail.body
    assert settings.SITE_URL + answer.get_absolute_url() in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.extra_headers["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}/notifications/")


def test_a_guest_is_mailed_only_after_confirming(django_capture_on_commit_callbacks, mailoutbox):
    article = factories.create_article()
    with django_capture_on_commit_callbacks(execute=True):
        parent = submit_comment(
            article=article,
            body="Does anyone still print on fibre paper?",
            name="Cai",
            email="Cai@Example.com",
            notify=True,
            form_issued=time.time() - 60,
        )
    [confirmation] = mailoutbox
    assert confirmation.to == ["cai@example.com"]
    assert "/notifications/confirm/" in confirmation.body
    parent.status = Comment.Status.APPROVED
    parent.save(update_fields=["status"])
    reply(
        article,
        parent,
        capture=django_capture_on_commit_callbacks,
        name="Dee",
        email="d@example.com",
    )
    assert len(mailoutbox) == 1  # nothing before the address is confirmed
    services.confirm(Recipient.objects.get(email="cai@example.com"))
    reply(
        article,
        parent,
        capture=django_capture_on_commit_callbacks,
        name="Eve",
        email="e@example.com",
        body="Every week, in a bathroom.",
    )
    assert [mail.to for mail in mailoutbox[1:]] == [["cai@example.com"]]


def test_nobody_hears_of_their_own_reply_or_twice(django_capture_on_commit_callbacks, mailoutbox):
    article = factories.create_article()
    writer = verified_member("fay@example.com")
    parent = factories.create_comment(article=article, user=writer)
    reply(article, parent, capture=django_capture_on_commit_callbacks, user=writer)
    assert mailoutbox == []
    answer = reply(
        article,
        parent,
        capture=django_capture_on_commit_callbacks,
        name="Gus",
        email="g@example.com",
        body="Mine jammed at the same frame count.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_published([answer.pk])
    assert len(mailoutbox) == 1
    assert Notice.objects.count() == 1


def test_an_approved_held_comment_is_announced_to_its_writer_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    article = factories.create_article()
    writer = verified_member("hal@example.com")
    held = factories.create_comment(article=article, user=writer, status=Comment.Status.PENDING)
    moderator = factories.create_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        held.approve(by=moderator)
    [mail] = mailoutbox
    assert mail.to == ["hal@example.com"]
    assert "is published" in mail.subject
    with django_capture_on_commit_callbacks(execute=True):
        held.set_status(Comment.Status.REMOVED, by=moderator)
        held.approve(by=moderator)
    assert len(mailoutbox) == 1
