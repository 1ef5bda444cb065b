"""The newsroom: who may see, write and publish articles in the admin."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site as admin_site
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from forum.articles.models import Article
from tests import factories

CHANGELIST = "/admin/articles/article/"
ADD = "/admin/articles/article/add/"


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def article_form(*, article: Article | None = None, **fields) -> dict:
    """POST data for the article change form, with empty image and related-link inlines."""
    when = timezone.localtime(article.published_at if article else timezone.now())
    data = {
        "title": article.title if article else "A new piece",
        "slug": article.slug if article else "a-new-piece",
        "standfirst": article.standfirst if article else "Why this matters.",
        "body": article.body if article else "Words, words, words.",
        "category": article.category_id if article else "",
        "author": article.author_id if article else "",
        "status": article.status if article else Article.Status.DRAFT,
        "published_at_0": when.strftime("%d/%m/%Y"),
        "published_at_1": when.strftime("%H:%M:%S"),
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
    }
    for prefix in ("images", "related_links"):
        data |= {
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    return data | fields


@pytest.fixture
def own_article(author_user, subcategory):
    return factories.create_article(
        title="My own draft",
        category=subcategory,
        author=author_user.author_profile,
        status=Article.Status.DRAFT,
    )


@pytest.fixture
def others_article(author, subcategory):
    return factories.create_article(
        title="A draft by Ada Lowe", category=subcategory, author=author, status="draft"
    )


# Who gets in


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(CHANGELIST, follow=True)

    # Through the admin's log-in to the site's, where the failed-login limits apply.
    assertRedirects(response, "/accounts/login/?next=%2Fadmin%2Farticles%2Farticle%2F")


def test_ordinary_members_cannot_use_the_admin(client, reader, others_article):
    client.force_login(reader)

    response = client.get(CHANGELIST)
    assertRedirects(response, f"/admin/login/?next={CHANGELIST}", target_status_code=403)
    assert client.get(change_url(others_article)).status_code == 302
    response = client.post(change_url(others_article), article_form(article=others_article))
    assert response.status_code == 302
    others_article.refresh_from_db()
    assert others_article.status == Article.Status.DRAFT


# Authors


def test_author_sees_only_their_own_articles(client, author_user, own_article, others_article):
    client.force_login(author_user)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assertContains(response, own_article.title)
    assertNotContains(response, others_article.title)


def test_author_cannot_open_another_authors_article(client, author_user, others_article):
    client.force_login(author_user)

    response = client.get(change_url(others_article))

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url != change_url(others_article)
    assertNotContains(response, others_article.title, status_code=response.status_code)


def test_author_cannot_change_another_authors_article(client, author_user, others_article):
    client.force_login(author_user)

    client.post(change_url(others_article), article_form(article=others_article, title="Pwned"))

    others_article.refresh_from_db()
    assert others_article.title == "A draft by Ada Lowe"


def test_author_sees_status_and_publish_time_as_read_only(client, author_user, own_article):
    client.force_login(author_user)

    response = client.get(change_url(own_article))

    assert response.status_code == 200
    assertNotContains(response, 'name="status"')
    assertNotContains(response, 'name="published_at_0"')


def test_author_cannot_publish_their_own_draft(client, author_user, own_article):
    client.force_login(author_user)
    data = article_form(article=own_article, title="My own draft, revised", status="published")

    response = client.post(change_url(own_article), data)

    assertRedirects(response, CHANGELIST)
    own_article.refresh_from_db()
    assert own_article.title == "My own draft, revised"
    assert own_article.status == Article.Status.DRAFT


def test_author_add_form_defaults_to_themselves_as_author(client, author_user, author):
    client.force_login(author_user)

    response = client.get(ADD)

    assert response.status_code == 200
    author_field = response.context["adminform"].form.fields["author"]
    assert list(author_field.queryset) == [author_user.author_profile]
    assert response.context["adminform"].form.initial["author"] == author_user.author_profile.pk


def test_author_creates_a_draft_even_when_asking_to_publish(client, author_user, subcategory):
    client.force_login(author_user)
    data = article_form(
        category=subcategory.pk, author=author_user.author_profile.pk, status="published"
    )

    response = client.post(ADD, data)

    assertRedirects(response, CHANGELIST)
    created = Article.objects.get(slug="a-new-piece")
    assert created.author == author_user.author_profile
    assert created.status == Article.Status.DRAFT
    assert not created.is_published


def test_author_cannot_write_under_another_authors_name(client, author_user, author, subcategory):
    client.force_login(author_user)

    response = client.post(ADD, article_form(category=subcategory.pk, author=author.pk))

    assert response.status_code == 200
    assert "author" in response.context["adminform"].form.errors
    assert not Article.objects.filter(slug="a-new-piece").exists()


def related_link_choices(client, term: str) -> list[str]:
    """Titles the "Read more" article picker offers for `term`."""
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "relatedlink",
            "field_name": "target",
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.mark.parametrize("role", ["author_user", "editor"])
def test_read_more_picker_offers_colleagues_published_articles(request, client, article, role):
    client.force_login(request.getfixturevalue(role))

    assert related_link_choices(client, "M6") == [article.title]


def test_read_more_picker_hides_colleagues_drafts_from_authors(client, author_user, others_article):
    client.force_login(author_user)

    assert related_link_choices(client, "Ada") == []


# Editors and superusers


@pytest.fixture(params=["editor", "superuser"])
def publisher(request, db):
    if request.param == "editor":
        return request.getfixturevalue("editor")
    return request.getfixturevalue("admin_user")


def test_publishers_see_every_article(client, publisher, own_article, others_article):
    client.force_login(publisher)

    response = client.get(CHANGELIST)

    assertContains(response, own_article.title)
    assertContains(response, others_article.title)


def test_publishers_can_edit_and_publish_anyones_article(client, publisher, own_article):
    client.force_login(publisher)
    data = article_form(article=own_article, standfirst="Edited by the desk.", status="published")

    response = client.post(change_url(own_article), data)

    assertRedirects(response, CHANGELIST)
    own_article.refresh_from_db()
    assert own_article.standfirst == "Edited by the desk."
    assert own_article.status == Article.Status.PUBLISHED
    assert own_article in Article.objects.published()


def test_publishers_can_schedule_an_article(client, publisher, others_article):
    client.force_login(publisher)
    later = timezone.localtime(timezone.now() + timedelta(days=3))
    data = article_form(
        article=others_article,
        status="published",
        published_at_0=later.strftime("%d/%m/%Y"),
        published_at_1=later.strftime("%H:%M:%S"),
    )

    client.post(change_url(others_article), data)

    others_article.refresh_from_db()
    assert others_article.state == "Scheduled"
    assert others_article not in Article.objects.published()


def test_editor_may_write_under_any_authors_name(client, editor, author, subcategory):
    client.force_login(editor)

    response = client.post(ADD, article_form(category=subcategory.pk, author=author.pk))

    assertRedirects(response, CHANGELIST)
    assert Article.objects.get(slug="a-new-piece").author == author


def test_editors_manage_sections_and_authors_but_authors_do_not(client, editor, author_user):
    client.force_login(editor)
    assert client.get("/admin/articles/category/add/").status_code == 200
    assert client.get("/admin/articles/author/add/").status_code == 200

    client.force_login(author_user)
    assert client.get("/admin/articles/category/add/").status_code == 403
    assert client.get("/admin/articles/author/add/").status_code == 403


# The changelist and forms


def test_changelist_offers_filters_by_status_section_and_author(
    client, editor, own_article, others_article
):
    client.force_login(editor)

    response = client.get(CHANGELIST)

    filters = {spec.title for spec in response.context["cl"].filter_specs}
    assert {"status", "category", "author"} <= filters
    assertContains(response, "?status__exact=draft")


def test_changelist_filter_narrows_the_list(client, editor, own_article, article):
    client.force_login(editor)

    response = client.get(CHANGELIST, {"status__exact": "draft"})

    assertContains(response, own_article.title)
    assertNotContains(response, article.title)


def test_changelist_search_finds_articles_by_title(client, editor, own_article, others_article):
    client.force_login(editor)

    response = client.get(CHANGELIST, {"q": "my own"})

    assert list(response.context["cl"].result_list) == [own_article]
    assertNotContains(response, others_article.title)


def test_changelist_shows_state_and_a_view_or_preview_link(client, editor, own_article, article):
    client.force_login(editor)

    response = client.get(CHANGELIST)

    html = response.content.decode()
    assert f'<a href="{own_article.get_absolute_url()}">Preview</a>' in html
    assert f'<a href="{article.get_absolute_url()}">View</a>' in html
    assertContains(response, "Draft")
    assertContains(response, "Published")


def test_add_form_fills_the_slug_from_the_title(client, editor):
    client.force_login(editor)

    response = client.get(ADD)

    assert admin_site.get_model_admin(Article).prepopulated_fields == {"slug": ("title",)}
    assertContains(response, "data-prepopulated-fields")
    assertContains(response, "&quot;#id_slug&quot;")
    assertContains(response, "&quot;dependency_ids&quot;: [&quot;#id_title&quot;]")


def test_change_form_links_to_the_article_on_the_site(client, editor, own_article):
    client.force_login(editor)

    response = client.get(change_url(own_article))

    link = f"/admin/r/{response.context['content_type_id']}/{own_article.pk}/"
    assertContains(response, f'<a href="{link}" class="viewsitelink">View on site</a>', html=True)
    preview = client.get(link, follow=True)
    assert preview.redirect_chain[-1][0].endswith(own_article.get_absolute_url())
    assertContains(preview, "Preview.")


def test_saving_an_article_renders_its_body(client, editor, own_article):
    client.force_login(editor)

    client.post(change_url(own_article), article_form(article=own_article, body="Now *italic*."))

    own_article.refresh_from_db()
    assert "<em>italic</em>" in own_article.body_html


def test_migrations_create_the_editors_and_authors_groups(db):
    from django.contrib.auth.models import Group

    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    authors = set(Group.objects.get(name="Authors").permissions.values_list("codename", flat=True))

    assert {"publish_article", "change_article", "delete_article", "change_category"} <= editors
    assert {"add_article", "change_article", "add_articleimage", "add_relatedlink"} <= authors
    assert not {"publish_article", "delete_article", "change_category"} & authors


def test_changelist_filters_test_content(client, editor, article):
    seeded = factories.create_article(title="Seeded benchmark thread", is_test_content=True)
    client.force_login(editor)

    response = client.get(CHANGELIST, {"is_test_content__exact": "1"})

    assert "test content" in {spec.title for spec in response.context["cl"].filter_specs}
    assertContains(response, seeded.title)
    assertNotContains(response, article.title)


def test_editors_mark_an_article_as_test_content(client, editor, article):
    client.force_login(editor)

    response = client.post(change_url(article), article_form(article=article, is_test_content="on"))

    assertRedirects(response, CHANGELIST)
    article.refresh_from_db()
    assert article.is_test_content
    assert article not in Article.objects.listed()


def test_authors_see_the_test_content_flag_as_read_only(client, author_user, own_article):
    client.force_login(author_user)

    client.post(change_url(own_article), article_form(article=own_article, is_test_content="on"))

    assertNotContains(client.get(change_url(own_article)), 'name="is_test_content"')
    own_article.refresh_from_db()
    assert not own_article.is_test_content
