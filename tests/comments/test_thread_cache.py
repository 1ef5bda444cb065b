"""The cached thread shows what is true now: it moves on with the comments, the article's
address and author, and the names and pictures of the people who wrote in it."""

from django.urls import reverse
from pytest_django.asserts import assertContains

from forum.articles.models import Article
from forum.comments.models import Comment
from tests import factories

from .pages import comment_html


def test_an_article_saved_from_an_old_copy_keeps_the_comments_approved_meanwhile(article, client):
    held = factories.create_comment(article=article, status=Comment.Status.PENDING)
    client.get(article.get_absolute_url())  # the thread without it is cached
    editors_copy = Article.objects.get(pk=article.pk)  # an editor opens the article
    held.approve()  # a moderator approves the comment meanwhile
    client.get(article.get_absolute_url())

    editors_copy.title = "Living with an M6, revised"
    editors_copy.save()

    article.refresh_from_db()
    assert article.comment_count == 1
    assertContains(client.get(article.get_absolute_url()), f'id="comment-{held.pk}"')


def test_saving_an_article_in_the_admin_writes_no_comment_counter(
    article, editor_client, monkeypatch
):
    from forum.articles.admin import ArticleAdmin
    from tests.articles.test_admin import article_form

    factories.create_comment(article=article)
    save_model = ArticleAdmin.save_model

    def comments_move_meanwhile(self, request, obj, form, change):
        # A comment approved by another request after the admin loaded the article.
        Article.objects.filter(pk=obj.pk).update(comment_count=5, comment_version=99)
        save_model(self, request, obj, form, change)

    monkeypatch.setattr(ArticleAdmin, "save_model", comments_move_meanwhile)

    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(article=article, title="Retitled"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.comment_count, article.comment_version) == ("Retitled", 5, 99)


def test_a_new_address_for_the_article_is_a_new_cached_thread(article, client):
    comment = factories.create_comment(article=article)
    client.get(article.get_absolute_url())  # cached with links to the old address
    article = Article.objects.get(pk=article.pk)  # as the admin loads it

    article.slug = "the-m6-ten-years-on"
    article.save()

    html = comment_html(client.get("/articles/the-m6-ten-years-on/"), comment.pk)
    assert f'href="/articles/the-m6-ten-years-on/#comment-{comment.pk}"' in html
    assert "living-with-an-m6" not in html


def test_a_new_author_for_the_article_moves_the_author_badge(article, client, author_user):
    writer_comment = factories.create_comment(article=article, user=author_user)
    page = client.get(article.get_absolute_url())
    assert 'class="badge">Author<' not in comment_html(page, writer_comment.pk)
    article = Article.objects.get(pk=article.pk)  # as the admin loads it

    article.author = author_user.author_profile
    article.save()

    page = client.get(article.get_absolute_url())
    assert 'class="badge">Author<' in comment_html(page, writer_comment.pk)


def test_a_display_name_changed_outside_the_profile_page_shows_in_cached_threads(
    article, client, reader
):
    """The admin and allauth save the member like any other code: that is enough."""
    factories.create_comment(article=article, user=reader)
    assertContains(client.get(article.get_absolute_url()), reader.public_name)
    member = type(reader).objects.get(pk=reader.pk)

    member.display_name = "Carys Pritchard"
    member.save()

    assertContains(client.get(article.get_absolute_url()), "Carys Pritchard")


def test_a_member_saved_without_a_change_to_name_or_picture_leaves_the_cache_alone(
    article, reader, django_assert_num_queries
):
    factories.create_comment(article=article, user=reader)
    version = Article.objects.get(pk=article.pk).comment_version
    member = type(reader).objects.get(pk=reader.pk)

    member.last_name = member.last_name  # a log-in, a password change: nothing shown changes
    with django_assert_num_queries(1):
        member.save()

    assert Article.objects.get(pk=article.pk).comment_version == version


def test_a_members_new_name_saved_anywhere_moves_every_thread_they_wrote_in_on(
    article, reader, subcategory
):
    other = factories.create_article(title="Another", category=subcategory)
    factories.create_comment(article=article, user=reader)
    factories.create_comment(article=other, user=reader)
    untouched = factories.create_article(title="Quiet", category=subcategory)
    before = dict(Article.objects.values_list("pk", "comment_version"))
    member = type(reader).objects.get(pk=reader.pk)

    member.first_name = "Carys"
    member.save()

    after = dict(Article.objects.values_list("pk", "comment_version"))
    assert after[article.pk] == before[article.pk] + 1
    assert after[other.pk] == before[other.pk] + 1
    assert after[untouched.pk] == before[untouched.pk]


def test_a_name_changed_after_a_partial_save_still_reaches_cached_threads(article, reader):
    """A log-in saves only `last_login` of the same object; the name changed in it meanwhile
    is saved later, and must still count as a change."""
    factories.create_comment(article=article, user=reader)
    member = type(reader).objects.get(pk=reader.pk)
    version = Article.objects.get(pk=article.pk).comment_version

    member.display_name = "Carys Pritchard"
    member.save(update_fields=["last_login"])
    assert Article.objects.get(pk=article.pk).comment_version == version
    member.save()

    assert Article.objects.get(pk=article.pk).comment_version == version + 1
