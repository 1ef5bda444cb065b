"""Moderators clear a thread from the article page: held comments shown in place, marked with
their status and why, with Approve, Spam, Remove and Edit beside them; readers see none of it."""

import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from forum.comments.models import AuditEntry, Comment
from tests import factories

from .pages import comment_html, comment_ids, section

HELD = "Held for moderation"


def notices(response) -> str:
    match = re.search(r'<div class="comment-notices" id="comment-notices" role="status">(.*?)</div>',
                      section(response), re.S)  # fmt: skip
    return unescape(match.group(1)) if match else ""


def moderate(client, comment, action: str, query: str = ""):
    return client.post(reverse("comments:moderate", args=[comment.pk]) + query, {"action": action})


@pytest.fixture
def discussion(article):
    """A published comment with a reply held for two reasons."""
    first = factories.create_comment(article=article, name="Mina Hale", body="First light.")
    held = factories.create_comment(
        article=article,
        parent=first,
        name="Pavel Brandt",
        body="Try [this](https://a.example) and [that](https://b.example).",
        status=Comment.Status.PENDING,
        status_reasons=["2 links", "first comment from this email"],
    )
    return first, held


def test_a_moderator_sees_a_held_reply_in_place_with_its_reasons_and_buttons(
    article, discussion, moderator_client
):
    _, held = discussion

    response = moderator_client.get(article.get_absolute_url())

    html = comment_html(response, held.pk)
    assert 'class="comment comment--pending"' in html
    assert f"{HELD}</strong>: 2 links; first comment from this email." in html
    assert f'action="/comments/{held.pk}/moderate/"' in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    for action, label in [("approve", "Approve"), ("spam", "Spam"), ("remove", "Remove")]:
        assert (
            f'<button type="submit" name="action" value="{action}" class="comment__{action}">'
            f'{label}<span class="visually-hidden"> the comment by Pavel Brandt</span></button>'
        ) in html
    assert f'href="{reverse("admin:comments_comment_change", args=[held.pk])}">Edit' in html


def test_a_moderator_gets_no_button_for_the_status_a_comment_already_has(
    article, discussion, moderator_client
):
    first, _ = discussion

    html = comment_html(moderator_client.get(article.get_absolute_url()), first.pk)

    assert 'value="approve"' not in html
    assert 'value="spam"' in html and 'value="remove"' in html
    assert HELD not in html and "Report" not in html


def test_a_held_comment_that_starts_a_thread_is_shown_to_a_moderator(article, moderator_client):
    factories.create_comment(article=article)
    waiting = factories.create_comment(
        article=article, status=Comment.Status.PENDING, status_reasons=["watched word: lens cap"]
    )

    response = moderator_client.get(article.get_absolute_url())

    assert waiting.pk in comment_ids(response)
    assert "watched word: lens cap" in comment_html(response, waiting.pk)


def test_a_comment_taken_down_after_it_was_published_is_shown_to_a_moderator_marked(
    article, moderator_client
):
    spam = factories.create_comment(article=article, body="Cheap lenses here.")
    spam.set_status(Comment.Status.SPAM, reason="marked as spam by a moderator")

    html = comment_html(moderator_client.get(article.get_absolute_url()), spam.pk)

    assert 'class="comment comment--spam"' in html
    assert "<strong>Marked as spam</strong>: marked as spam by a moderator." in html
    assert "Cheap lenses here." in html
    assert 'value="approve"' in html and 'value="spam"' not in html


@pytest.mark.parametrize("who", ["guest", "reader", "editor", "writer of another comment"])
def test_readers_see_no_held_comment_and_no_moderation(
    article, discussion, who, client, member_client, editor_client
):
    _, held = discussion
    if who == "writer of another comment":
        factories.create_comment(article=article, user=factories.create_user())
    browser = {"guest": client, "reader": member_client, "editor": editor_client}.get(who, client)

    page = section(browser.get(article.get_absolute_url()))

    assert f'id="comment-{held.pk}"' not in page
    for sign in (HELD, "comment__moderation", "/moderate/", "comment--", "/admin/"):
        assert sign not in page


@pytest.mark.parametrize(
    ("action", "status", "told"),
    [
        ("approve", Comment.Status.APPROVED, "is approved: readers see it now."),
        ("spam", Comment.Status.SPAM, "is marked as spam: readers no longer see it."),
        ("remove", Comment.Status.REMOVED, "is removed: readers no longer see it."),
    ],
)
def test_each_button_changes_the_status_with_an_audit_row_naming_the_moderator(
    article, discussion, moderator, moderator_client, action, status, told
):
    _, held = discussion

    response = moderate(moderator_client, held, action)

    assertRedirects(
        response, f"{article.get_absolute_url()}#comment-{held.pk}", fetch_redirect_response=False
    )
    held.refresh_from_db()
    assert held.status == status
    entry = held.audit_entries.get(action=AuditEntry.Action.STATUS)
    assert (entry.actor, entry.old_status, entry.new_status) == (moderator, "pending", status)
    assert entry.reason.endswith(f"by {moderator}")
    article.refresh_from_db()
    assert article.comment_count == (2 if status == Comment.Status.APPROVED else 1)
    landed = moderator_client.get(response["Location"])
    assert f"The comment by Pavel Brandt {told}" in notices(landed)
    assert held.pk in comment_ids(landed)


def test_an_approved_comment_is_then_shown_to_readers(
    article, discussion, client, moderator_client
):
    _, held = discussion
    client.get(article.get_absolute_url())  # the page without it, cached

    moderate(moderator_client, held, "approve")

    assert held.pk in comment_ids(client.get(article.get_absolute_url()))


def test_the_newest_first_order_is_kept(article, discussion, moderator_client):
    _, held = discussion

    response = moderate(moderator_client, held, "approve", "?order=newest")

    assert response["Location"] == f"{article.get_absolute_url()}?order=newest#comment-{held.pk}"


def test_a_held_first_comment_sent_to_spam_lands_on_the_discussion_with_the_confirmation(
    article, moderator_client
):
    factories.create_comment(article=article)
    waiting = factories.create_comment(article=article, status=Comment.Status.PENDING)

    response = moderate(moderator_client, waiting, "spam")

    assertRedirects(
        response, f"{article.get_absolute_url()}#comments", fetch_redirect_response=False
    )
    landed = moderator_client.get(response["Location"])
    assert "is marked as spam" in notices(landed)
    assert waiting.pk not in comment_ids(landed)


@pytest.mark.parametrize("who", ["guest", "reader", "editor"])
def test_only_moderators_may_use_the_buttons(article, discussion, who, client, member_client,
                                             editor_client):  # fmt: skip
    _, held = discussion
    browser = {"guest": client, "reader": member_client, "editor": editor_client}[who]

    response = moderate(browser, held, "approve")

    assert response.status_code == 403
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
    assert not held.audit_entries.filter(action=AuditEntry.Action.STATUS).exists()


def test_the_buttons_answer_only_a_post(article, discussion, moderator_client):
    _, held = discussion
    url = reverse("comments:moderate", args=[held.pk])

    assert moderator_client.get(url, {"action": "approve"}).status_code == 405
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_an_unknown_action_changes_nothing(article, discussion, moderator_client):
    _, held = discussion

    assert moderate(moderator_client, held, "delete").status_code == 400
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_a_post_without_the_pages_csrf_token_is_refused(article, discussion, moderator):
    _, held = discussion
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    url = reverse("comments:moderate", args=[held.pk])

    forged = browser.post(url, {"action": "approve"})
    held.refresh_from_db()
    assert (forged.status_code, held.status) == (403, Comment.Status.PENDING)

    html = comment_html(browser.get(article.get_absolute_url()), held.pk)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    sent = browser.post(url, {"action": "approve", "csrfmiddlewaretoken": token})
    held.refresh_from_db()
    assert (sent.status_code, held.status) == (302, Comment.Status.APPROVED)


def test_readers_keep_the_shared_page_and_a_moderator_never_gets_it(
    article, discussion, client, moderator_client
):
    _, held = discussion

    def thread(browser) -> str:
        page = section(browser.get(article.get_absolute_url()))
        return page[: page.index('<div id="respond"')]

    before = thread(client)  # cached for every reader
    seen_by_moderator = thread(moderator_client)
    after = thread(client)
    seen_again = thread(moderator_client)

    assert after == before
    assert f'id="comment-{held.pk}"' not in after
    assert f'id="comment-{held.pk}"' in seen_by_moderator
    assert f'id="comment-{held.pk}"' in seen_again


def test_what_the_reasons_and_names_say_is_escaped(article, moderator_client):
    first = factories.create_comment(article=article)
    held = factories.create_comment(
        article=article,
        parent=first,
        name='<img src=x onerror="alert(1)">',
        status=Comment.Status.PENDING,
        status_reasons=['watched word: <script>alert("x")</script>'],
    )

    html = comment_html(moderator_client.get(article.get_absolute_url()), held.pk)

    assert "<script>" not in html and "<img src=x" not in html
    assert "watched word: &lt;script&gt;" in html


@pytest.mark.parametrize(
    ("status", "mark"),
    [
        (Comment.Status.PENDING, HELD),
        (Comment.Status.REMOVED, "Removed"),
        (Comment.Status.SPAM, "Marked as spam"),
    ],
)
def test_view_on_site_lands_a_moderator_on_the_comment_marked_with_its_status(
    article, discussion, moderator_client, status, mark
):
    _, held = discussion
    if status != Comment.Status.PENDING:
        held.set_status(status, reason="by hand")
    view_on_site = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Comment).pk, held.pk]
    )

    response = moderator_client.get(view_on_site, follow=True)

    assert response.redirect_chain[-1][0] == f"{article.get_absolute_url()}#comment-{held.pk}"
    assert f"<strong>{mark}</strong>" in comment_html(response, held.pk)
    assert not notices(response)


def test_a_moderators_visit_on_a_cold_cache_leaves_nothing_for_readers(
    article, discussion, client, moderator_client
):
    _, held = discussion
    moderator_client.get(article.get_absolute_url())

    page = section(client.get(article.get_absolute_url()))

    assert f'id="comment-{held.pk}"' not in page
    assert "comment__moderation" not in page
