"""Categories as a tree, the article life cycle, rendered bodies and related links."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from forum.articles.models import Article, Category, RelatedLink
from tests import factories


@pytest.fixture
def tree(category, subcategory):
    """Cameras › Leica › M-series, plus a sibling section whose slug shares a prefix."""
    leaf = factories.create_category(name="M-series", slug="m-series", parent=subcategory)
    lookalike = factories.create_category(name="Cameras extra", slug="cameras-extra")
    return category, subcategory, leaf, lookalike


@pytest.fixture
def three_states(article):
    """The published `article`, a draft and a scheduled article in the same section."""
    draft = factories.create_article(
        title="Half-written", category=article.category, status=Article.Status.DRAFT
    )
    scheduled = factories.create_article(
        title="Coming soon",
        category=article.category,
        published_at=timezone.now() + timedelta(days=2),
    )
    return article, draft, scheduled


def test_category_path_joins_slugs_from_the_root(tree):
    root, child, leaf, _ = tree

    assert root.path == "cameras"
    assert child.path == "cameras/leica"
    assert leaf.path == "cameras/leica/m-series"
    assert leaf.get_absolute_url() == "/section/cameras/leica/m-series/"


def test_category_lineage_is_root_first_in_one_query(tree, django_assert_num_queries):
    root, child, leaf, _ = tree
    leaf = Category.objects.get(pk=leaf.pk)

    with django_assert_num_queries(1):
        lineage = leaf.lineage

    assert lineage == [root, child, leaf]
    assert str(leaf) == "Cameras › Leica › M-series"


def test_root_category_lineage_is_itself(category):
    assert category.lineage == [category]


def test_renaming_a_parent_slug_updates_every_descendant_path(tree):
    root, child, leaf, _ = tree

    root.slug = "bodies"
    root.save()

    child.refresh_from_db()
    leaf.refresh_from_db()
    assert child.path == "bodies/leica"
    assert leaf.path == "bodies/leica/m-series"
    assert Category.objects.get(pk=leaf.pk).lineage == [root, child, leaf]


def test_moving_a_category_updates_its_own_and_its_childrens_paths(tree):
    root, child, leaf, lookalike = tree

    child.parent = lookalike
    child.save()

    leaf.refresh_from_db()
    assert leaf.path == "cameras-extra/leica/m-series"


def test_descendant_ids_cover_the_whole_subtree_and_nothing_else(tree):
    root, child, leaf, lookalike = tree

    assert sorted(root.descendant_ids()) == sorted([root.pk, child.pk, leaf.pk])
    assert sorted(child.descendant_ids()) == sorted([child.pk, leaf.pk])
    assert leaf.descendant_ids() == [leaf.pk]
    assert lookalike.descendant_ids() == [lookalike.pk]


def test_a_category_cannot_be_moved_inside_its_own_descendant(tree):
    root, _, leaf, _ = tree

    root.parent = leaf
    with pytest.raises(ValidationError) as error:
        root.full_clean()

    assert "parent" in error.value.message_dict


def test_published_excludes_drafts_and_scheduled_articles(three_states):
    published, draft, scheduled = three_states

    assert list(Article.objects.published()) == [published]


def test_scheduled_article_becomes_published_when_its_time_comes(three_states):
    _, _, scheduled = three_states

    scheduled.published_at = timezone.now() - timedelta(seconds=1)
    scheduled.save()

    assert scheduled in Article.objects.published()


def test_staff_see_drafts_and_scheduled_articles(three_states, editor):
    assert set(Article.objects.visible_to(editor)) == set(three_states)


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_readers_see_only_published_articles(three_states, reader, who):
    user = AnonymousUser() if who == "anonymous" else reader

    assert list(Article.objects.visible_to(user)) == [three_states[0]]


def test_article_state_speaks_the_editors_language(three_states):
    published, draft, scheduled = three_states

    assert (published.state, draft.state, scheduled.state) == ("Published", "Draft", "Scheduled")
    assert (published.is_published, draft.is_published, scheduled.is_published) == (
        True,
        False,
        False,
    )


def test_draft_with_a_past_publish_time_is_still_a_draft(article):
    article.status = Article.Status.DRAFT
    article.published_at = timezone.now() - timedelta(days=30)

    assert article.state == "Draft"
    assert not article.is_published


def test_body_html_is_rendered_when_the_article_is_saved(article):
    article.body = "A *new* paragraph with <script>alert(1)</script> in it."
    article.save()

    stored = Article.objects.values_list("body_html", flat=True).get(pk=article.pk)
    assertInHTML("<em>new</em>", stored)
    assert "<script" not in stored


def test_attached_image_is_placed_as_a_figure_with_caption_and_credit(article):
    article.body = "Before.\n\n![The M6 on a table](image:1)\n\nAfter."
    article.save()

    image = factories.create_article_image(
        article=article, caption="An M6 in the wild.", credit="Photo: Ada Lowe"
    )

    article.refresh_from_db()
    base = image.image.url.removesuffix(".jpg")
    sources = f"{base}-400w.webp 400w, {base}-{image.width}w.webp {image.width}w"
    assertInHTML(
        f'<figure class="body-figure"><img src="{image.image.url}" srcset="{sources}"'
        ' sizes="(min-width: 43rem) 40rem, calc(100vw - 2rem)" alt="The M6 on a table"'
        f' width="{image.width}" height="{image.height}" loading="lazy" decoding="async">'
        '<figcaption>An M6 in the wild. <span class="credit">Photo: Ada Lowe</span></figcaption>'
        "</figure>",
        article.body_html,
    )


def test_image_reference_without_an_attached_image_leaves_no_broken_image(article):
    article.body = "Before.\n\n![Nothing here](image:3)\n\nAfter."
    article.save()

    assert "<img" not in article.body_html
    assert "After." in article.body_html


def test_related_link_needs_a_target_or_a_url(article):
    link = RelatedLink(article=article)

    with pytest.raises(ValidationError):
        link.clean()


def test_related_link_cannot_have_both_a_target_and_a_url(article):
    other = factories.create_article(category=article.category)
    link = RelatedLink(article=article, target=other, url="https://example.com/", title="Both")

    with pytest.raises(ValidationError):
        link.clean()


def test_external_related_link_needs_a_title(article):
    link = RelatedLink(article=article, url="https://example.com/review")

    with pytest.raises(ValidationError) as error:
        link.clean()

    assert "title" in error.value.message_dict


def test_valid_related_links_pass_and_label_themselves(article):
    other = factories.create_article(title="Film for beginners", category=article.category)
    internal = RelatedLink(article=article, target=other)
    external = RelatedLink(article=article, url="https://example.com/m6", title="The M6 manual")

    internal.clean()
    external.clean()

    assert (internal.label, internal.href, internal.is_external) == (
        "Film for beginners",
        other.get_absolute_url(),
        False,
    )
    assert (external.label, external.href, external.is_external) == (
        "The M6 manual",
        "https://example.com/m6",
        True,
    )


def test_an_article_copied_by_clearing_its_key_is_saved_as_a_new_one(article):
    article.pk = None
    article.slug = "living-with-an-m6-copy"
    article.save()

    assert Article.objects.filter(slug__startswith="living-with-an-m6").count() == 2


def test_saving_an_article_loaded_in_part_writes_only_what_was_loaded(article):
    Article.objects.filter(pk=article.pk).update(standfirst="Set elsewhere.")
    partial = Article.objects.only("pk", "title", "body", "slug").get(pk=article.pk)

    partial.title = "Retitled"
    partial.save()

    article.refresh_from_db()
    assert (article.title, article.standfirst) == ("Retitled", "Set elsewhere.")
