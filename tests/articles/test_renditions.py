"""Resized renditions of article and author images, made on upload and offered in srcset."""

import io
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image
from pytest_django.asserts import assertContains

from forum.articles.models import Article, ArticleImage
from tests import factories
from tests.articles.test_admin import article_form, change_url
from tests.articles.test_views import HOME_QUERIES


def jpeg(*, size, name="photo.jpg", colour="#886644", exif=None) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", **({"exif": exif} if exif else {}))
    return ContentFile(buffer.getvalue(), name=name)


def upload(*, size, name="upload.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(size=size).read(), content_type="image/jpeg")


def with_hero(*, size=(2000, 1125), **fields) -> Article:
    article = factories.create_article(**fields)
    article.hero_image = jpeg(size=size, name=f"{article.slug}.jpg")
    article.hero_alt = "A rangefinder on a wooden table"
    article.save()
    return article


def widths(record: dict) -> list[int]:
    return [f["width"] for f in record["files"]]


def stored_size(name: str) -> tuple[str, tuple[int, int]]:
    with default_storage.open(name) as file, Image.open(file) as image:
        return image.format, image.size


class Images(HTMLParser):
    """The attributes of every <img> in a page, in document order."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def images(response) -> list[dict]:
    return Images(response.content.decode()).found


def srcset_widths(img: dict) -> list[int]:
    return [int(part.split()[1].removesuffix("w")) for part in img["srcset"].split(", ")]


# Made when the image is saved


def test_saving_a_hero_image_makes_webp_renditions_beside_it_at_each_width(db):
    article = with_hero(size=(2000, 1125))

    record = article.hero_renditions
    assert record["source"] == article.hero_image.name
    assert widths(record) == [400, 800, 1200, 1600]
    folder = article.hero_image.name.rsplit("/", 1)[0]
    for rendition in record["files"]:
        assert rendition["name"].rsplit("/", 1)[0] == folder
        expected = (rendition["width"], round(1125 * rendition["width"] / 2000))
        assert (rendition["width"], rendition["height"]) == expected
        assert stored_size(rendition["name"]) == ("WEBP", expected)


@pytest.mark.parametrize(
    ("size", "expected"),
    [((1600, 900), [400, 800, 1200, 1600]), ((640, 360), [400, 640]), ((300, 200), [300])],
)
def test_renditions_never_enlarge_the_original(db, size, expected):
    article = with_hero(size=size)

    assert widths(article.hero_renditions) == expected
    for rendition in article.hero_renditions["files"]:
        assert stored_size(rendition["name"])[1][0] <= size[0]


def test_author_portraits_get_renditions_for_the_96_pixel_author_box(db):
    author = factories.create_author()
    author.photo = jpeg(size=(400, 400), name="portrait.jpg")
    author.save()

    assert widths(author.photo_renditions) == [96, 192, 288]


def test_inline_images_get_renditions(db, article):
    image = ArticleImage.objects.create(article=article, image=jpeg(size=(1200, 800)))

    assert widths(image.image_renditions) == [400, 800, 1200]


def test_renditions_follow_the_photos_orientation(db):
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the camera on its side: shown turned a quarter clockwise
    article = factories.create_article()
    article.hero_image = jpeg(size=(1200, 800), name="sideways.jpg", exif=exif.tobytes())
    article.save()

    largest = article.hero_renditions["files"][-1]
    assert (largest["width"], largest["height"]) == (800, 1200)
    assert stored_size(largest["name"])[1] == (800, 1200)


def test_saving_again_without_a_new_image_makes_nothing_new(db):
    article = with_hero(size=(640, 360))
    record = article.hero_renditions
    files = sorted(default_storage.listdir(article.hero_image.name.rsplit("/", 1)[0])[1])

    article.title = "A new title"
    article.save()
    Article.objects.get(pk=article.pk).save(update_fields=["title"])

    article.refresh_from_db()
    assert article.hero_renditions == record
    assert sorted(default_storage.listdir(article.hero_image.name.rsplit("/", 1)[0])[1]) == files


# Replaced or removed


def test_replacing_the_hero_removes_the_old_renditions(db, django_capture_on_commit_callbacks):
    article = with_hero(size=(1600, 900))
    old = [f["name"] for f in article.hero_renditions["files"]]

    with django_capture_on_commit_callbacks(execute=True):
        article.hero_image = jpeg(size=(640, 360), name="another.jpg")
        article.save()

    article.refresh_from_db()
    assert article.hero_renditions["source"] == article.hero_image.name
    assert widths(article.hero_renditions) == [400, 640]
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(f["name"]) for f in article.hero_renditions["files"])


def test_clearing_the_hero_removes_its_renditions(db, django_capture_on_commit_callbacks):
    article = with_hero(size=(640, 360))
    old = [f["name"] for f in article.hero_renditions["files"]]

    with django_capture_on_commit_callbacks(execute=True):
        article.hero_image = None
        article.save()

    article.refresh_from_db()
    assert article.hero_renditions == {}
    assert not any(default_storage.exists(name) for name in old)


def test_deleting_an_inline_image_removes_its_renditions(
    db, article, django_capture_on_commit_callbacks
):
    image = ArticleImage.objects.create(article=article, image=jpeg(size=(640, 360)))
    names = [f["name"] for f in image.image_renditions["files"]]

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert names
    assert not any(default_storage.exists(name) for name in names)


def test_old_renditions_stay_until_the_change_is_committed(db, django_capture_on_commit_callbacks):
    article = with_hero(size=(640, 360))
    old = [f["name"] for f in article.hero_renditions["files"]]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.hero_image = jpeg(size=(640, 360), name="another.jpg")
        article.save()
        assert all(default_storage.exists(name) for name in old)  # a rollback keeps them

    assert callbacks


# In the admin


def test_an_image_uploaded_in_the_admin_gets_renditions_and_a_replacement_drops_them(
    client, editor, article, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    client.post(
        change_url(article),
        article_form(article=article, hero_image=upload(size=(1600, 900)), hero_alt="A lens"),
    )
    article.refresh_from_db()
    first = [f["name"] for f in article.hero_renditions["files"]]
    assert article.hero_renditions["source"] == article.hero_image.name
    assert widths(article.hero_renditions) == [400, 800, 1200, 1600]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            change_url(article),
            article_form(article=article, hero_image=upload(size=(800, 450), name="new.jpg")),
        )

    article.refresh_from_db()
    assert widths(article.hero_renditions) == [400, 800]
    assert not any(default_storage.exists(name) for name in first)


def test_the_change_form_tells_editors_which_sizes_are_served(client, editor, db):
    article = with_hero(size=(1600, 900))
    ArticleImage.objects.create(article=article, image=jpeg(size=(300, 200)))
    client.force_login(editor)

    response = client.get(change_url(article))

    assertContains(response, "400, 800, 1200 and 1600 pixels wide (WebP)")
    assertContains(response, "300 pixels wide (WebP)")


# For images stored before renditions existed


def test_build_renditions_makes_the_missing_ones_and_reports_unreadable_files(db, capsys):
    article = with_hero(size=(640, 360))
    Article.objects.filter(pk=article.pk).update(hero_renditions={})
    lost = with_hero(size=(640, 360))
    Article.objects.filter(pk=lost.pk).update(hero_renditions={})
    default_storage.delete(lost.hero_image.name)

    call_command("build_renditions")

    article.refresh_from_db()
    assert widths(article.hero_renditions) == [400, 640]
    assert lost.hero_image.name in capsys.readouterr().err
    assert Article.objects.values_list("hero_renditions", flat=True).get(pk=lost.pk) == {}


# In the pages


@pytest.fixture
def home_articles(db, subcategory, author):
    """Four published articles with hero images, newest first."""
    articles = [
        with_hero(size=(1600, 900), title=f"Story {i}", category=subcategory, author=author)
        for i in range(4)
    ]
    return sorted(articles, key=lambda a: a.published_at, reverse=True)


def test_home_page_cards_offer_renditions_with_sizes_and_dimensions(client, home_articles):
    cards = images(client.get("/"))

    assert len(cards) == 4
    for img, article in zip(cards, home_articles, strict=True):
        assert img["src"] == article.hero_image.url
        assert srcset_widths(img) == [400, 800, 1200, 1600]
        assert all(".webp " in part for part in img["srcset"].split(", "))
        assert (img["width"], img["height"]) == ("1600", "900")
    assert cards[0]["sizes"].startswith("(min-width: 79rem) 45rem")  # the lead, 3/5 wide
    assert all(img["sizes"].startswith("(min-width: 79rem) 24.5rem") for img in cards[1:])


def test_home_page_lead_image_loads_first_and_the_others_lazily(client, home_articles):
    lead, *others = images(client.get("/"))

    assert lead["fetchpriority"] == "high"
    assert "loading" not in lead
    assert all(img["loading"] == "lazy" for img in others)
    assert not any("fetchpriority" in img for img in others)


def test_listing_pages_load_the_first_card_at_once(client, home_articles, subcategory):
    first, *others = images(client.get(subcategory.get_absolute_url()))

    assert "loading" not in first
    assert srcset_widths(first) == [400, 800, 1200, 1600]
    assert all(img["loading"] == "lazy" for img in others)


def test_article_hero_offers_renditions_for_the_column(client, db):
    article = with_hero(size=(1600, 900))

    response = client.get(article.get_absolute_url())

    hero = next(img for img in images(response) if img.get("alt") == article.hero_alt)
    assert srcset_widths(hero) == [400, 800, 1200, 1600]
    assert hero["sizes"] == "(min-width: 63rem) 60rem, calc(100vw - 2rem)"
    assert (hero["width"], hero["height"], hero["fetchpriority"]) == ("1600", "900", "high")
    assert "loading" not in hero
    # Link previews keep the original JPEG, which every crawler reads, and learn its size.
    html = response.content.decode()
    assert '<meta property="og:image" content="http://' in html
    assert f'{article.hero_image.url}">' in html
    assert '<meta property="og:image:width" content="1600">' in html


def test_author_box_offers_the_small_portraits(client, db):
    author = factories.create_author()
    author.photo = jpeg(size=(400, 400), name="portrait.jpg")
    author.save()
    article = factories.create_article(author=author)

    response = client.get(article.get_absolute_url())

    photo = next(img for img in images(response) if "author-box__photo" in img.get("class", ""))
    assert srcset_widths(photo) == [96, 192, 288]
    assert photo["sizes"] == "96px"
    assert (photo["width"], photo["height"], photo["loading"]) == ("96", "96", "lazy")


def test_an_image_without_renditions_falls_back_to_the_original(client, db):
    article = with_hero(size=(640, 360))
    Article.objects.filter(pk=article.pk).update(hero_renditions={})

    (card,) = images(client.get("/"))

    assert card["src"] == article.hero_image.url
    assert "srcset" not in card
    assert (card["width"], card["height"]) == ("640", "360")


def test_home_page_costs_no_more_queries_and_never_opens_an_image_file(
    client, subcategory, author, django_assert_max_num_queries, monkeypatch
):
    for i in range(12):
        with_hero(size=(640, 360), title=f"Story {i}", category=subcategory, author=author)

    def refuse(*args, **kwargs):
        raise AssertionError("a page asked the storage about an image file")

    for method in ("open", "exists", "size", "listdir"):
        monkeypatch.setattr(FileSystemStorage, method, refuse)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get("/")

    assert len([img for img in images(response) if "srcset" in img]) == 12
