"""Every moderation decision, by the rules at post time or by a person, is a row in the log."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from forum.articles.models import Article
from forum.comments.models import AuditEntry, Comment
from tests import factories

from .pages import guest_data, post
from .test_admin import inline_management_data

APPROVED, PENDING, SPAM = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM
REMOVED = Comment.Status.REMOVED


def entries(comment) -> list[tuple]:
    return [
        (e.actor_id, e.old_status, e.new_status, e.reason)
        for e in AuditEntry.objects.filter(comment=comment).order_by("pk")
    ]


def test_posting_logs_the_systems_decision_with_its_reason(article, client):
    post(client, article, guest_data(article))

    comment = Comment.objects.get()
    assert entries(comment) == [(None, "", PENDING, "first comment from this email")]
    assert str(AuditEntry.objects.get()) == "system: new → pending"


def test_a_bulk_action_logs_who_moved_each_comment_from_what_to_what(
    article, admin_client, admin_user
):
    held = factories.create_comment(article=article, status=PENDING)
    published = factories.create_comment(article=article)

    admin_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "mark_spam", "_selected_action": [held.pk, published.pk]},
    )

    reason = f"marked as spam by {admin_user}"
    assert entries(held) == [(admin_user.pk, PENDING, SPAM, reason)]
    assert entries(published) == [(admin_user.pk, APPROVED, SPAM, reason)]


def test_an_action_that_changes_nothing_logs_nothing(article, admin_client):
    published = factories.create_comment(article=article)

    admin_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [published.pk]},
    )

    assert entries(published) == []


def test_approving_from_a_comments_own_page_is_logged_like_the_queues_actions(
    article, admin_client, admin_user
):
    """Logged, the readers' reports settled, the article recounted."""
    held = factories.create_comment(
        article=article, status=PENDING, body="Kept text.", report_count=3
    )
    url = reverse("admin:comments_comment_change", args=[held.pk])

    response = admin_client.post(
        url, {"CHANGE_FORM-action": "approve", "_selected_action": [held.pk]}
    )

    assert response.status_code == 302
    assert entries(held) == [(admin_user.pk, PENDING, APPROVED, f"approved by {admin_user}")]
    held.refresh_from_db()
    assert (held.report_count, held.body) == (0, "Kept text.")
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_the_status_is_not_a_field_of_the_change_page(article, admin_client):
    """The actions change it, with everything that goes with a change; a status posted with
    the form (forged, or from an old page) changes nothing."""
    held = factories.create_comment(article=article, status=PENDING, body="Kept text.")
    url = reverse("admin:comments_comment_change", args=[held.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    assert "status" not in form.fields
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(status=APPROVED, body="Edited text.", **inline_management_data(page))

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    held.refresh_from_db()
    assert (held.status, held.body) == (PENDING, "Edited text.")
    assert entries(held) == []


def test_the_comment_page_in_the_admin_shows_its_decisions(article, client, admin_client):
    post(client, article, guest_data(article))
    comment = Comment.objects.get()
    comment.approve(reason="looks fine")

    response = admin_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assertContains(response, "Decisions about this comment", status_code=200)
    assertContains(response, "first comment from this email")
    assertContains(response, "looks fine")


def test_the_log_can_be_read_and_filtered_but_not_written(article, client, admin_client):
    post(client, article, guest_data(article))
    entry = AuditEntry.objects.get()
    changelist = reverse("admin:comments_auditentry_changelist")

    assertContains(admin_client.get(changelist), "first comment from this email")
    assertContains(admin_client.get(changelist + "?new_status__exact=pending"), "system")
    assertContains(admin_client.get(changelist + "?by=system"), "first comment from this email")
    assertContains(admin_client.get(changelist + "?by=person"), "0 audit log entries")
    assert admin_client.get(reverse("admin:comments_auditentry_add")).status_code == 403
    delete = reverse("admin:comments_auditentry_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:comments_auditentry_change", args=[entry.pk])
    admin_client.post(change, {"reason": "rewritten"})
    entry.refresh_from_db()
    assert entry.reason == "first comment from this email"


@pytest.mark.parametrize(
    ("action", "old", "new", "reason"),
    [
        ("approve", PENDING, APPROVED, "approved"),
        ("mark_spam", APPROVED, SPAM, "marked as spam"),
        ("remove", APPROVED, REMOVED, "removed"),
        ("approve_and_trust", PENDING, APPROVED, "approved"),
    ],
)
def test_each_queue_action_logs_its_decision_and_recounts_the_article(
    article, moderator, moderator_client, action, old, new, reason
):
    chosen = factories.create_comment(article=article, status=old)
    factories.create_comment(article=article, status=old)

    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": action, "_selected_action": [chosen.pk]},
    )

    assert Comment.objects.get(pk=chosen.pk).status == new
    assert entries(chosen)[0] == (moderator.pk, old, new, f"{reason} by {moderator}")
    # Two published before spam or removal, none before approval: one after, either way.
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_the_log_lists_and_filters_bans_and_trust_given_by_hand(
    moderator, moderator_client, reader
):
    moderator_client.post(
        reverse("admin:comments_ban_add"),
        {"email": "spam@example.com", "user": "", "ip_range": "", "expires_0": "", "expires_1": ""},
    )
    moderator_client.post(
        reverse("admin:comments_trustedcommenter_add"), {"email": "", "user": str(reader.pk)}
    )
    changelist = reverse("admin:comments_auditentry_changelist")

    bans = moderator_client.get(changelist, {"action__exact": "banned"})

    assertContains(bans, f"banned spam@example.com by {moderator}")
    assertContains(bans, "1 audit log entry")
    assertContains(moderator_client.get(changelist, {"action__exact": "trusted"}), "trusted by")
