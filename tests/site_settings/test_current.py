"""SiteSettings.current(): a saved setting reaches every process at once, read once a request."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.comments.models import Comment
from forum.site_settings.models import SiteSettings, read_once
from tests.comments.pages import guest_data, post


def settings_reads(queries) -> int:
    return sum("site_settings_sitesettings" in query["sql"] for query in queries.captured_queries)


def saved_elsewhere(**fields) -> None:
    """A change saved by another worker, which cannot reach into this process's cache."""
    SiteSettings.objects.filter(pk=1).update(**fields)


def test_a_setting_saved_by_another_process_is_read_at_once(db):
    assert SiteSettings.current().blocked_words == ""

    saved_elsewhere(blocked_words="casino")

    assert SiteSettings.current().blocked_words == "casino"


def test_the_next_request_meets_a_blocked_word_saved_by_another_process(article, client):
    assert client.get(article.get_absolute_url()).status_code == 200

    saved_elsewhere(blocked_words="casino")
    post(client, article, guest_data(article, body="Casino bonus"))

    assert Comment.objects.get().status == Comment.Status.SPAM


def test_posting_a_comment_reads_the_settings_row_once(article, client):
    client.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        response = post(client, article, guest_data(article))

    assert response.status_code == 302
    assert settings_reads(queries) == 1


def test_a_refused_comment_reads_the_settings_row_once_for_the_rule_and_the_page(article, client):
    client.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        response = post(client, article, guest_data(article, email="not an address"))

    assert response.status_code == 200
    assert settings_reads(queries) == 1


def test_a_save_during_a_request_is_what_the_rest_of_it_reads(db):
    with read_once():
        settings = SiteSettings.current()
        settings.comment_depth = 2
        settings.save()
        saved_elsewhere(link_limit=7)

        assert (SiteSettings.current().comment_depth, SiteSettings.current().link_limit) == (2, 7)
