"""The public archive of sent issues and its RSS feed: nobody's personal links, unsent issues
hidden from all but staff."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from forum.demo.newsletter import seed_newsletter
from forum.newsletter.models import Delivery, Issue
from forum.newsletter.views import ARCHIVE_PER_PAGE
from tests import factories

from .reader_pages import main_text

SENT = Issue.Status.SENT


def rss(response) -> ET.Element:
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")  # noqa: S314 (our own response)


def sent_issue(*, days_ago: int = 1, **fields) -> Issue:
    return factories.create_issue(
        status=SENT, sent_at=timezone.now() - timedelta(days=days_ago), **fields
    )


@pytest.fixture
def issues(newsletter, article):
    return [
        sent_issue(subject="Monday: the M6 again", days_ago=5, articles=[article]),
        sent_issue(subject="Wednesday: fixer and patience", days_ago=3),
        factories.create_issue(subject="Friday draft"),
        factories.create_issue(subject="Scheduled", status=Issue.Status.SCHEDULED),
    ]


def test_the_archive_lists_sent_issues_newest_first_with_newsletter_and_date(client, issues):
    response = client.get("/newsletter/archive/")

    text = main_text(response)
    assert text.index("Wednesday: fixer and patience") < text.index("Monday: the M6 again")
    assert "Friday draft" not in text
    assert "Scheduled" not in text
    assert "The Frame & Grain newsletter" in text
    assert issues[0].sent_at.strftime("%-d %B %Y") in text
    assertContains(response, f'href="{issues[0].get_absolute_url()}"')


def test_the_archive_is_paginated(client, newsletter):
    for n in range(ARCHIVE_PER_PAGE + 1):
        sent_issue(subject=f"Issue number {n}", days_ago=n + 1)

    first, second = client.get("/newsletter/archive/"), client.get("/newsletter/archive/?page=2")

    assert "Issue number 0" in main_text(first)
    assert f"Issue number {ARCHIVE_PER_PAGE}" not in main_text(first)
    assert f"Issue number {ARCHIVE_PER_PAGE}" in main_text(second)
    assertContains(first, '<a rel="next" href="?page=2">Older issues</a>', html=True)
    assertContains(second, '<a rel="prev" href="?page=1">Newer issues</a>', html=True)


def test_an_issue_page_shows_the_letter_and_articles_and_no_personal_links(client, issues, article):
    response = client.get(issues[0].get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Good morning. Here is what is new." in main_text(response)
    assertContains(response, f'href="{article.get_absolute_url()}"')
    assertContains(response, article.standfirst)
    for personal in ("/newsletter/manage/", "/newsletter/unsubscribe/", "%%", "/confirm/"):
        assert personal not in html.replace('href="/newsletter/manage/">', "")
    assertContains(response, 'action="/newsletter/subscribe/#signup"')


def test_unsent_issues_are_not_found_except_by_editors(client, issues, reader):
    draft = issues[2]
    editor = factories.create_staff(email="editor@example.com", groups=("Editors",))

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(factories.create_moderator(email="mod@example.com"))
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    preview = client.get(draft.get_absolute_url())
    assertContains(preview, "Preview for staff")


def test_the_feed_is_valid_rss_of_sent_issues(client, issues):
    response = client.get("/newsletter/archive/feed/")

    channel = rss(response)
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Wednesday: fixer and patience", "Monday: the M6 again"]
    link = channel.find("item").findtext("link")
    assert link.endswith(issues[1].get_absolute_url())
    assert "/manage/" not in response.content.decode()


def test_the_archive_and_the_newsletter_page_link_the_feed(client, db):
    alternate = (
        '<link rel="alternate" type="application/rss+xml" '
        'title="The Frame &amp; Grain newsletter archive" href="/newsletter/archive/feed/">'
    )
    assertContains(client.get("/newsletter/archive/"), alternate, html=True)
    assertContains(client.get("/newsletter/"), alternate, html=True)


def test_the_newsletter_page_links_the_archive_and_the_preference_link_form(client, db):
    response = client.get("/newsletter/")

    assertContains(response, 'href="/newsletter/archive/"')
    assertContains(response, "Email me a link to my preferences")


def test_an_issue_escapes_its_subject_and_sanitises_its_letter(client, newsletter):
    issue = sent_issue(
        subject="<script>alert(1)</script>", intro="Hello <script>alert(2)</script> *there*"
    )

    page = client.get(issue.get_absolute_url())
    feed = client.get("/newsletter/archive/feed/")

    assertNotContains(page, "<script>")
    assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;")
    assertContains(page, "<em>there</em>")
    assert "<script>" not in rss(feed).find("item/description").text


def test_the_demo_archive_has_sent_issues_and_seeding_again_adds_none(
    client, newsletter, mailoutbox
):
    author = factories.create_author(name="Nell Hargreaves", slug="nell-hargreaves")
    author.user = factories.create_user(email="nell@example.org")
    for slug in ("living-with-a-leica-m6", "pentax-67-on-the-dark-peak"):
        factories.create_article(title=slug, slug=slug, author=author)

    assert seed_newsletter([author]) == (3, 3)
    assert seed_newsletter([author]) == (0, 0)

    assert Issue.objects.sent().count() == 3
    # Sent the way an editor sends: each issue to the one confirmed reader, in the ledger.
    issue_mail = [message for message in mailoutbox if "List-Unsubscribe" in message.extra_headers]
    assert [message.to for message in issue_mail] == [["nell@example.org"]] * 3
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3
    assert Issue.objects.get(subject="Ten years with one camera").articles.count() == 1
    text = main_text(client.get("/newsletter/archive/"))
    assert "Ten years with one camera" in text


def test_the_sitemap_lists_sent_issues_but_not_drafts(newsletter, client):
    sent = factories.create_issue(subject="Sent", status="sent", sent_at=timezone.now())
    draft = factories.create_issue(subject="Draft")

    body = client.get("/sitemap.xml").content.decode()

    assert sent.get_absolute_url() in body
    assert draft.get_absolute_url() not in body
