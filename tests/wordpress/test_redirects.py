"""Old WordPress addresses keep working after an import: 301s to the new pages."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.articles.models import Article
from forum.wordpress.models import ImportedItem
from tests.wordpress.wxr_files import MAGAZINE

pytestmark = pytest.mark.django_db

ARTICLE = "/articles/selenium-toning/?from=wordpress"


@pytest.fixture
def magazine(db):
    call_command("import_wordpress", str(MAGAZINE), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=101", ARTICLE),
        ("/2024/03/09/selenium-toning/", ARTICLE),
        ("/2024/03/09/selenium-toning", ARTICLE),
        ("/2024/03/selenium-toning/", ARTICLE),
        ("/selenium-toning/", ARTICLE),
        ("/2024/03/09/selenium-toning/comment-page-2/", ARTICLE),
        ("/selenium-toning/feed/", ARTICLE),
        ("/2024/03/09/selenium-toning/amp/", ARTICLE),
        ("/category/darkroom/", "/section/darkroom/"),
        ("/category/darkroom/toning/", "/section/darkroom/toning/"),
        ("/category/darkroom/toning/page/2/", "/section/darkroom/toning/"),
        ("/author/marta/", "/authors/marta/"),
    ],
)
def test_old_wordpress_addresses_redirect_permanently_to_the_new_pages(client, magazine, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_a_tag_keeps_its_address_and_a_renamed_one_is_redirected(client, magazine):
    assert client.get("/tag/selenium/").status_code == 200  # the same address here
    tag = ImportedItem.objects.get(kind="tag", key="selenium").tag
    tag.slug = "selenium-toner"
    tag.save()
    response = client.get("/tag/selenium/")
    assert (response.status_code, response["Location"]) == (301, "/tag/selenium-toner/")


def test_a_renamed_article_is_followed(client, magazine):
    article = Article.objects.get(slug="selenium-toning")
    article.slug = "toning-with-selenium"
    article.save()
    response = client.get("/?p=101")
    assert response["Location"] == "/articles/toning-with-selenium/?from=wordpress"


@pytest.mark.parametrize("path", ["/?p=999", "/?p=abc", "/?p="])
def test_an_unknown_post_id_shows_the_home_page(client, magazine, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path", ["/2024/03/09/never-written/", "/never-written/", "/category/nope/", "/tag/nope/"]
)
def test_addresses_that_were_never_imported_are_not_found(client, magazine, path):
    assert client.get(path).status_code == 404


def test_a_post_request_to_an_old_address_is_not_redirected(client, magazine):
    assert client.post("/selenium-toning/").status_code == 404


def test_the_site_s_own_pages_win_over_an_old_slug(client, db, tmp_path):
    from tests.wordpress.wxr_files import P, export, write

    call_command(
        "import_wordpress",
        str(write(tmp_path, export(P(1, slug="about")))),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert client.get("/about/").status_code == 200  # the site's About page, not a redirect


def test_an_old_comment_anchor_leads_to_the_imported_comment(client, magazine):
    article = Article.objects.get(slug="selenium-toning")
    comment = ImportedItem.objects.get(kind="comment", key="502").comment
    response = client.get(f"/wordpress/comment/502/?article={article.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/comments/{comment.pk}/?article={article.pk}"
    landing = client.get(response["Location"])
    assert landing["Location"].endswith(f"#comment-{comment.pk}")


def test_an_old_anchor_to_a_comment_not_imported_says_so(client, magazine):
    article = Article.objects.get(slug="selenium-toning")
    response = client.get(f"/wordpress/comment/507/?article={article.pk}", follow=True)
    assert response.redirect_chain[-1][0].endswith("#comments")
    assert "That comment is no longer available." in response.text


def test_an_old_post_id_is_redirected_before_the_home_page_is_made(
    client, magazine, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert client.get("/?p=101").status_code == 301


def test_a_missing_page_in_no_wordpress_shape_is_not_looked_up(client, magazine):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/static/css/gone/away.css").status_code == 404
    assert not [q for q in queries if "wordpress_importeditem" in q["sql"]]


def test_an_author_s_old_address_uses_the_login_as_wordpress_spelled_it(client, db, tmp_path):
    from tests.wordpress.wxr_files import P, export, write

    text = export(P(1, creator="Marta.K")).replace(
        "<![CDATA[editor]]></wp:author_login>", "<![CDATA[Marta.K]]></wp:author_login>"
    )
    call_command(
        "import_wordpress", str(write(tmp_path, text)), stdout=io.StringIO(), stderr=io.StringIO()
    )
    response = client.get("/author/marta-k/")
    assert (response.status_code, response["Location"]) == (301, "/authors/marta-k/")
