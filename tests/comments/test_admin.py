"""Moderating in the admin: the changelist, bulk actions, and the counts they keep."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from forum.articles.models import Article
from forum.comments.models import Comment
from tests import factories

from .pages import comment_ids, guest_data, post

CHANGELIST = "admin:comments_comment_changelist"
APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING
SPAM, REMOVED = Comment.Status.SPAM, Comment.Status.REMOVED


def act(client, action: str, comments) -> None:
    response = client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )
    assert response.status_code == 200


def inline_management_data(response) -> dict:
    """The management forms of a change page's read-only inlines (reader reports, the
    audit log), which the browser posts with the form."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        form = inline.formset.management_form
        data.update({form.add_prefix(name): form[name].value() for name in form.fields})
    return data


def statuses(*comments) -> list[str]:
    return [Comment.objects.get(pk=c.pk).status for c in comments]


def count_of(article) -> int:
    return Article.objects.get(pk=article.pk).comment_count


def test_changelist_filters_by_status(article, admin_client):
    factories.create_comment(article=article, body="Published remark")
    factories.create_comment(article=article, body="Waiting remark", status=PENDING)

    response = admin_client.get(reverse(CHANGELIST), {"status__exact": "pending"})

    assertContains(response, "Waiting remark")
    assertNotContains(response, "Published remark")


def test_changelist_shows_why_a_comment_was_held(article, client, admin_client):
    post(client, article, guest_data(article, body="Hello from a newcomer"))

    response = admin_client.get(reverse(CHANGELIST))

    assertContains(response, "Hello from a newcomer")
    assertContains(response, "first comment from this email")


def test_approve_publishes_held_comments_and_counts_them(article, admin_client, client):
    held = [factories.create_comment(article=article, status=PENDING) for _ in range(2)]
    client.get(article.get_absolute_url())  # the empty thread is now cached

    act(admin_client, "approve", held)

    assert statuses(*held) == [APPROVED, APPROVED]
    assert count_of(article) == 2
    assert comment_ids(client.get(article.get_absolute_url())) == [c.pk for c in held]
    assert Comment.objects.get(pk=held[0].pk).status_reasons[-1] == "approved by admin@example.com"


@pytest.mark.parametrize(("action", "status"), [("mark_spam", SPAM), ("remove", REMOVED)])
def test_spam_and_remove_unpublish_and_uncount(
    article, comment, admin_client, client, action, status
):
    kept = factories.create_comment(article=article)
    client.get(article.get_absolute_url())

    act(admin_client, action, [comment])

    assert statuses(comment, kept) == [status, APPROVED]
    assert count_of(article) == 1
    assert comment_ids(client.get(article.get_absolute_url())) == [kept.pk]


def test_bulk_action_spanning_articles_counts_each(article, subcategory, admin_client):
    other = factories.create_article(category=subcategory)
    held = [
        factories.create_comment(article=article, status=PENDING),
        factories.create_comment(article=other, status=PENDING),
        factories.create_comment(article=other, status=PENDING),
    ]

    act(admin_client, "approve", held)

    assert (count_of(article), count_of(other)) == (1, 2)


def test_moderator_removal_keeps_approved_replies_under_a_placeholder(
    article, comment, admin_client, client
):
    reply = factories.create_comment(article=article, parent=comment)

    act(admin_client, "remove", [comment])

    page = client.get(article.get_absolute_url())
    assert comment_ids(page) == [comment.pk, reply.pk]
    assertContains(page, "This comment was removed.")
    assert count_of(article) == 1


def test_action_on_comments_already_in_that_status_changes_nothing(article, comment, admin_client):
    version = Article.objects.get(pk=article.pk).comment_version

    act(admin_client, "approve", [comment])

    assert Comment.objects.get(pk=comment.pk).status_reasons == []
    assert Article.objects.get(pk=article.pk).comment_version == version


def test_editing_a_published_comment_in_the_admin_moves_the_cached_thread_on(
    article, client, admin_client
):
    published = factories.create_comment(article=article, body="Before the edit.")
    client.get(article.get_absolute_url())  # the thread is now cached
    url = reverse("admin:comments_comment_change", args=[published.pk])
    response = admin_client.get(url)
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(body="After the edit.")
    data.update(inline_management_data(response))

    response = admin_client.post(url, data)

    assert response.status_code == 302, getattr(response.context.get("errors"), "as_text", None)
    assert count_of(article) == 1
    assertContains(client.get(article.get_absolute_url()), "After the edit.")


def test_the_admin_cannot_move_a_comment_out_of_its_thread(article, admin_client):
    first = factories.create_comment(article=article)
    reply = factories.create_comment(article=article, parent=first)
    other = factories.create_article(title="Another")
    url = reverse("admin:comments_comment_change", args=[reply.pk])
    response = admin_client.get(url)
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(article=other.pk, parent="", thread="", depth=1, status_reasons="[]")
    data.update(inline_management_data(response))

    assert admin_client.post(url, data).status_code == 302

    reply.refresh_from_db()
    assert (reply.article_id, reply.parent_id, reply.thread_id, reply.depth) == (
        article.pk,
        first.pk,
        first.pk,
        2,
    )


def test_comments_are_not_added_in_the_admin_but_posted_on_the_site(admin_client):
    assert admin_client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_deleting_comments_in_the_admin_updates_the_count(article, admin_client, client):
    doomed = [factories.create_comment(article=article) for _ in range(2)]
    kept = factories.create_comment(article=article)
    client.get(article.get_absolute_url())

    admin_client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [c.pk for c in doomed], "post": "yes"},
    )

    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert count_of(article) == 1
    assert comment_ids(client.get(article.get_absolute_url())) == [kept.pk]


def test_deleting_one_comment_in_the_admin_updates_the_count(article, comment, admin_client):
    url = reverse("admin:comments_comment_delete", args=[comment.pk])

    admin_client.post(url, {"post": "yes"})

    assert not Comment.objects.exists()
    assert count_of(article) == 0


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_readers_cannot_reach_the_moderation_queue(request, client, who):
    if who == "reader":
        client.force_login(request.getfixturevalue("reader"))

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.fixture
def moderators_client(db):
    client = Client()
    client.force_login(factories.create_staff(email="mod@example.com", groups=("Moderators",)))
    return client


def test_the_migrated_moderators_group_can_moderate_and_change_the_moderation_settings_only(db):
    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )
    assert codenames == {
        "change_moderation_settings",
        "view_comment",
        "change_comment",
        "view_auditentry",
        "view_ban",
        "add_ban",
        "change_ban",
        "delete_ban",
        "view_report",
        "view_trustedcommenter",
        "add_trustedcommenter",
        "delete_trustedcommenter",
    }


def test_a_moderator_approves_from_the_queue(article, moderators_client):
    held = factories.create_comment(article=article, status=PENDING)

    assert moderators_client.get(reverse(CHANGELIST)).status_code == 200
    act(moderators_client, "approve", [held])

    assert statuses(held) == [APPROVED]
    assert moderators_client.get(reverse("admin:comments_auditentry_changelist")).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "admin:articles_article_add",
        "admin:articles_article_changelist",
        "admin:comments_comment_add",
    ],
)
def test_a_moderator_cannot_write_articles(moderators_client, url):
    assert moderators_client.get(reverse(url)).status_code == 403


def test_a_comments_admin_page_gives_its_reasons_as_words(article, admin_client):
    held = factories.create_comment(
        article=article, status=PENDING, status_reasons=["2 links", "watched word: cheap"]
    )

    response = admin_client.get(reverse("admin:comments_comment_change", args=[held.pk]))

    assertContains(response, "2 links; watched word: cheap")
    assertNotContains(response, "[&quot;2 links&quot;")


def test_a_comments_admin_title_names_its_article(article, admin_client):
    held = factories.create_comment(
        article=article,
        status=PENDING,
        name="Mina Hale",
        body="First light through the finder, and the patch is bright.",
    )

    response = admin_client.get(reverse("admin:comments_comment_change", args=[held.pk]))

    assert str(held) == "Mina Hale on Living with an M6: First light through the finder, and the…"
    assertContains(response, "<h2>Mina Hale on Living with an M6: First light through")
    assertNotContains(response, f"on {article.pk}:")


def test_a_comments_reports_are_listed_under_one_heading(article, admin_client):
    reported = factories.create_comment(article=article, body="Film is a waste of time.")
    for note in ("Rude", "Off topic", "Spam link"):
        factories.create_report(comment=reported, note=note)

    response = admin_client.get(reverse("admin:comments_comment_change", args=[reported.pk]))

    html = response.text
    reports = html[html.index('id="reports-group"') : html.index('id="audit_entries-group"')]
    assert reports.count("Reader reports") == 1
    assert reports.count('<tr class="form-row') == 3
    # The stock table captions each row with its str(): "Abusive or hateful on comment 7".
    assert f"on comment {reported.pk}" not in reports
    assert "<th" in reports and "Rude" in reports and "Spam link" in reports
