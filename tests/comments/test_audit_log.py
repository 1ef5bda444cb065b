"""Every moderation decision, by the rules at post time or by a person, is a row in the log."""

from django.urls import reverse
from pytest_django.asserts import assertContains

from forum.comments.models import AuditEntry, Comment
from tests import factories

from .pages import guest_data, post

APPROVED, PENDING, SPAM = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM


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


def test_changing_the_status_on_the_change_page_is_logged_too(article, admin_client, admin_user):
    held = factories.create_comment(article=article, status=PENDING, body="Kept text.")
    url = reverse("admin:comments_comment_change", args=[held.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"status_reasons"}
    }
    data.update(
        status=APPROVED,
        **{
            "audit_entries-TOTAL_FORMS": "0",
            "audit_entries-INITIAL_FORMS": "0",
            "audit_entries-MIN_NUM_FORMS": "0",
            "audit_entries-MAX_NUM_FORMS": "0",
        },
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert entries(held) == [
        (admin_user.pk, PENDING, APPROVED, f"changed in the admin by {admin_user}")
    ]


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
