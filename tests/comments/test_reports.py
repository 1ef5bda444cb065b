"""Readers report a published comment from its "Report" link."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from forum.comments.models import AuditEntry, Comment, Report
from tests import factories

from .pages import comment_html, field_error, form_errors


def report_url(comment) -> str:
    return reverse("comments:report", args=[comment.pk])


def member(n: int) -> Client:
    client = Client()
    client.force_login(factories.create_user(email=f"reader{n}@example.com"))
    return client


def test_every_published_comment_offers_a_report_link(article, client):
    comment = factories.create_comment(article=article, name="Odile")

    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        f'<a class="comment__report" href="{report_url(comment)}" rel="nofollow">'
        'Report<span class="visually-hidden"> the comment by Odile</span></a>',
        html=True,
    )


def test_the_writer_sees_edit_and_delete_instead_of_report(article, reader, member_client):
    mine = factories.create_comment(article=article, user=reader)

    html = comment_html(member_client.get(article.get_absolute_url()), mine.pk)

    assert "comment__report" not in html
    assert "Delete" in html


def test_report_page_asks_for_a_reason_and_a_note(article, client):
    comment = factories.create_comment(article=article, body="Buy my lenses")

    response = client.get(report_url(comment))

    assertContains(response, "<h1>Report a comment</h1>", html=True)
    assertContains(response, "Buy my lenses")
    for label in ("Spam or advertising", "Abusive or hateful", "Off-topic", "Something else"):
        assertContains(response, label)
    assertContains(response, "Anything a moderator should know?")


def test_a_report_without_a_reason_says_so_beside_the_field_and_keeps_the_note(article, client):
    comment = factories.create_comment(article=article)

    response = client.post(report_url(comment), {"note": "Posted on every article"})

    assert response.status_code == 200
    assert "Please choose what is wrong" in field_error(response, "reason")
    assertContains(response, "Posted on every article")
    assert not Report.objects.exists()


def test_a_guest_reports_and_returns_to_the_article(article, client):
    comment = factories.create_comment(article=article)

    response = client.post(
        report_url(comment), {"reason": "spam", "note": "Same text on three articles"}
    )

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#comments"
    report = Report.objects.get()
    assert (report.comment, report.reason, report.user) == (comment, "spam", None)
    assert report.note == "Same text on three articles"
    assert report.ip == "127.0.0.0"
    assert Comment.objects.get(pk=comment.pk).report_count == 1


def test_a_member_reports_a_comment_only_once(article, reader, member_client):
    comment = factories.create_comment(article=article)
    member_client.post(report_url(comment), {"reason": "abusive"})

    again = member_client.post(report_url(comment), {"reason": "abusive"})

    assert again.status_code == 200
    assert "already reported this comment" in form_errors(again)
    assert Report.objects.filter(user=reader).count() == 1


def test_three_reports_from_three_members_hide_the_comment(article, client, configure):
    configure(report_threshold=3)
    comment = factories.create_comment(article=article, body="Cheap flights here")
    for n in range(2):
        member(n).post(report_url(comment), {"reason": "spam"})
    assertContains(client.get(article.get_absolute_url()), "Cheap flights here")

    response = member(3).post(report_url(comment), {"reason": "spam"}, follow=True)

    assertContains(response, "The comment is hidden until a moderator")
    assertNotContains(client.get(article.get_absolute_url()), "Cheap flights here")
    hidden = Comment.objects.get(pk=comment.pk)
    assert (hidden.status, hidden.report_count) == (Comment.Status.PENDING, 3)
    assert hidden.audit_entries.filter(action=AuditEntry.Action.HIDDEN, actor=None).exists()


@pytest.mark.parametrize(
    "status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_only_published_comments_can_be_reported(article, client, status):
    comment = factories.create_comment(article=article, status=status)

    assert client.get(report_url(comment)).status_code == 404
    assert client.post(report_url(comment), {"reason": "spam"}).status_code == 404


def test_a_comment_on_an_unpublished_article_cannot_be_reported(db, client):
    draft = factories.create_article(status="draft")
    comment = factories.create_comment(article=draft)

    assert client.get(report_url(comment)).status_code == 404


def test_the_report_form_is_protected_against_cross_site_posts(article):
    comment = factories.create_comment(article=article)
    client = Client(enforce_csrf_checks=True)

    response = client.post(report_url(comment), {"reason": "spam"})

    assert response.status_code == 403
    assert not Report.objects.exists()
