"""The task that tells readers when a comment is published: who gets a reply or approval
notice, who does not, never twice, and what the mail holds."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from forum.articles.models import Article
from forum.comments.models import Comment
from forum.comments.services import delete_comment
from forum.notifications import services, tokens
from forum.notifications.models import Follow, Kind, Notice, Recipient
from forum.notifications.services import start_following
from forum.notifications.tasks import tell_readers
from tests import factories

from .conftest import verified_member

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = re.compile(r"<(https://mag\.example/notifications/unsubscribe/([^/]+)/(\w+)/)>")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://mag.example"


def published(*comments, held=()):
    """Run the task as the comments app queues it when these comments go public."""
    return tell_readers.call(
        comment_ids=[comment.pk for comment in comments], held_ids=[c.pk for c in held]
    )


def guest_comment(email: str, *, ticked: bool = True, confirmed: bool = True):
    """A guest's comment with "Notify me of replies by email" ticked or not, the address then
    confirmed through the mailed button or not."""
    recipient = Recipient.for_guest(email)
    comment = factories.create_comment(
        article=factories.create_article(), name="Guest", email=email, notify=ticked
    )
    if confirmed:
        services.confirm(recipient)
    return comment


def reply_to(parent, **fields):
    fields.setdefault("name", "Bea")
    fields.setdefault("email", "bea@example.com")
    return factories.create_comment(article=parent.article, parent=parent, **fields)


def test_a_member_hears_of_replies_by_default_until_they_turn_them_off(mailoutbox):
    writer = verified_member("ana@example.com")
    parent = factories.create_comment(article=factories.create_article(), user=writer)
    assert published(reply_to(parent)) == 1
    assert [mail.to for mail in mailoutbox] == [["ana@example.com"]]
    Recipient.objects.filter(user=writer).update(replies=False)
    assert published(reply_to(parent, name="Cy", email="cy@example.com")) == 0
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("ticked", "confirmed", "told"),
    [(True, True, 1), (True, False, 0), (False, True, 0)],
    ids=["asked-and-confirmed", "asked-not-confirmed", "confirmed-did-not-ask"],
)
def test_a_guest_hears_of_replies_only_if_they_asked_and_confirmed(
    ticked, confirmed, told, mailoutbox
):
    parent = guest_comment("dee@example.com", ticked=ticked, confirmed=confirmed)
    assert published(reply_to(parent)) == told
    assert [mail.to for mail in mailoutbox] == [["dee@example.com"]] * told
    assert Notice.objects.count() == told


def unverified(user):
    EmailAddress.objects.filter(user=user).update(verified=False)


def inactive(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


def changed_address(user):
    """The account's address changed to one not verified yet: the old, verified one is not
    theirs any more, and the new one may be a typo."""
    user.email = "new-address@example.com"
    user.save(update_fields=["email"])


@pytest.mark.parametrize("change", [unverified, inactive, changed_address])
def test_a_member_whose_address_may_not_be_mailed_hears_nothing(change, mailoutbox):
    writer = verified_member("eli@example.com")
    parent = factories.create_comment(article=factories.create_article(), user=writer)
    change(writer)
    assert published(reply_to(parent)) == 0
    assert mailoutbox == []
    assert not Notice.objects.exists()


@pytest.mark.parametrize("same", ["account", "address"])
def test_nobody_hears_of_their_own_reply(same, mailoutbox):
    writer = verified_member("fay@example.com")
    parent = factories.create_comment(article=factories.create_article(), user=writer)
    own = {"account": {"user": writer}, "address": {"name": "Fay", "email": "fay@example.com"}}
    assert published(reply_to(parent, **own[same])) == 0
    assert mailoutbox == []


def test_a_guest_does_not_hear_of_their_own_reply_from_the_same_address(mailoutbox):
    parent = guest_comment("gil@example.com")
    assert published(reply_to(parent, name="Gil again", email="gil@example.com")) == 0
    assert mailoutbox == []


def removed(reply):
    reply.set_status(Comment.Status.REMOVED, by=factories.create_moderator())


def held_again(reply):
    reply.set_status(Comment.Status.PENDING, by=factories.create_moderator())


def deleted_by_its_writer(reply):
    factories.create_comment(article=reply.article, parent=reply)  # so a placeholder stays
    delete_comment(comment=reply)


def article_unpublished(reply):
    Article.objects.filter(pk=reply.article_id).update(status=Article.Status.DRAFT)


def article_not_out_yet(reply):
    Article.objects.filter(pk=reply.article_id).update(
        published_at=timezone.now() + timezone.timedelta(days=1)
    )


@pytest.mark.parametrize(
    "change",
    [removed, held_again, deleted_by_its_writer, article_unpublished, article_not_out_yet],
)
def test_nobody_hears_of_a_comment_that_is_not_public_when_the_task_runs(change, mailoutbox):
    writer = verified_member("hal@example.com")
    parent = factories.create_comment(article=factories.create_article(), user=writer)
    reply = reply_to(parent)
    change(reply)
    assert published(reply) == 0
    assert mailoutbox == []
    assert not Notice.objects.exists()


def test_the_task_run_twice_sends_one_mail(mailoutbox):
    writer = verified_member("ida@example.com")
    parent = factories.create_comment(article=factories.create_article(), user=writer)
    reply = reply_to(parent)
    assert published(reply) == 1
    assert published(reply) == 0
    assert len(mailoutbox) == 1


def test_a_follower_who_wrote_the_parent_gets_one_mail_about_a_reply(mailoutbox):
    """The reply notice and the digest would both name the reply: only the first is sent."""
    writer = verified_member("jo@example.com")
    article = factories.create_article()
    parent = factories.create_comment(article=article, user=writer)
    start_following(Recipient.for_member(writer), article.pk)
    published(reply_to(parent))  # the backend cannot wait: the digest runs at once too
    [mail] = mailoutbox
    assert "replied to your comment" in mail.subject
    assert Notice.objects.get().kind == Kind.REPLIES
    assert Follow.objects.get().last_sent is not None  # the digest ran, and found nothing new


@pytest.mark.parametrize("held_as", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_a_held_comment_approved_is_announced_once(
    held_as, mailoutbox, django_capture_on_commit_callbacks
):
    writer = verified_member("kit@example.com")
    held = factories.create_comment(article=factories.create_article(), user=writer, status=held_as)
    moderator = factories.create_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        held.approve(by=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        held.set_status(Comment.Status.PENDING, by=moderator)
        held.approve(by=moderator)
    [mail] = mailoutbox
    assert mail.to == ["kit@example.com"]
    assert mail.subject == f"Your comment on “{held.article.title}” is published"
    assert Notice.objects.get().kind == Kind.APPROVALS


def test_no_approval_notice_for_a_comment_published_at_once_or_put_back_after_removal(
    mailoutbox, django_capture_on_commit_callbacks
):
    writer = verified_member("lou@example.com")
    comment = factories.create_comment(article=factories.create_article(), user=writer)
    assert published(comment) == 0  # published at once: nothing was held
    moderator = factories.create_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        comment.set_status(Comment.Status.REMOVED, by=moderator)
        comment.approve(by=moderator)
    assert mailoutbox == []


@pytest.mark.parametrize(("ticked", "told"), [(True, 1), (False, 0)])
def test_a_guest_hears_of_their_approved_comment_only_if_they_asked(ticked, told, mailoutbox):
    held = guest_comment("max@example.com", ticked=ticked)
    assert published(held, held=[held]) == told
    assert len(mailoutbox) == told


def test_a_member_who_turned_approvals_off_is_not_told(mailoutbox):
    writer = verified_member("ned@example.com")
    Recipient.objects.create(user=writer, approvals=False)
    held = factories.create_comment(article=factories.create_article(), user=writer)
    assert published(held, held=[held]) == 0
    assert mailoutbox == []


def stop_link(mail, kind: str) -> str:
    """The List-Unsubscribe target, checked to stop `kind` for the mail's reader."""
    match = UNSUBSCRIBE.fullmatch(mail.extra_headers["List-Unsubscribe"])
    assert match, mail.extra_headers["List-Unsubscribe"]
    url, token, stops = match.groups()
    assert stops == kind
    recipient = tokens.open_recipient_token(token, tokens.MANAGE)
    assert recipient.address() == mail.to[0]
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return url


def test_a_reply_notice_holds_the_reply_its_link_and_the_ways_to_stop(mailoutbox):
    article = factories.create_article(title="Fixing a sticky shutter")
    writer = verified_member("ora@example.com")
    parent = factories.create_comment(article=article, user=writer)
    reply = reply_to(
        parent,
        name="Pia <b>",
        body="Try **naphtha** on the blades.\n\n<script>alert(1)</script>",
    )
    published(reply)
    [mail] = mailoutbox
    assert mail.subject == "Pia <b> replied to your comment on “Fixing a sticky shutter”"
    link = f"https://mag.example/comments/{reply.pk}/"
    assert "Try **naphtha** on the blades." in mail.body
    assert f"Read it and reply: {link}" in mail.body
    stop = stop_link(mail, "replies")
    assert f"Stop these emails: {stop}" in mail.body
    assert "Stop all comment emails: https://mag.example/notifications/unsubscribe/" in mail.body
    assert "/all/" in mail.body
    assert "Your email settings: https://mag.example/notifications/settings/" in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert "<strong>naphtha</strong>" in html
    assert "<script>" not in html
    assert "<strong>Pia &lt;b&gt;</strong> replied" in html
    assert f'href="{link}"' in html
    assert f'href="{stop}"' in html
    assert "127.0.0.1" not in mail.body + html


def test_an_approval_notice_links_to_the_comment_and_stops_approval_notices(mailoutbox):
    writer = verified_member("quin@example.com")
    held = factories.create_comment(
        article=factories.create_article(title="Night buses"), user=writer
    )
    published(held, held=[held])
    [mail] = mailoutbox
    assert mail.subject == "Your comment on “Night buses” is published"
    assert f"https://mag.example/comments/{held.pk}/" in mail.body
    stop = stop_link(mail, "approvals")
    assert f'href="{stop}"' in mail.alternatives[0][0]
