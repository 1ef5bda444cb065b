"""Keyword-only helpers that create test data with sensible defaults."""

import importlib
import io
from datetime import timedelta
from itertools import count

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from forum.articles.models import Article, ArticleImage, Author, Category, RelatedLink, Tag
from forum.comments.models import Ban, Comment, TrustedCommenter
from forum.donations.models import Donation, Payment
from forum.newsletter.models import Issue, Newsletter, Subscriber, Subscription

_seq = count(1)


def jpeg_file(*, name: str = "photo.jpg", size=(640, 360), colour="#886644") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


def create_user(*, email: str | None = None, password: str = "a-long-test-password", **fields):  # noqa: S107
    n = next(_seq)
    email = email or f"reader{n}@example.com"
    fields.setdefault("username", f"user{n}")
    return get_user_model().objects.create_user(email=email, password=password, **fields)


# The groups come from a data migration; browser tests (transactional) flush them away.
_GROUPS_MIGRATION = importlib.import_module(
    "forum.articles.migrations.0002_editors_and_authors_groups"
)


_PAGES_MIGRATION = importlib.import_module("forum.pages.migrations.0002_starter_pages_and_editors")
_NEWSLETTER_MIGRATION = importlib.import_module(
    "forum.newsletter.migrations.0002_the_magazine_newsletter_and_editors"
)
_MODERATORS_MIGRATION = importlib.import_module(
    "forum.comments.migrations.0008_fingerprints_actions_moderator_permissions"
)
_MODERATION_SETTINGS_MIGRATION = importlib.import_module(
    "forum.site_settings.migrations.0004_moderators_change_moderation_settings"
)
_DONATIONS_MIGRATION = importlib.import_module(
    "forum.donations.migrations.0002_editors_see_donations"
)


def editorial_group(name: str) -> Group:
    """The migrated "Editors", "Authors" or "Moderators" group, made again as the migrations
    make it if a transactional test has flushed it."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        grants = {
            "Editors": [
                ("articles", _GROUPS_MIGRATION.EDITORS),
                ("pages", _PAGES_MIGRATION.EDITORS),
                ("newsletter", _NEWSLETTER_MIGRATION.EDITORS),
                ("donations", _DONATIONS_MIGRATION.EDITORS),
            ],
            "Authors": [("articles", _GROUPS_MIGRATION.AUTHORS)],
            "Moderators": [
                ("comments", _MODERATORS_MIGRATION.MODERATORS),
                ("site_settings", _MODERATION_SETTINGS_MIGRATION.MODERATORS),
            ],
        }[name]
        for app_label, codenames in grants:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
    return group


def create_staff(*, groups: tuple[str, ...] = (), **fields):
    user = create_user(is_staff=True, **fields)
    user.groups.add(*(editorial_group(name) for name in groups))
    return user


ROLES = ("anonymous", "member", "moderator", "editor", "superuser")


def create_person(*, role: str):
    """Someone in one of the `ROLES` (None for anonymous), for access tables."""
    return {
        "anonymous": lambda: None,
        "member": lambda: create_user(email="member@example.com"),
        "moderator": lambda: create_staff(email="moderator@example.com", groups=("Moderators",)),
        "editor": lambda: create_staff(email="editor@example.com", groups=("Editors",)),
        "superuser": lambda: create_user(
            email="root@example.com", is_staff=True, is_superuser=True
        ),
    }[role]()


def client_as(role: str) -> Client:
    """A test client signed in as `create_person(role=role)` (not signed in for anonymous)."""
    client = Client()
    if (user := create_person(role=role)) is not None:
        client.force_login(user)
    return client


def create_category(*, name: str | None = None, parent: Category | None = None, **fields):
    n = next(_seq)
    name = name or f"Section {n}"
    fields.setdefault("slug", f"section-{n}")
    return Category.objects.create(name=name, parent=parent, **fields)


def create_author(*, name: str | None = None, user=None, **fields):
    n = next(_seq)
    fields.setdefault("slug", f"author-{n}")
    fields.setdefault("bio", "Writes about cameras and the people who use them.")
    return Author.objects.create(name=name or f"Author {n}", user=user, **fields)


def create_tag(*, name: str | None = None):
    n = next(_seq)
    name = name or f"Tag {n}"
    return Tag.objects.create(name=name, slug=f"tag-{n}")


def create_article(
    *,
    title: str | None = None,
    category: Category | None = None,
    author: Author | None = None,
    status: str = Article.Status.PUBLISHED,
    published_at=None,
    tags=(),
    hero: bool = False,
    **fields,
) -> Article:
    n = next(_seq)
    article = Article(
        title=title or f"Article {n}",
        slug=fields.pop("slug", f"article-{n}"),
        standfirst=fields.pop("standfirst", "A short introduction."),
        body=fields.pop("body", "Some **Markdown** text."),
        category=category or create_category(),
        author=author or create_author(),
        status=status,
        published_at=published_at or timezone.now() - timedelta(hours=n),
        **fields,
    )
    if hero:
        article.hero_image = jpeg_file(name=f"hero-{n}.jpg")
        article.hero_alt = "A camera on a table"
        article.hero_caption = "The camera in question."
        article.hero_credit = "Photo: Test Person"
    article.save()
    article.tags.add(*tags)
    return article


def create_article_image(*, article: Article, position: int = 1, **fields) -> ArticleImage:
    image = ArticleImage.objects.create(
        article=article, position=position, image=jpeg_file(name=f"inline-{position}.jpg"), **fields
    )
    article.save()  # re-render the body now that the image exists
    return image


def create_related_link(*, article: Article, target: Article | None = None, **fields):
    return RelatedLink.objects.create(article=article, target=target, **fields)


def create_comment(
    *,
    article: Article,
    parent: Comment | None = None,
    user=None,
    body: str = "A thoughtful remark about the pictures.",
    status: str = Comment.Status.APPROVED,
    **fields,
) -> Comment:
    """A comment placed in its thread as the posting service would place it (no rules run).

    It was posted a little while ago unless `created` says otherwise, so the rate and flood
    limits do not refuse the next comment a test posts."""
    n = next(_seq)
    fields.setdefault("created", timezone.now() - timedelta(minutes=5))
    if user is None:
        fields.setdefault("name", f"Guest {n}")
        fields.setdefault("email", f"guest{n}@example.com")
    else:
        fields.setdefault("name", user.public_name)
        fields.setdefault("email", user.email)
    comment = Comment(article=article, user=user, body=body, status=status, **fields)
    comment.place(parent)
    comment.save()
    Comment.objects.refresh_article(article.pk, threads=[comment.thread_id])
    if status == Comment.Status.APPROVED:
        Comment.objects.number_threads(article.pk, [comment.thread_id])
        comment.refresh_from_db(fields=["number"])
    return comment


def create_ban(
    *, email: str = "", user=None, ip_range: str = "", expires=None, reason: str = ""
) -> Ban:
    """A ban made by hand in the admin: give an email, an account or a network."""
    return Ban.objects.create(
        email=email, user=user, ip_range=ip_range, expires=expires, reason=reason
    )


def create_trusted_commenter(*, email: str = "", user=None) -> TrustedCommenter:
    return TrustedCommenter.objects.create(email=email, user=user)


def create_moderator(*, email: str | None = None, **fields):
    """A staff member in the migrated "Moderators" group."""
    return create_staff(email=email, groups=("Moderators",), **fields)


def create_report(*, comment: Comment, user=None, reason: str = "abusive", **fields):
    """A reader's open report on `comment`, counted on the comment as the report service
    counts it (without the hiding at the threshold)."""
    report = comment.reports.create(user=user, reason=reason, **fields)
    comment.report_count += 1
    comment.save(update_fields=["report_count"])
    return report


def default_newsletter() -> Newsletter:
    """The default newsletter as the migrations make it, made again if a transactional test
    (the browser tests) has flushed it."""
    migration = _NEWSLETTER_MIGRATION
    if not Newsletter.objects.filter(slug="magazine").exists():
        migration.create_newsletter(django_apps, None)
    return Newsletter.objects.get(slug="magazine")


def create_newsletter(*, name: str | None = None, **fields) -> Newsletter:
    n = next(_seq)
    return Newsletter.objects.create(
        name=name or f"Newsletter {n}",
        slug=fields.pop("slug", f"newsletter-{n}"),
        description=fields.pop("description", "Now and then."),
        position=fields.pop("position", 10 + n),
        **fields,
    )


def create_subscriber(
    *,
    email: str | None = None,
    newsletter: Newsletter | None = None,
    status: str = Subscription.Status.CONFIRMED,
    **fields,
) -> Subscriber:
    """An address subscribed to `newsletter` (the default one) in `status`, recorded as an
    import."""
    subscriber = Subscriber.objects.create(
        email=email or f"reader{next(_seq)}@example.org", **fields
    )
    newsletter = newsletter or Newsletter.default()
    subscription = Subscription.objects.create(
        subscriber=subscriber,
        newsletter=newsletter,
        status=status,
        confirmed_at=timezone.now() if status == Subscription.Status.CONFIRMED else None,
    )
    subscription.changes.create(status=status, source="import")
    return subscriber


def create_issue(
    *, newsletter: Newsletter | None = None, subject: str | None = None, articles=(), **fields
) -> Issue:
    issue = Issue.objects.create(
        newsletter=newsletter or Newsletter.default(),
        subject=subject or f"Issue {next(_seq)}",
        intro=fields.pop("intro", "Good morning. Here is what is new."),
        **fields,
    )
    issue.articles.add(*articles)
    return issue


def create_donation(
    *,
    kind: str = Donation.Kind.ONE_OFF,
    amount: int = 500,
    currency: str = "GBP",
    status: str = Donation.Status.PAID,
    paid_at=None,
    **fields,
) -> Donation:
    """A gift through the dev provider; one that went through (paid, active, cancelled,
    refunded) has a payment, as its webhook would have left it."""
    number = next(_seq)
    monthly = kind == Donation.Kind.MONTHLY
    fields.setdefault("name", f"Donor {number}")
    fields.setdefault("email", f"donor{number}@example.org")
    fields.setdefault("checkout_id", f"cs_dev_test{number}")
    if monthly:
        fields.setdefault("subscription_id", f"sub_dev_test{number}")
        fields.setdefault("customer_id", f"cus_dev_test{number}")
    went_through = status not in (
        Donation.Status.PENDING,
        Donation.Status.FAILED,
        Donation.Status.ABANDONED,
    )
    paid_at = paid_at or timezone.now()
    donation = Donation.objects.create(
        provider="dev",
        kind=kind,
        amount=amount,
        currency=currency,
        status=status,
        first_paid_at=paid_at if went_through else None,
        **fields,
    )
    if went_through:
        refunded = status == Donation.Status.REFUNDED
        Payment.objects.create(
            donation=donation,
            provider_id=f"{'in' if monthly else 'pi'}_dev_test{number}",
            charge_id=f"ch_dev_test{number}",
            amount=amount,
            currency=currency,
            paid_at=paid_at,
            refunded_amount=amount if refunded else 0,
            refunded_at=paid_at if refunded else None,
            receipt_sent_at=paid_at,
        )
    return donation
