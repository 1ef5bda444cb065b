"""The moderation queue: the comment changelist, what each row and each comment's page show,
the approve-and-trust action, and the queue's size in the admin's header and front page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.articles.models import Article
from forum.comments.models import AuditEntry, Comment, TrustedCommenter
from tests import factories

from .pages import GUEST, guest_data, post

CHANGELIST = "admin:comments_comment_changelist"
APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING
SPAM, REMOVED = Comment.Status.SPAM, Comment.Status.REMOVED


def listed(response) -> list[str]:
    """The comment excerpts in the queue, top to bottom."""
    rows = re.findall(r'<th class="field-excerpt"><a href="[^"]*">(.*?)</a>', response.text)
    return [unescape(row) for row in rows]


def filter_choices(response) -> dict[str, bool]:
    """The queue filter's choices as shown, each with whether it is the one in force."""
    html = response.text
    start = html.index('id="changelist-filter"')
    block = html[start : html.index("</details>", html.index("By queue", start))]
    return {
        unescape(text).strip(): "selected" in attrs
        for attrs, text in re.findall(r"<li([^>]*)>\s*<a [^>]*>(.*?)</a>", block, re.S)
    }


def row_of(response, text: str) -> str:
    html = response.text
    at = html.index(text)
    return unescape(html[html.rindex("<tr", 0, at) : html.index("</tr>", at)])


def test_the_queue_opens_on_pending_comments(article, moderator_client):
    factories.create_comment(article=article, body="Published remark")
    factories.create_comment(article=article, body="Waiting remark", status=PENDING)
    factories.create_comment(article=article, body="Spammy remark", status=SPAM)

    response = moderator_client.get(reverse(CHANGELIST))

    assert listed(response) == ["Waiting remark"]
    assert filter_choices(response)["Pending (1)"] is True


def test_the_queue_filter_counts_the_comments_of_each_choice(article, moderator_client):
    for _ in range(3):
        factories.create_comment(article=article, status=PENDING)
    factories.create_report(comment=factories.create_comment(article=article))
    factories.create_comment(article=article)
    factories.create_comment(article=article, status=SPAM)
    factories.create_comment(article=article, status=REMOVED)
    factories.create_comment(article=article, status=REMOVED)

    response = moderator_client.get(reverse(CHANGELIST))

    assert list(filter_choices(response)) == [
        "Pending (3)",
        "Reported (1)",
        "Approved (2)",
        "Spam (1)",
        "Removed (2)",
        "All (8)",
    ]
    # The counts are always there, so the admin's "Show counts" toggle would only add noise.
    assertNotContains(response, "Show counts")


def test_the_reported_choice_shows_reported_comments_published_or_held(article, moderator_client):
    published = factories.create_comment(article=article, body="Reported and shown")
    held = factories.create_comment(article=article, body="Reported and hidden", status=PENDING)
    factories.create_report(comment=published)
    factories.create_report(comment=held)
    factories.create_report(
        comment=factories.create_comment(article=article, body="Reported spam", status=SPAM)
    )
    factories.create_comment(article=article, body="Nobody minds this")

    response = moderator_client.get(reverse(CHANGELIST), {"status": "reported"})

    assert sorted(listed(response)) == ["Reported and hidden", "Reported and shown"]
    assert filter_choices(response)["Reported (2)"] is True


@pytest.mark.parametrize(
    ("choice", "shown"),
    [
        ("approved", ["Published"]),
        ("spam", ["Spam"]),
        ("removed", ["Removed"]),
        ("all", ["Removed", "Spam", "Published", "Held"]),
    ],
)
def test_each_queue_choice_shows_its_comments(article, moderator_client, choice, shown):
    for minutes, body, status in [
        (40, "Held", PENDING),
        (30, "Published", APPROVED),
        (20, "Spam", SPAM),
        (10, "Removed", REMOVED),
    ]:
        created = timezone.now() - timedelta(minutes=minutes)
        factories.create_comment(article=article, body=body, status=status, created=created)

    response = moderator_client.get(reverse(CHANGELIST), {"status": choice})

    assert listed(response) == shown


def test_a_status_lookup_in_the_address_replaces_the_default(article, moderator_client):
    factories.create_comment(article=article, body="Waiting remark", status=PENDING)
    factories.create_comment(article=article, body="Spammy remark", status=SPAM)

    response = moderator_client.get(reverse(CHANGELIST), {"status__exact": "spam"})

    assert listed(response) == ["Spammy remark"]
    assert not any(filter_choices(response).values())


def test_selecting_all_of_the_opening_queue_selects_only_its_pending_comments(
    article, moderator_client
):
    held = [factories.create_comment(article=article, status=PENDING) for _ in range(2)]
    published = factories.create_comment(article=article)

    moderator_client.post(
        reverse(CHANGELIST),
        {"action": "mark_spam", "select_across": "1", "_selected_action": [held[0].pk]},
    )

    assert [Comment.objects.get(pk=c.pk).status for c in (*held, published)] == [
        SPAM,
        SPAM,
        APPROVED,
    ]


def test_the_queue_lists_the_newest_comment_first(article, moderator_client):
    for minutes, body in [(30, "Older"), (5, "Newest"), (60, "Oldest")]:
        created = timezone.now() - timedelta(minutes=minutes)
        factories.create_comment(article=article, body=body, status=PENDING, created=created)

    assert listed(moderator_client.get(reverse(CHANGELIST))) == ["Newest", "Older", "Oldest"]


def test_a_first_time_guest_is_first_in_the_queue(article, client, moderator_client):
    factories.create_comment(article=article, body="Held yesterday", status=PENDING)
    post(client, article, guest_data(article, body="Hello, first time here"))

    response = moderator_client.get(reverse(CHANGELIST))

    assert listed(response) == ["Hello, first time here", "Held yesterday"]
    row = row_of(response, "Hello, first time here")
    assert "Jo Bloggs <jo@example.com>" in row
    assert "first comment from this email" in row


def test_each_row_shows_the_commenters_record_by_email_for_guests(article, moderator_client):
    for status in (APPROVED, APPROVED, APPROVED, SPAM):
        factories.create_comment(article=article, status=status, **GUEST)
    factories.create_comment(article=article, body="Jo again", status=PENDING, **GUEST)
    factories.create_comment(article=article, name="Someone else", email="else@example.com")

    response = moderator_client.get(reverse(CHANGELIST))

    row = row_of(response, "Jo again")
    assert "Jo Bloggs <jo@example.com>" in row
    assert "3 approved · 1 pending · 1 spam · 0 removed" in row


def test_each_row_shows_the_commenters_record_by_account_for_members(
    article, reader, moderator_client
):
    factories.create_comment(article=article, user=reader)
    factories.create_comment(article=article, user=reader, status=REMOVED)
    factories.create_comment(article=article, user=reader, body="Member waits", status=PENDING)
    # The same address used as a guest, before they joined: not their account's record.
    factories.create_comment(article=article, name="Old me", email=reader.email, status=SPAM)

    response = moderator_client.get(reverse(CHANGELIST))

    assert "1 approved · 1 pending · 0 spam · 1 removed" in row_of(response, "Member waits")


def test_each_row_shows_the_article_the_reasons_and_the_open_reports(article, moderator_client):
    held = factories.create_comment(
        article=article,
        body="Linky remark",
        status=PENDING,
        status_reasons=["2 links", "watched word: cheap"],
    )
    factories.create_report(comment=held)
    factories.create_report(comment=held, reason="spam")

    row = row_of(moderator_client.get(reverse(CHANGELIST)), "Linky remark")

    assert "Living with an M6" in row
    assert "2 links; watched word: cheap" in row
    assert '<td class="field-report_count">2</td>' in row


@pytest.mark.parametrize(
    ("query", "found"),
    [("harbour", "By the harbour"), ("Quentin", "Q's remark"), ("q@example.org", "Q's remark")],
)
def test_the_queue_searches_text_names_and_emails(article, moderator_client, query, found):
    factories.create_comment(article=article, body="By the harbour", status=PENDING)
    factories.create_comment(
        article=article, body="Q's remark", name="Quentin", email="q@example.org", status=PENDING
    )

    response = moderator_client.get(reverse(CHANGELIST), {"q": query})

    assert listed(response) == [found]


def test_the_queue_is_a_fixed_number_of_queries_whatever_its_length(
    article, moderator_client, django_assert_max_num_queries
):
    def fill(n):
        for i in range(n):
            member = factories.create_user() if i % 2 else None
            parent = factories.create_comment(article=article)
            factories.create_comment(article=article, parent=parent, user=member, status=PENDING)

    fill(2)
    url = reverse(CHANGELIST)
    moderator_client.get(url)  # the session and permissions, as on any later page
    with CaptureQueriesContext(connection) as few:
        assert len(listed(moderator_client.get(url))) == 2
    fill(18)

    with django_assert_max_num_queries(len(few)):
        assert len(listed(moderator_client.get(url))) == 20


# A comment's page: its context


def change_page(client, comment):
    return client.get(reverse("admin:comments_comment_change", args=[comment.pk]))


def test_a_comments_page_shows_the_comment_it_replies_to(article, moderator_client):
    parent = factories.create_comment(
        article=article, body="What lens was this?", name="Ann Lee", email="ann@example.com"
    )
    reply = factories.create_comment(
        article=article, parent=parent, body="A 35mm Summicron.", status=PENDING
    )

    response = change_page(moderator_client, reply)

    assertContains(response, "In reply to")
    assertContains(response, "What lens was this?")
    assertContains(response, "by Ann Lee &lt;ann@example.com&gt; · Approved")
    parent_url = reverse("admin:comments_comment_change", args=[parent.pk])
    assertContains(response, f'href="{parent_url}"')


def test_a_top_level_comments_page_says_it_starts_a_thread(comment, moderator_client):
    assertContains(change_page(moderator_client, comment), "Nobody: it starts a thread.")


def test_a_comments_page_lists_the_commenters_ten_latest_other_comments(
    article, subcategory, moderator_client
):
    other_article = factories.create_article(title="Fog and grain", category=subcategory)
    for n in range(12):
        factories.create_comment(
            article=other_article if n % 2 else article,
            body=f"Earlier remark number {n:02}",
            status=SPAM if n == 11 else APPROVED,
            created=timezone.now() - timedelta(hours=20 - n),
            **GUEST,
        )
    current = factories.create_comment(article=article, body="Now this", status=PENDING, **GUEST)
    factories.create_comment(article=article, body="Not theirs at all")

    response = change_page(moderator_client, current)

    html = response.text
    history = html[
        html.index('class="comment-history"') : html.index("</ul>", html.index("comment-history"))
    ]
    shown = re.findall(r"Earlier remark number (\d+)", history)
    assert shown == [f"{n:02}" for n in range(11, 1, -1)]
    assert "Now this" not in history and "Not theirs" not in history
    assert "Spam" in history and "Fog and grain" in history


def test_a_comments_page_lists_its_reader_reports(article, comment, reader, moderator_client):
    factories.create_report(comment=comment, user=reader, reason="abusive", note="Rude to Ben")
    factories.create_report(comment=comment, reason="off_topic", ip="203.0.113.0")

    response = change_page(moderator_client, comment)

    assertContains(response, "Reader reports")
    assertContains(response, "Abusive or hateful")
    assertContains(response, "Rude to Ben")
    assertContains(response, str(reader))
    assertContains(response, "Off-topic")
    assertContains(response, "a guest")


def test_a_moderator_acts_on_one_comment_from_its_own_page(article, moderator_client):
    held = factories.create_comment(article=article, status=PENDING)
    url = reverse("admin:comments_comment_change", args=[held.pk])

    response = moderator_client.post(
        url, {"CHANGE_FORM-action": "approve", "_selected_action": [held.pk]}
    )

    assert response.status_code == 302
    assert Comment.objects.get(pk=held.pk).status == APPROVED
    assert Article.objects.get(pk=article.pk).comment_count == 1


# Approve and trust


def act(client, action: str, comments, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in comments], **extra},
        follow=True,
    )


def test_approve_and_trust_publishes_and_trusts_each_commenter_once(
    article, reader, moderator, moderator_client
):
    guest_first = factories.create_comment(article=article, status=PENDING, **GUEST)
    guest_second = factories.create_comment(article=article, status=PENDING, **GUEST)
    member = factories.create_comment(article=article, user=reader, status=PENDING)

    response = act(moderator_client, "approve_and_trust", [guest_first, guest_second, member])

    assertContains(response, "3 comments approved.")
    assertContains(response, "2 commenters trusted")
    assert {c.status for c in Comment.objects.all()} == {APPROVED}
    assert Article.objects.get(pk=article.pk).comment_count == 3
    assert sorted(TrustedCommenter.objects.values_list("email", "user_id", "created_by_id")) == [
        ("", reader.pk, moderator.pk),
        ("jo@example.com", None, moderator.pk),
    ]
    decisions = AuditEntry.objects.filter(comment=guest_first).values_list(
        "actor_id", "action", "old_status", "new_status", "reason"
    )
    assert list(decisions) == [
        (moderator.pk, "status", PENDING, APPROVED, f"approved by {moderator}")
    ]
    assert AuditEntry.objects.filter(action="trusted", actor=moderator).count() == 2


def test_a_trusted_commenters_next_comment_is_published_at_once(
    article, client, configure, moderator_client
):
    configure(trusted_after=5)
    first = factories.create_comment(article=article, status=PENDING, **GUEST)

    act(moderator_client, "approve_and_trust", [first])
    post(client, article, guest_data(article, body="Back with more about the fog."))

    later = Comment.objects.get(body="Back with more about the fog.")
    assert (later.status, later.status_reasons) == (APPROVED, ["trusted by a moderator"])


def test_without_trust_the_next_comment_still_waits(article, client, configure, moderator_client):
    configure(trusted_after=5)
    first = factories.create_comment(article=article, status=PENDING, **GUEST)

    act(moderator_client, "approve", [first])
    post(client, article, guest_data(article, body="Back with more about the fog."))

    assert Comment.objects.get(body="Back with more about the fog.").status == PENDING


# The queue's size, where a moderator looks first


def test_the_admin_header_says_how_many_comments_wait(article, moderator_client):
    factories.create_comment(article=article, status=PENDING)
    factories.create_comment(article=article, status=PENDING)
    factories.create_report(comment=factories.create_comment(article=article))
    factories.create_comment(article=article)
    factories.create_comment(article=article, status=SPAM)

    response = moderator_client.get(reverse("admin:comments_auditentry_changelist"))

    queue = reverse(CHANGELIST)
    assertContains(
        response,
        f'<a href="{queue}" id="queue-link" class="queue-link queue-link--waiting">'
        "3 comments waiting</a>",
        html=True,
    )


def test_the_admin_header_says_when_nothing_waits(db, moderator_client):
    response = moderator_client.get(reverse("admin:index"))

    assertContains(response, "No comments waiting")


def test_the_admin_front_page_opens_with_the_moderation_queue(article, moderator_client):
    factories.create_comment(article=article, status=PENDING)
    factories.create_report(comment=factories.create_comment(article=article))

    response = moderator_client.get(reverse("admin:index"))

    html = response.text
    box = html[html.index('id="moderation-queue"') : html.index("</section>")]
    assert html.index('id="moderation-queue"') < html.index('id="content-main"')
    assert "2 comments waiting" in box
    assert "1 held for approval, 1 reported by readers" in box
    assert f'href="{reverse(CHANGELIST)}">Open the queue</a>' in box
    assert f'href="{reverse(CHANGELIST)}?status=reported"' in box


def test_the_front_page_counts_reported_comments_as_the_queues_filter_does(
    article, moderator_client
):
    """A comment the reports hid is both held and reported: counted once in what waits."""
    factories.create_report(comment=factories.create_comment(article=article))
    hidden = factories.create_comment(article=article, status=PENDING)
    for _ in range(3):
        factories.create_report(comment=hidden)
    factories.create_comment(article=article, status=PENDING)

    front = moderator_client.get(reverse("admin:index")).text
    queue = moderator_client.get(reverse(CHANGELIST), {"status": "reported"})

    assert "3 comments waiting" in front
    assert "2 held for approval, 2 reported by readers" in front
    assert queue.context["cl"].result_count == 2
    assert "Reported (2)" in queue.text


def test_editors_are_not_shown_the_moderation_queue(article, editor_client):
    factories.create_comment(article=article, status=PENDING)

    response = editor_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assertNotContains(response, "waiting")
    assertNotContains(response, "Moderation queue")
