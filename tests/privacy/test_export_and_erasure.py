"""A person's download holds everything stored about them and nothing of anyone else; an
erasure leaves nothing of them but the anonymous comments or placeholders they chose."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from forum.comments.models import AuditEntry, Ban, Comment, Report, TrustedCommenter
from forum.comments.services import trust_commenter
from forum.donations.models import Donation, Payment, WebhookEvent
from forum.newsletter.models import Subscriber
from forum.notifications.models import Follow, Recipient
from forum.privacy import services
from forum.privacy.models import PrivacyRequest, address_hash
from tests import factories
from tests.privacy.traces import rows_naming

pytestmark = pytest.mark.django_db

EMAIL = "quillon@example.com"
OTHER_EMAIL = "q.marsh@example.net"  # the member's second address, also used as a guest
NAME = "Quillon Marsh"


def mail_task(*, to: str, subject: str, text: str, status: str = "READY"):
    """A mail in the database task queue, as `send_email` leaves it: rendered at queue time."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    finished = timezone.now() if status != "READY" else None
    return DBTaskResult.objects.create(
        task_path="forum.core.mail.send_email_message",
        args_kwargs={"args": [], "kwargs": {"to": [to], "subject": subject, "text": text}},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        status=status,
        finished_at=finished,
    )


@pytest.fixture
def world(article):
    """A member with a record of every kind, among other people's comments."""
    member = factories.create_user(email=EMAIL, username="quillon", display_name=NAME)
    EmailAddress.objects.create(user=member, email=EMAIL, verified=True, primary=True)
    EmailAddress.objects.create(user=member, email=OTHER_EMAIL, verified=True)
    # Typed in and never confirmed: it is another reader's, whose comment must stay hers.
    EmailAddress.objects.create(user=member, email="mira@example.org", verified=False)
    moderator = factories.create_moderator(email="mod@example.com")
    stranger = factories.create_comment(
        article=article, name="Ottoline Fenn", email="ottoline@example.org"
    )
    theirs = factories.create_comment(article=article, user=member, body="Grain is a choice.")
    answer = factories.create_comment(
        article=article,
        parent=theirs,
        name="Ottoline Fenn",
        email="ottoline@example.org",
        body="It is, and a good one.",
    )
    reply = factories.create_comment(
        article=article, parent=stranger, user=member, body="Agreed about the light."
    )
    held = factories.create_comment(
        article=article, user=member, status=Comment.Status.PENDING, ip="203.0.113.0"
    )
    as_guest = factories.create_comment(
        article=article,
        name="Q. Marsh",
        email=OTHER_EMAIL,
        website="https://quillon.example.net/",
        body="Before I joined.",
        ip="198.51.100.0",
        user_agent="Firefox",
    )
    # As a guest again, under a name that is a common word, which other rows use too.
    as_word = factories.create_comment(
        article=article, name="Comment", email=OTHER_EMAIL, body="Lovely tones."
    )
    others_entry = AuditEntry.objects.create(
        comment=stranger, actor=moderator, reason="A fair comment, kept"
    )
    miras = factories.create_comment(
        article=article, name="Mira Stone", email="mira@example.org", body="Mine, not his."
    )
    factories.create_report(comment=stranger, user=member, note="Quillon Marsh finds it rude")
    trust_commenter(comment=theirs, by=moderator)
    # A moderator edited the member's comment in the admin: the history titles it.
    LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=str(theirs.pk),
        object_repr=str(theirs),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Body"]}}]',
    )
    subscriber = factories.create_subscriber(email=EMAIL, name=NAME, user=member)
    recipient = Recipient.for_member(member)
    Follow.objects.create(recipient=recipient, article=article)
    Recipient.for_guest(OTHER_EMAIL)
    gift = factories.create_donation(
        email=EMAIL, name=NAME, user=member, message="For the darkroom", public=True
    )
    WebhookEvent.objects.create(
        provider="dev",
        event_id="evt_1",
        type="checkout.session.completed",
        payload={
            "data": {
                "object": {
                    "id": gift.checkout_id,
                    "customer_details": {"email": EMAIL, "name": NAME},
                }
            }
        },
    )
    # Mail rendered when queued: a reply notice to another reader quoting the member's reply,
    # the moderators' note of the held comment, and a reply notice about someone else.
    notice = mail_task(
        to="ottoline@example.org",
        subject=f"{NAME} replied to your comment",
        text=f'{NAME} replied to your comment on "{article.title}":\n\nAgreed about the light.',
    )
    held_note = mail_task(
        to="mod@example.com",
        subject="1 new comment is waiting",
        text=f"{NAME} on {article.title}\nHeld because: links\n{held.body}",
        status="SUCCESSFUL",
    )
    unrelated = mail_task(
        to="fenn-follower@example.org",
        subject="Ottoline Fenn replied to your comment",
        text=f"Ottoline Fenn replied to your comment: {answer.body}",
    )
    session = SessionStore()
    session.create()
    UserSession.objects.create(
        user=member, ip="192.0.2.10", session_key=session.session_key, user_agent="Safari"
    )
    return {
        "member": member,
        "article": article,
        "stranger": stranger,
        "theirs": theirs,
        "answer": answer,
        "reply": reply,
        "held": held,
        "as_guest": as_guest,
        "as_word": as_word,
        "others_entry": others_entry,
        "miras": miras,
        "subscriber": subscriber,
        "gift": gift,
        "session": session,
        "mail": {"notice": notice, "held_note": held_note, "unrelated": unrelated},
    }


def test_a_members_export_holds_every_kind_of_record_and_nothing_of_anyone_else(world):
    data = services.export_for_user(world["member"])

    assert data["account"]["email"] == EMAIL
    assert data["account"]["display_name"] == NAME
    assert "password" not in data["account"]
    assert {(a["email"], a["verified"]) for a in data["account"]["email_addresses"]} == {
        (EMAIL, True),
        (OTHER_EMAIL, True),
        ("mira@example.org", False),  # the account's own record of what was typed in
    }
    assert data["email_addresses"] == sorted([EMAIL, OTHER_EMAIL])
    assert data["account"]["sessions"][0]["network"] == "192.0.2.10"
    comments = {c["id"]: c for c in data["comments"]}
    assert set(comments) == {
        world["theirs"].pk,
        world["reply"].pk,
        world["held"].pk,
        world["as_guest"].pk,
        world["as_word"].pk,
    }
    assert comments[world["held"].pk]["status"] == "Pending"
    assert comments[world["as_guest"].pk]["website"] == "https://quillon.example.net/"
    assert comments[world["reply"].pk]["in_reply_to"] == world["stranger"].pk
    assert data["reports_made"][0]["note"] == "Quillon Marsh finds it rude"
    assert data["newsletter"][0]["subscriptions"][0]["status"] == "Confirmed"
    settings_by_address = {r["address"]: r for r in data["notifications"]}
    assert settings_by_address["your account's address"]["following"][0]["article"] == (
        world["article"].title
    )
    assert OTHER_EMAIL in settings_by_address
    assert data["donations"][0]["message"] == "For the darkroom"
    assert data["donations"][0]["payments"][0]["receipt"].startswith("FG-")
    assert data["moderation"]["trusted_commenter"] is True
    text = json.dumps(data)
    others = ["Ottoline", "ottoline@example.org", "It is, and a good one.", "mod@example"]
    for other in [*others, "Mira Stone", "Mine, not his.", "A fair comment"]:
        assert other not in text, other


def test_a_guests_export_holds_what_is_stored_under_the_address_only(world):
    data = services.export_for_email(OTHER_EMAIL)

    assert data["account"] is None
    assert {c["id"] for c in data["comments"]} == {world["as_guest"].pk, world["as_word"].pk}
    assert data["notifications"][0]["address"] == OTHER_EMAIL
    assert data["newsletter"] == [] and data["donations"] == []
    assert "Grain is a choice." not in json.dumps(data)  # the account's comment


def test_every_export_is_logged_without_the_address(world):
    services.export_for_email(OTHER_EMAIL)

    entry = PrivacyRequest.objects.get()
    assert entry.action == "export" and entry.via == "link"
    assert entry.address_hash == address_hash(OTHER_EMAIL)
    assert OTHER_EMAIL not in json.dumps(entry.counts)


def assert_others_untouched(world):
    """Other people's rows in the world keep every word, the common ones included."""
    miras = Comment.objects.get(pk=world["miras"].pk)
    assert (miras.name, miras.email, miras.body) == (
        "Mira Stone",
        "mira@example.org",
        "Mine, not his.",
    )
    world["others_entry"].refresh_from_db()
    assert world["others_entry"].reason == "A fair comment, kept"
    answer = Comment.objects.get(pk=world["answer"].pk)
    assert (answer.name, answer.body) == ("Ottoline Fenn", "It is, and a good one.")


def test_erasing_an_account_anonymising_leaves_the_comments_in_place_and_nothing_of_the_member(
    world,
):
    article = world["article"]
    count_before = type(article).objects.get(pk=article.pk).comment_count
    assert len(rows_naming(EMAIL)) >= 8  # the search finds them before

    counts = services.erase_user(world["member"], comments=services.ANONYMISE)

    assert counts["comments"] == 5 and counts["account"] == 1
    theirs = Comment.objects.get(pk=world["theirs"].pk)
    assert (theirs.name, theirs.email, theirs.user_id, theirs.website) == (
        "Former member",
        "",
        None,
        "",
    )
    assert theirs.body == "Grain is a choice." and theirs.status == "approved"
    assert Comment.objects.get(pk=world["held"].pk).ip is None
    guest = Comment.objects.get(pk=world["as_guest"].pk)
    assert (guest.name, guest.website, guest.ip, guest.user_agent) == (
        "Former reader",
        "",
        None,
        "",
    )
    assert Comment.objects.get(pk=world["answer"].pk).parent_id == theirs.pk
    assert type(article).objects.get(pk=article.pk).comment_count == count_before
    page = Client().get(article.get_absolute_url())
    assert "Former member" in page.text and "It is, and a good one." in page.text
    for trace in (EMAIL, OTHER_EMAIL, NAME, "Quillon", "quillon.example", "Q. Marsh"):
        assert rows_naming(trace) == [], trace
    assert Comment.objects.get(pk=world["as_word"].pk).name == "Former reader"
    assert_others_untouched(world)


def test_erasing_an_account_removing_deletes_the_comments_and_keeps_replies_in_place(world):
    article = world["article"]
    count_before = type(article).objects.get(pk=article.pk).comment_count

    counts = services.erase_user(world["member"], comments=services.REMOVE)

    assert counts["comments"] == 5
    placeholder = Comment.objects.get(pk=world["theirs"].pk)
    assert placeholder.deleted is not None and placeholder.status == "removed"
    assert (placeholder.body, placeholder.name, placeholder.email, placeholder.user_id) == (
        "",
        "",
        "",
        None,
    )
    assert Comment.objects.get(pk=world["answer"].pk).parent_id == placeholder.pk
    for gone in ("reply", "held", "as_guest", "as_word"):
        assert not Comment.objects.filter(pk=world[gone].pk).exists(), gone
    # Four of the member's published comments went: "theirs", "reply" and the guest ones.
    assert type(article).objects.get(pk=article.pk).comment_count == count_before - 4
    page = Client().get(article.get_absolute_url())
    assert "This comment was deleted." in page.text and "It is, and a good one." in page.text
    assert "Grain is a choice." not in page.text
    assert AuditEntry.objects.filter(
        comment=placeholder, new_status="removed", reason="erased at its writer's request"
    ).exists()
    for trace in (EMAIL, OTHER_EMAIL, NAME, "Quillon", "Grain is a choice.", "Before I joined."):
        assert rows_naming(trace) == [], trace
    assert_others_untouched(world)
    history = LogEntry.objects.get(object_id=str(placeholder.pk))
    assert history.object_repr == "Erased comment"
    assert history.get_change_message() == "Changed Body."


def test_erasing_an_account_keeps_the_money_record_and_reports_without_the_member(world):
    services.erase_user(world["member"], comments=services.ANONYMISE)

    gift = Donation.objects.get(pk=world["gift"].pk)
    assert (gift.name, gift.email, gift.message, gift.public, gift.user_id) == (
        "Erased donor",
        "",
        "",
        False,
        None,
    )
    assert gift.amount == 500 and Payment.objects.filter(donation=gift).count() == 1
    report = Report.objects.get(comment=world["stranger"])
    assert (report.user_id, report.note, report.reason) == (None, "", "abusive")
    assert not Subscriber.objects.exists()
    assert not Recipient.objects.exists() and not Follow.objects.exists()
    assert not TrustedCommenter.objects.exists()
    assert not UserSession.objects.exists()
    assert not SessionStore().exists(world["session"].session_key)
    assert not EmailAddress.objects.exists()
    entries = PrivacyRequest.objects.filter(action="erasure")
    assert {e.address_hash for e in entries} == {address_hash(EMAIL), address_hash(OTHER_EMAIL)}


def test_an_active_ban_survives_the_erasure_by_address(world):
    factories.create_ban(user=world["member"], reason="Quillon Marsh posts spam links")
    factories.create_ban(email="someone-else@example.org")

    counts = services.erase_user(world["member"], comments=services.ANONYMISE)

    assert counts["bans_kept"] == 1
    kept = Ban.objects.find(email=EMAIL)
    assert kept.reason == "[erased] posts spam links"
    assert Ban.objects.filter(email="someone-else@example.org").exists()


def test_a_guest_erasure_leaves_the_account_that_uses_the_address_alone(world):
    services.erase_email(OTHER_EMAIL, comments=services.REMOVE)

    assert not Comment.objects.filter(pk=world["as_guest"].pk).exists()
    assert not Recipient.objects.filter(email=OTHER_EMAIL).exists()
    assert Comment.objects.get(pk=world["theirs"].pk).user == world["member"]
    assert Recipient.objects.filter(user=world["member"]).exists()
    assert rows_naming("Q. Marsh") == [] and rows_naming("quillon.example.net") == []


def test_a_running_monthly_gift_stops_the_erasure_until_it_is_cancelled(world):
    factories.create_donation(email=EMAIL, kind="monthly", status=Donation.Status.ACTIVE)

    with pytest.raises(services.ErasureBlocked):
        services.erase_user(world["member"], comments=services.ANONYMISE)

    assert type(world["member"]).objects.filter(pk=world["member"].pk).exists()
    assert Comment.objects.get(pk=world["theirs"].pk).name == NAME


@pytest.mark.parametrize("comments", [services.ANONYMISE, services.REMOVE])
def test_mail_to_or_about_the_person_in_the_database_task_queue_is_forgotten(world, comments):
    from django_tasks_db.models import DBTaskResult

    to_them = mail_task(to=EMAIL, subject="Welcome", text="Hello")
    sent_to_them = mail_task(to=OTHER_EMAIL, subject="Done", text="Hi", status="FAILED")
    running = mail_task(to=EMAIL, subject="Going now", text="Hello", status="RUNNING")
    # Another reader's reply quoting the member by a name only: not about the member.
    named = mail_task(
        to="ottoline@example.org", subject="Reply", text=f"Dear {NAME}, grain is fine."
    )

    counts = services.erase_user(world["member"], comments=comments)

    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {world["mail"]["unrelated"].pk, running.pk, named.pk}
    assert counts["queued_mail"] == 4  # to_them, sent_to_them, the notice, the held note
    assert to_them.pk not in left and sent_to_them.pk not in left


VICTIM = "victim@example.org"


@pytest.fixture
def claimed_address(world):
    """Another reader's guest comment and newsletter subscription, and a member who added
    that reader's address to their account without ever confirming it."""
    article = world["article"]
    victims = factories.create_comment(
        article=article, name="Vera Lind", email=VICTIM, body="My own words, not theirs."
    )
    factories.create_subscriber(email=VICTIM, name="Vera Lind")
    claimer = factories.create_user(email="claimer@example.com", username="claimer")
    EmailAddress.objects.create(
        user=claimer, email="claimer@example.com", verified=True, primary=True
    )
    EmailAddress.objects.create(user=claimer, email=VICTIM, verified=False)
    # Signed up with the address and never confirmed it: it is the account's own field too.
    signed_up = factories.create_user(email=VICTIM, username="signed-up")
    EmailAddress.objects.create(user=signed_up, email=VICTIM, verified=False, primary=True)
    return {"claimer": claimer, "signed_up": signed_up, "victims": victims}


@pytest.mark.parametrize("who", ["claimer", "signed_up"])
def test_an_unconfirmed_address_on_an_account_opens_nothing_stored_under_it(claimed_address, who):
    account = claimed_address[who]

    data = services.export_for_user(account)
    services.erase_user(account, comments=services.REMOVE)

    assert data["email_addresses"] in (["claimer@example.com"], [])
    assert data["comments"] == [] and data["newsletter"] == []
    assert "My own words" not in json.dumps(data)
    assert Comment.objects.filter(pk=claimed_address["victims"].pk).exists()
    assert Subscriber.objects.filter(email=VICTIM).exists()


def test_staff_looking_up_an_address_do_not_get_the_account_that_only_claims_it(
    claimed_address,
):
    data = services.export_for_email(VICTIM, with_account=True, via="staff")

    assert data["account"] is None
    assert services.account_for_email(VICTIM) is None
    assert [c["id"] for c in data["comments"]] == [claimed_address["victims"].pk]


def test_an_erasure_scrubs_the_persons_own_log_rows_and_leaves_everyone_elses(world):
    """A guest named with a common word: the word leaves their rows only."""
    from forum.comments.services import ban_commenter

    moderator = factories.create_moderator(email="mod2@example.com")
    guest = factories.create_comment(
        article=world["article"], name="Comment", email="word@example.org", body="Nice one."
    )
    ban_commenter(comment=guest, by=moderator, account=False, reason="Comment spams")
    world["stranger"].set_status(Comment.Status.REMOVED, by=moderator, reason="comment spam")
    others = AuditEntry.objects.get(comment=world["stranger"], new_status="removed")
    comment_type = ContentType.objects.get_for_model(Comment)

    def logged(comment, message):
        return LogEntry.objects.create(
            user=moderator,
            content_type=comment_type,
            object_id=str(comment.pk),
            object_repr=str(comment)[:200],
            action_flag=CHANGE,
            change_message=message,
        )

    about_guest = logged(guest, "Comment asked for a fix")
    about_other = logged(world["stranger"], "Fixed a typo in the comment")

    services.erase_email("word@example.org", comments=services.ANONYMISE)

    others.refresh_from_db()
    assert others.reason == "comment spam"
    about_other.refresh_from_db()
    assert about_other.change_message == "Fixed a typo in the comment"
    assert about_other.object_repr.startswith("Ottoline Fenn on ")
    ban_entry = AuditEntry.objects.get(action="banned")
    assert "word@example.org" not in ban_entry.reason and "Comment" not in ban_entry.reason
    about_guest.refresh_from_db()
    assert about_guest.object_repr.startswith("[erased] on ")
    assert about_guest.change_message == "[erased] asked for a fix"


def test_a_name_shorter_than_three_letters_is_never_scrubbed():
    assert services._scrub("Al banned Alan", {"Al", "Alan"}, []) == "Al banned [erased]"
    assert services._scrub("Al said so", {"Al"}, []) == "Al said so"


@pytest.fixture
def sqlite_variable_limit():
    """SQLite caps the values in one statement (32,766 by default, less where it was built
    so): lowered here, so that a statement with one value for each comment fails at 3,600
    comments rather than 33,000. The comments app's own batches of 500 fit under it.
    PostgreSQL (65,535 values a statement) runs the test as it is."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    before = connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)
    yield
    connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


LIMIT = 3500


@pytest.mark.parametrize("comments", [services.ANONYMISE, services.REMOVE])
def test_a_member_with_more_comments_than_a_statement_takes_is_erased_whole(
    article, sqlite_variable_limit, comments
):
    member = factories.create_user(email="prolific@example.com", display_name="Prolific Poe")
    first = factories.create_comment(article=article, user=member, body="The first of many.")
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=first,
            thread_id=first.pk,
            depth=2,
            user=member,
            name="Prolific Poe",
            email="prolific@example.com",
            body=f"Remark {n}.",
        )
        for n in range(LIMIT + 100)
    )

    counts = services.erase_user(member, comments=comments)

    assert counts["comments"] == LIMIT + 101
    assert not Comment.objects.filter(name="Prolific Poe").exists()
    left = Comment.objects.filter(article=article).count()
    assert left == (LIMIT + 101 if comments == services.ANONYMISE else 0)
