"""The admin's list of imported WordPress items: where post 101 went, for those allowed."""

import io

import pytest
from django.core.management import call_command

from forum.articles.models import Article
from tests import factories
from tests.wordpress.wxr_files import MAGAZINE

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/wordpress/importeditem/"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member", 302), ("moderator", 403), ("editor", 403), ("superuser", 200)],
)
def test_the_list_of_imported_items_is_for_superusers(role, status):
    call_command("import_wordpress", str(MAGAZINE), stdout=io.StringIO(), stderr=io.StringIO())
    response = factories.client_as(role).get(CHANGELIST, {"q": "101"})
    assert response.status_code == status
    if status == 200:
        article = Article.objects.get(slug="selenium-toning")
        assert f'<a href="{article.get_absolute_url()}">{article.title}</a>' in response.text
        assert factories.client_as("superuser").get(f"{CHANGELIST}add/").status_code == 403
