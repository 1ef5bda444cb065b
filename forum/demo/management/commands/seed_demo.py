"""Fill the database with the Frame & Grain demo magazine.

Creates the sections, the three authors (each with a member account and a portrait), tags,
and the articles with their hero images, inline images and related links, all from
forum/demo/magazine.py, then the reader discussions of forum/demo/discussions.py, the
newsletter's issues and readers' gifts to the magazine (forum/demo/donations.py).
Everything is keyed by slug and nothing existing is overwritten, so running the command
again changes nothing; images are only drawn for objects that have none yet.

    python manage.py seed_demo
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from forum.articles.models import Article, ArticleImage, Author, Category, RelatedLink, Tag
from forum.comments.models import Comment
from forum.demo import images, magazine
from forum.demo.comments import seed_comments
from forum.demo.donations import seed_donations
from forum.demo.moderation import seed_moderation
from forum.demo.newsletter import seed_newsletter
from forum.donations.models import Donation
from forum.newsletter.models import Issue, Subscriber
from forum.pages.models import Page
from forum.pages.starter import create_missing_pages

COUNTED = {
    "categories": Category,
    "authors": Author,
    "tags": Tag,
    "articles": Article,
    "inline images": ArticleImage,
    "related links": RelatedLink,
}


class Command(BaseCommand):
    help = "Create the demo sections, authors and articles (safe to run more than once)."

    @transaction.atomic
    def handle(self, *args, **options):
        before = {label: model.objects.count() for label, model in COUNTED.items()}
        categories = seed_categories()
        authors = {data["slug"]: seed_author(data) for data in magazine.AUTHORS}
        articles = {
            data["slug"]: seed_article(data, categories, authors) for data in magazine.ARTICLES
        }
        for data in magazine.ARTICLES:
            seed_related(articles[data["slug"]], data["related"], articles)
        comments = seed_comments(articles)
        seed_moderation(articles.get("living-with-a-leica-m6"))
        issues, subscribers = seed_newsletter(authors.values())
        gifts = seed_donations()
        pages = create_missing_pages(Page)  # the migration made them; a site may have lost one
        parts = []
        for label, model in COUNTED.items():
            total = model.objects.count()
            parts.append(f"{total} {label} ({total - before[label]} new)")
        parts.append(f"{Comment.objects.count()} comments ({comments} new)")
        parts.append(f"{Page.objects.count()} pages ({pages} new)")
        parts.append(f"{Issue.objects.sent().count()} sent newsletter issues ({issues} new)")
        parts.append(f"{Subscriber.objects.count()} newsletter subscribers ({subscribers} new)")
        parts.append(f"{Donation.objects.count()} donations ({gifts} new)")
        self.stdout.write(self.style.SUCCESS("Demo magazine seeded: " + ", ".join(parts) + "."))


def attach_jpeg(field_file, name: str, data: bytes) -> None:
    """Store generated JPEG bytes in an image field without saving the model yet.

    The ContentFile is named: Django reads an unnamed one's dimensions as None, and the
    width and height fields would stay empty (every page load would then open the file).
    """
    field_file.save(name, ContentFile(data, name=name), save=False)


def seed_categories() -> dict[str, Category]:
    """Create the section tree; parents come before their children in the data."""
    by_path = {}
    for data in magazine.CATEGORIES:
        parent = by_path[data["parent"]] if data["parent"] else None
        category, _ = Category.objects.get_or_create(
            parent=parent,
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "position": data["position"],
            },
        )
        by_path[category.path] = category
    return by_path


def seed_author(data: dict) -> Author:
    author, _ = Author.objects.get_or_create(
        slug=data["slug"],
        defaults={key: data[key] for key in ("name", "role", "bio", "website")},
    )
    if not author.photo:
        portrait = images.portrait_jpeg(author.slug, **data["portrait"])
        attach_jpeg(author.photo, f"{author.slug}.jpg", portrait)
        author.save()
    if author.user_id is None:
        author.user = seed_member(data)
        author.save(update_fields=["user"])
    return author


def seed_member(data: dict):
    """The author's member account: staff, no usable password, in "Authors" if it exists."""
    first_name, _, last_name = data["name"].partition(" ")
    user, created = get_user_model().objects.get_or_create(
        username=data["slug"],
        defaults={
            "email": f"{data['slug']}@frameandgrain.test",
            "first_name": first_name,
            "last_name": last_name,
            "display_name": data["name"],
            "is_staff": True,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group = Group.objects.filter(name="Authors").first()
    if group:
        user.groups.add(group)
    return user


def publish_time(days_ago: int) -> datetime:
    """Half past eight in the morning, local time, `days_ago` days ago (or ahead if negative)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(8, 30)))


def seed_article(data: dict, categories: dict, authors: dict) -> Article:
    hero = data["hero"]
    article, _ = Article.objects.get_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "standfirst": data["standfirst"],
            "body": data["body"],
            "category": categories[data["category"]],
            "author": authors[data["author"]],
            "hero_alt": hero["alt"],
            "hero_caption": hero["caption"],
            "hero_credit": hero["credit"],
            "status": data.get("status", Article.Status.PUBLISHED),
            "published_at": publish_time(data["days_ago"]),
        },
    )
    article.tags.add(*(seed_tag(name) for name in data["tags"]))
    changed = False
    if not article.hero_image:
        picture = images.hero_jpeg(article.slug, motif=hero["motif"], palette=hero["palette"])
        attach_jpeg(article.hero_image, f"{article.slug}.jpg", picture)
        changed = True
    for position, image in enumerate(data["images"], start=1):
        changed |= seed_inline_image(article, position, image)
    if changed:
        article.save()  # renders body_html again, now that the images exist
    return article


def seed_tag(name: str) -> Tag:
    tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return tag


def seed_inline_image(article: Article, position: int, data: dict) -> bool:
    """Attach inline image `position` unless the article has one there already."""
    if article.images.filter(position=position).exists():
        return False
    image = ArticleImage(
        article=article, position=position, caption=data["caption"], credit=data["credit"]
    )
    picture = images.inline_jpeg(
        f"{article.slug}-{position}", motif=data["motif"], palette=data["palette"]
    )
    attach_jpeg(image.image, f"{article.slug}-{position}.jpg", picture)
    image.save()
    return True


def seed_related(article: Article, related: list[tuple], articles: dict) -> None:
    """("article", slug) links to one of ours; ("url", title, url) to a page elsewhere."""
    for position, link in enumerate(related):
        if link[0] == "article":
            fields = {"target": articles[link[1]], "url": "", "title": ""}
        else:
            fields = {"target": None, "title": link[1], "url": link[2]}
        RelatedLink.objects.get_or_create(article=article, position=position, defaults=fields)
