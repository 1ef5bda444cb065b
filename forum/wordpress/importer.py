"""Importing a WordPress export: the authors, sections, tags, published posts and every comment
of a magazine moving here, keyed on WordPress's ids so that running it again creates nothing
twice and brings over what changed.

The file is read twice, as a stream: once to count (for the progress bar) and to gather the few
things posts refer to (authors, categories, tags, the media library), then to import post by
post. Each post lands with its comments in one transaction: a post that fails is reported with
its id and left out whole, and the rest carry on. Comments are placed in their threads by
`Comment.place` and stored by `Comment.objects.bulk_create_placed`, as seeded ones are, so
threads, depths, numbers and fingerprints follow the site's own rules; nobody is mailed.
"""

import contextlib
import copy
import hashlib
import heapq
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from forum.articles import renditions
from forum.articles.models import Article, ArticleImage, Author, Category, Tag
from forum.comments.models import Comment, truncate_ip
from forum.site_settings.models import SiteSettings

from . import markup, wxr
from .models import ImportedItem

Kind = ImportedItem.Kind

STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    "post-trashed": Comment.Status.REMOVED,
}
COMMENT_TYPES = {"", "comment"}
PINGS = {"pingback", "trackback"}
PUBLISHED = {"publish", "future"}  # a scheduled post is published here at its time
MAX_COMMENT_CHARS = 100_000  # larger than any reader writes; a bigger one is a broken export
MAX_IMAGE_BYTES = 25 * 1024 * 1024
POOL_FROM_COMMENTS = 2000  # below this, a pool of processes costs more than it saves
DELETED_HERE = "deleted here, left out"  # imported before, then deleted by an editor
PROBLEMS_KEPT = 200  # listed in the summary; beyond them, only counted
_KEYS_PER_QUERY = 500
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


class Cancelled(Exception):
    """Raised to roll a dry run back."""


@dataclass
class Summary:
    """What an import did (or, dry, would do), for the command's report."""

    source: str = ""
    version: str = ""
    dry_run: bool = False
    posts_total: int = 0
    comments_total: int = 0
    counts: dict[str, Counter] = field(default_factory=dict)  # kind → created/updated/...
    skipped: Counter = field(default_factory=Counter)  # why items were left out
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n

    def skip(self, why: str, n: int = 1) -> None:
        if n:
            self.skipped[why] += n

    def problem(self, text: str) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(text)


def _digest(*values) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def _moment(gmt: str, local: str) -> datetime:
    """WordPress's two dates: GMT when it kept one ("0000-00-00 00:00:00" when not), else the
    site's local time, taken as this site's time zone."""
    for text, zone in ((gmt, UTC), (local, None)):
        text = (text or "").strip()
        if not text or text.startswith("0000"):
            continue
        moment = datetime.fromisoformat(text)
        if zone is not None:
            return moment.replace(tzinfo=zone)
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    raise ValueError("it has no date")


def _unique_slug(model, base: str, *, limit: int) -> str:
    """`base`, or `base-2`, `base-3`…: the first no `model` row has yet."""
    base = (base or "item")[:limit].strip("-") or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: limit - len(str(n)) - 1]}-{n}"
    return slug


def _slug_of(raw: str, fallback: str) -> str:
    return slugify(unquote(raw or "")) or slugify(fallback)


def nicename(login: str) -> str:
    """An author's part of their old address, /author/<nicename>/, as WordPress made it."""
    return slugify(login.replace(".", "-"))


def _clean_email(address: str) -> str:
    address = address.strip()
    if len(address) > Comment._meta.get_field("email").max_length:
        return ""
    try:
        _email(address)
    except ValidationError:
        return ""
    return address


def _clean_url(address: str) -> str:
    address = address.strip()
    if len(address) > Comment._meta.get_field("website").max_length:
        return ""
    try:
        _url(address)
    except ValidationError:
        return ""
    return address


Prepared = tuple[dict, tuple[str, str] | None, str]  # fields, rendering, why it is left out


def prepare_comment(raw: tuple[str, str, str, str, str]) -> Prepared:
    """A WordPress comment's (content, author, email, URL, IP) as the fields of a comment here,
    its text rendered, and why it cannot be stored ("" if it can): the costly part of
    importing a comment, done in other processes."""
    content, author, email, url, ip = raw
    text = markup.comment_text(content)
    if not text.strip():
        return {}, None, "it has no text"
    if len(text) > MAX_COMMENT_CHARS:
        return {}, None, f"its text is longer than {MAX_COMMENT_CHARS:,} characters"
    fields = {
        "body": text,
        "name": (markup.plain_text(author) or "Anonymous")[:80],
        "email": _clean_email(email),
        "website": _clean_url(url),
        "ip": truncate_ip(ip.strip()),
    }
    return fields, Comment(body=text).rendered(), ""


def _raw(entry: wxr.Comment) -> tuple[str, str, str, str, str]:
    return entry.content, entry.author, entry.email, entry.url, entry.ip


class Preparer:
    """Prepares each post's comments (`prepare_comment`) in a pool of processes while this one
    stores the post before it: rendering (Markdown, then bleach) is most of an import's work.
    Without a pool (a small export, or `workers=0`), they are prepared here, in turn."""

    def __init__(self, workers: int):
        self.pool = None
        if workers > 0 and "fork" in multiprocessing.get_all_start_methods():
            # Forked from this process, set up as it is; the children touch no database.
            self.pool = multiprocessing.get_context("fork").Pool(workers)

    def submit(self, entries: list[wxr.Comment]):
        if self.pool is None or not entries:
            return None
        return self.pool.map_async(prepare_comment, [_raw(e) for e in entries], chunksize=64)

    def collect(self, entries: list[wxr.Comment], job) -> None:
        results = job.get() if job is not None else map(prepare_comment, map(_raw, entries))
        for entry, prepared in zip(entries, results, strict=True):
            entry.prepared = prepared

    def close(self, *, abort: bool = False) -> None:
        if self.pool is None:
            return
        if abort:
            self.pool.terminate()  # an interrupted worker would keep join() waiting for ever
        else:
            self.pool.close()
        self.pool.join()


class Import:
    """One run of `import_wordpress` over one file (see the module's docstring)."""

    def __init__(
        self,
        path,
        *,
        media_dir=None,
        dry_run: bool = False,
        on_progress: Callable[[int, int], None] | None = None,
        workers: int | None = None,
    ):
        self.path = Path(path)
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.on_progress = on_progress or (lambda posts, comments: None)
        self.summary = Summary(dry_run=dry_run)
        self.channel = wxr.Channel()
        self.settings = SiteSettings.current()
        self.attachments: dict[str, markup.Attachment] = {}
        self.authors: dict[str, wxr.Author] = {}
        self.terms: list[wxr.Term] = []
        self.author_for: dict[str, Author] = {}  # login → Author
        self.category_for: dict[str, Category] = {}  # nicename → Category
        self.tag_for: dict[str, Tag] = {}  # slug → Tag
        self.posts_seen: set[str] = set()
        self.stored_pictures: list = []  # (instance, file field, renditions field) of this post
        self.workers = workers  # processes preparing comments; None: as many as cores, if worth it
        self.old_paths: dict[str, str] = {}  # category nicename → its old path below /category/

    @property
    def source(self) -> str:
        return self.channel.source

    def run(self) -> Summary:
        """Import the file; raises `wxr.WXRError` before writing anything if it cannot be read."""
        self.scan()
        dry = self.summary.dry_run
        try:
            # A dry run imports everything in one transaction, then rolls it back.
            with transaction.atomic() if dry else contextlib.nullcontext():
                with transaction.atomic():
                    self.import_terms()
                self.import_items()  # a transaction per post
                if dry:
                    raise Cancelled
        except Cancelled:
            pass
        return self.summary

    # -- The first pass -------------------------------------------------------------------

    def scan(self) -> None:
        """Count posts and comments, and gather what posts refer to."""
        summary = self.summary
        for entry in wxr.read(self.path, self.channel, comments=False):
            if isinstance(entry, wxr.Author):
                self.authors.setdefault(entry.login, entry)
            elif isinstance(entry, wxr.Term):
                self.terms.append(entry)
            elif entry.type == "attachment":
                self.attachments[entry.id] = markup.Attachment(
                    url=entry.attachment_url.strip(),
                    alt=entry.meta.get("_wp_attachment_image_alt", ""),
                    caption=markup.plain_text(entry.excerpt),
                    parent=entry.parent.strip(),
                )
            elif entry.type == "post":
                summary.posts_total += 1
                summary.comments_total += entry.comment_count
        summary.source, summary.version = self.source, self.channel.version

    # -- Authors, categories, tags -----------------------------------------------------------

    def mapped(self, kind: str, keys, *, targets: bool = True) -> dict[str, ImportedItem]:
        """What earlier runs recorded for these WordPress keys (with what each became)."""
        keys = list(keys)
        found = {}
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            items = ImportedItem.objects.filter(source=self.source, kind=kind, key__in=chunk)
            if targets:
                items = items.select_related(ImportedItem.TARGETS[kind])
            found.update((item.key, item) for item in items)
        return found

    def record(
        self, item: ImportedItem | None, *, kind: str, key: str, slug: str, digest: str, obj
    ):
        if item is None:
            item = ImportedItem(source=self.source, kind=kind, key=key)
        item.slug, item.digest = slug[:255], digest
        setattr(item, ImportedItem.TARGETS[kind], obj)
        item.save()
        return item

    def import_terms(self) -> None:
        for login, author in self.authors.items():
            if login:
                self.author_for[login] = self.import_author(author)
        categories = [term for term in self.terms if term.kind == "category" and term.slug]
        for term in self.ordered_categories(categories):
            self.category_for[term.slug] = self.import_category(term)
        for term in self.terms:
            if term.kind == "tag" and term.slug:
                self.tag_for[term.slug] = self.import_tag(term.slug, term.name)

    def import_author(self, author: wxr.Author) -> Author:
        name = markup.plain_text(author.display_name) or " ".join(
            filter(None, [author.first_name, author.last_name])
        )
        name = (name or author.login)[:120]
        digest = _digest(name)
        known = self.mapped(Kind.AUTHOR, [author.login]).get(author.login)
        if known is not None and known.author is not None:
            if known.digest != digest:
                known.author.name = name
                known.author.save(update_fields=["name"])
                self.summary.count(Kind.AUTHOR, "updated")
            else:
                self.summary.count(Kind.AUTHOR, "unchanged")
            target = known.author
        else:
            slug = _slug_of(nicename(author.login), name)[:120]
            target = Author.objects.filter(slug=slug, user=None).first()
            if target is None:
                target = Author.objects.create(
                    name=name, slug=_unique_slug(Author, slug, limit=120), bio=""
                )
                self.summary.count(Kind.AUTHOR, "created")
            else:
                self.summary.count(Kind.AUTHOR, "matched")
        self.record(
            known, kind=Kind.AUTHOR, key=author.login, slug=nicename(author.login), digest=digest,
            obj=target,
        )  # fmt: skip
        return target

    def ordered_categories(self, terms: list[wxr.Term]) -> list[wxr.Term]:
        """Parents before children. A parent that is not in the file puts the category at the
        top level; a loop of parents is reported and broken where it was found."""
        by_slug = {}
        for term in terms:
            by_slug.setdefault(term.slug, term)
        ordered, done = [], set()
        for term in by_slug.values():
            chain, node = [], term
            while node is not None and node.slug not in done:
                if node in chain:
                    # The last link closes the loop: its category goes to the top level.
                    loop = " → ".join(t.slug for t in chain[chain.index(node) :] + [node])
                    self.summary.problem(
                        f"categories {loop} are each other's parents: “{chain[-1].slug}” is "
                        "put at the top level"
                    )
                    chain[-1].parent = ""
                    break
                chain.append(node)
                if node.parent and node.parent not in by_slug:
                    self.summary.problem(
                        f"category “{node.slug}”: its parent “{node.parent}” is not in the "
                        "file; put at the top level"
                    )
                    node.parent = ""
                node = by_slug.get(node.parent) if node.parent else None
            for link in reversed(chain):
                if link.slug not in done:
                    done.add(link.slug)
                    ordered.append(link)
        return ordered

    def import_category(self, term: wxr.Term) -> Category:
        parent = self.category_for.get(term.parent) if term.parent else None
        name = (markup.plain_text(term.name) or term.slug)[:80]
        description = markup.plain_text(term.description)
        old_path = "/".join(filter(None, [self.old_paths.get(term.parent, ""), unquote(term.slug)]))
        digest = _digest(name, description, parent.pk if parent else None)
        known = self.mapped(Kind.CATEGORY, [term.term_id or term.slug]).get(
            term.term_id or term.slug
        )
        if known is not None and known.category is not None:
            target = known.category
            if known.digest != digest:
                target.name, target.description, target.parent = name, description, parent
                target.save()
                self.summary.count(Kind.CATEGORY, "updated")
            else:
                self.summary.count(Kind.CATEGORY, "unchanged")
        else:
            slug = _slug_of(term.slug, name)[:80] or f"category-{term.term_id}"
            target = Category.objects.filter(parent=parent, slug=slug).first()
            if target is None:
                target = Category(name=name, slug=slug, parent=parent, description=description)
                target.save()
                self.summary.count(Kind.CATEGORY, "created")
            else:
                self.summary.count(Kind.CATEGORY, "matched")
        self.old_paths[term.slug] = old_path
        self.record(
            known, kind=Kind.CATEGORY, key=term.term_id or term.slug, slug=old_path,
            digest=digest, obj=target,
        )  # fmt: skip
        return target

    def import_tag(self, slug: str, name: str) -> Tag:
        name = (markup.plain_text(name) or unquote(slug))[:60]
        known = self.mapped(Kind.TAG, [slug]).get(slug)
        if known is not None and known.tag is not None:
            target = known.tag
            renamed = known.digest != _digest(name)
            if renamed and not Tag.objects.filter(name=name).exclude(pk=target.pk).exists():
                target.name = name
                target.save(update_fields=["name"])
                known.digest = _digest(name)
                known.save(update_fields=["digest", "imported_at"])
                self.summary.count(Kind.TAG, "updated")
            else:
                self.summary.count(Kind.TAG, "unchanged")
            return target
        tag_slug = _slug_of(slug, name)[:60] or "tag"
        target = Tag.objects.filter(slug=tag_slug).first() or Tag.objects.filter(name=name).first()
        if target is None:
            target = Tag.objects.create(name=name, slug=_unique_slug(Tag, tag_slug, limit=60))
            self.summary.count(Kind.TAG, "created")
        else:
            self.summary.count(Kind.TAG, "matched")
        self.record(
            known, kind=Kind.TAG, key=slug, slug=unquote(slug), digest=_digest(name), obj=target
        )
        return target

    # -- Posts ------------------------------------------------------------------------------

    def import_items(self) -> None:
        workers = self.workers
        if workers is None:
            big = self.summary.comments_total >= POOL_FROM_COMMENTS
            workers = (os.cpu_count() or 1) if big else 0
        preparer = Preparer(workers)
        posts = comments = 0
        ahead = None  # the post read last, its comments being prepared meanwhile
        try:
            for entry in wxr.read(self.path, wxr.Channel()):
                if not isinstance(entry, wxr.Item) or entry.type != "post":
                    if isinstance(entry, wxr.Item) and entry.type not in {"attachment", ""}:
                        self.summary.skip(f"items of type “{entry.type}” (only posts are imported)")
                    continue
                fresh = self.unprepared(entry) if self.wanted(entry) else []
                job = preparer.submit(fresh)
                if ahead is not None:
                    self.import_item(*ahead, preparer=preparer)
                    posts, comments = posts + 1, comments + len(ahead[0].comments)
                    self.on_progress(posts, comments)
                ahead = (entry, fresh, job)
            if ahead is not None:
                self.import_item(*ahead, preparer=preparer)
                self.on_progress(posts + 1, comments + len(ahead[0].comments))
        except BaseException:
            preparer.close(abort=True)
            raise
        preparer.close()

    def wanted(self, item: wxr.Item) -> bool:
        """Whether a post is one to import (published, not behind a password)."""
        return item.status in PUBLISHED and not item.password

    def unprepared(self, item: wxr.Item) -> list[wxr.Comment]:
        """The post's comments new, or changed since the last run: the ones to prepare."""
        keys = [entry.id for entry in item.comments if entry.id.isdigit()]
        before = self.mapped(Kind.COMMENT, keys, targets=False)
        return [
            entry
            for entry in item.comments
            if entry.id not in before or before[entry.id].digest != self.comment_digest(entry)
        ]

    def import_item(
        self, item: wxr.Item, fresh: list[wxr.Comment] = (), job=None, *, preparer: Preparer
    ) -> None:
        summary = self.summary
        if not self.wanted(item):
            summary.skip(
                "password-protected posts"
                if item.status in PUBLISHED
                else f"posts not published ({item.status or 'no status'})"
            )
            summary.skip("comments on posts left out", len(item.comments))
            return
        if not item.id.isdigit() or item.id in self.posts_seen:
            summary.problem(
                f"post {item.id or '(no id)'} (line {item.line}): "
                + (
                    "its id is not a number"
                    if not item.id.isdigit()
                    else "a second post with this id"
                )
                + "; left out"
            )
            summary.count(Kind.POST, "failed")
            return
        self.posts_seen.add(item.id)
        # What a failed post counted and the pictures it stored are undone with it.
        counts, skipped = copy.deepcopy(summary.counts), summary.skipped.copy()
        self.stored_pictures = []
        try:
            preparer.collect(list(fresh), job)
            # The sections, author and tags first, in a transaction of their own: later posts
            # share them, so they must not go if this post does.
            with transaction.atomic():
                terms = self.category_of(item), self.author_of(item.creator), self.tags_of(item)
            with transaction.atomic():
                if article := self.import_post(item, *terms):
                    self.import_comments(item, article)
        except Exception as error:  # noqa: BLE001 - one bad post must not stop the others
            summary.counts, summary.skipped = counts, skipped
            self.forget_pictures()
            summary.problem(
                f"post {item.id} (line {item.line}): {error}; left out with its comments"
            )
            summary.count(Kind.POST, "failed")

    def import_post(self, item: wxr.Item, category, author, tags) -> Article | None:
        published_at = _moment(item.date_gmt, item.date)
        title = markup.plain_text(item.title)[:200] or f"Untitled ({item.id})"
        thumbnail = self.attachments.get(item.meta.get("_thumbnail_id", "").strip())
        digest = _digest(
            title, item.content, item.excerpt, item.slug, published_at, category.pk, author.pk,
            [tag.pk for tag in tags], thumbnail, item.comment_status,
        )  # fmt: skip
        known = self.mapped(Kind.POST, [item.id]).get(item.id)
        article = known.article if known is not None else None
        if known is not None and article is None:
            self.summary.count(Kind.POST, DELETED_HERE)
            self.summary.skip("comments on posts deleted here", len(item.comments))
            return None
        if article is not None and known.digest == digest:
            self.summary.count(Kind.POST, "unchanged")
            return article

        body = markup.post_body(
            item.content, find_image=self.find_image, attachments=self.attachments, post_id=item.id
        )
        for url in body.missing:
            self.summary.problem(f"post {item.id}: picture not found, left out: {url[:200]}")
        if body.shortcodes:
            self.summary.problem(
                f"post {item.id}: shortcodes this site does not have, removed: "
                + ", ".join(f"[{name}]" for name in sorted(body.shortcodes))
            )
        creating = article is None
        if creating:
            slug = _slug_of(item.slug, title)[:200] or f"post-{item.id}"
            article = Article(slug=_unique_slug(Article, slug, limit=200))
        article.title = title
        article.body = body.text
        article.standfirst = markup.standfirst(item.excerpt, body.text)
        article.category, article.author = category, author
        article.status, article.published_at = Article.Status.PUBLISHED, published_at
        article.comments_open = item.comment_status.strip() != "closed"
        article.save()
        article.tags.set(tags)
        self.attach_images(article, body, thumbnail, replace=not creating)
        self.record(
            known, kind=Kind.POST, key=item.id, slug=unquote(item.slug.strip()).lower(),
            digest=digest, obj=article,
        )  # fmt: skip
        self.summary.count(Kind.POST, "created" if creating else "updated")
        return article

    def category_of(self, item: wxr.Item) -> Category:
        for slug, _name in item.categories:
            if slug in self.category_for:
                return self.category_for[slug]
        slug, name = next(iter(item.categories), ("uncategorized", "Uncategorised"))
        # A category the channel did not list (or none at all): made at the top level.
        term = wxr.Term(kind="category", term_id="", slug=slug, name=name)
        self.category_for[slug] = self.import_category(term)
        return self.category_for[slug]

    def author_of(self, login: str) -> Author:
        login = login.strip() or "unknown"
        if login not in self.author_for:
            self.author_for[login] = self.import_author(wxr.Author(login=login))
        return self.author_for[login]

    def tags_of(self, item: wxr.Item) -> list[Tag]:
        for slug, name in item.tags:
            if slug and slug not in self.tag_for:
                self.tag_for[slug] = self.import_tag(slug, name)
        return [self.tag_for[slug] for slug, _ in item.tags if slug]

    # -- Pictures ---------------------------------------------------------------------------

    def find_image(self, url: str) -> Path | None:
        """The file under --media-dir that `url` (an address on the old site) names, if it is
        there and is a picture; WordPress's resized copies ("-800x600") lead to the original,
        from which this site makes its own."""
        if self.media_dir is None or not url:
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https", ""}:
            return None
        path = unquote(parts.path)
        if "/wp-content/uploads/" in path:
            relative = path.split("/wp-content/uploads/", 1)[1]
        elif not parts.netloc or parts.netloc == urlsplit(self.source).netloc:
            relative = path.lstrip("/")
        else:
            return None  # a picture on another site: never hot-linked
        stem, dot, extension = relative.rpartition(".")
        original = re.sub(r"-\d+x\d+$", "", stem) + dot + extension if dot else relative
        for name in dict.fromkeys([original, relative]):
            for base in (
                self.media_dir,
                self.media_dir / "uploads",
                self.media_dir / "wp-content" / "uploads",
            ):
                candidate = (base / name).resolve()
                if candidate.is_relative_to(self.media_dir) and candidate.is_file():
                    return candidate if self.is_picture(candidate) else None
        return None

    def is_picture(self, path: Path) -> bool:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            self.summary.problem(f"picture {path.name} is larger than 25 MB: left out")
            return False
        try:
            with Image.open(path) as image:
                image.verify()
        except Exception:  # noqa: BLE001 - Pillow raises many kinds for a bad file
            self.summary.problem(f"{path.name} is not a picture this site can read: left out")
            return False
        return True

    def attach_images(
        self, article: Article, body: markup.Body, thumbnail, *, replace: bool
    ) -> None:
        hero = self.find_image(thumbnail.url) if thumbnail else None
        if thumbnail and hero is None:
            self.summary.problem(f"featured picture not found, left out: {thumbnail.url[:200]}")
        found = len(body.images) + (hero is not None)
        self.summary.count("picture", "created", found)
        if self.summary.dry_run or not (found or replace):
            return
        if replace:
            for image in article.images.all():
                image.delete()
        for image in body.images:
            attached = ArticleImage(
                article=article, position=image.position, caption=image.caption, credit=image.credit
            )
            with open(image.source, "rb") as file:
                attached.image.save(image.source.name, File(file), save=False)
            attached.save()
            self.stored_pictures.append((attached, "image", "image_renditions"))
        if hero is not None:
            caption, credit = markup.split_credit(thumbnail.caption)
            with open(hero, "rb") as file:
                article.hero_image.save(hero.name, File(file), save=False)
            article.hero_alt = markup.plain_text(thumbnail.alt)[:250]
            article.hero_caption, article.hero_credit = caption[:300], credit
        article.save()  # the body again, now with its figures
        if hero is not None:
            self.stored_pictures.append((article, "hero_image", "hero_renditions"))

    def forget_pictures(self) -> None:
        """Delete the files a failed post stored (its rows are rolled back; files are not)."""
        for instance, file_field, record in self.stored_pictures:
            picture = getattr(instance, file_field)
            renditions.delete_files(
                picture.storage, renditions.file_names(getattr(instance, record))
            )
            picture.storage.delete(picture.name)
        self.stored_pictures = []

    # -- Comments -----------------------------------------------------------------------------

    def import_comments(self, item: wxr.Item, article: Article) -> None:
        summary = self.summary
        wanted: dict[str, wxr.Comment] = {}
        for entry in item.comments:
            if entry.type.strip() in PINGS:
                summary.skip("pingbacks and trackbacks")
            elif entry.type.strip() not in COMMENT_TYPES:
                summary.skip(f"comments of type “{entry.type.strip()}”")
            elif not entry.id.isdigit():
                summary.problem(f"comment (line {entry.line}) on post {item.id}: no id; left out")
                summary.count(Kind.COMMENT, "failed")
            elif entry.id in wanted:
                summary.problem(
                    f"comment {entry.id} (line {entry.line}): a second comment with this id; left out"
                )
                summary.count(Kind.COMMENT, "failed")
            else:
                wanted[entry.id] = entry
        if not wanted:
            return
        # The article's row locked, as posting does, so a reader's comment published meanwhile
        # cannot draw the same thread number.
        list(Article.objects.select_for_update(no_key=True).filter(pk=article.pk).values_list("pk"))
        known = self.mapped(Kind.COMMENT, wanted, targets=False)
        stored: dict[int, Comment] = {}  # this article's comments, by key, when replies need them
        if known:
            stored = {
                c.pk: c
                for c in Comment.objects.filter(article=article).only(
                    "pk", "article_id", "parent_id", "thread_id", "depth", "status"
                )
            }
        placed: dict[str, Comment] = {}  # WordPress id → comment here
        updates = []
        for key, mapping in known.items():
            if mapping.comment_id is None:
                summary.count(Kind.COMMENT, DELETED_HERE)
                del wanted[key]
                continue
            if mapping.comment_id not in stored:
                summary.problem(
                    f"comment {key} on post {item.id}: already imported with another post; left out"
                )
                summary.count(Kind.COMMENT, "failed")
                del wanted[key]
                continue
            placed[key] = stored[mapping.comment_id]
            updates.append((wanted.pop(key), mapping))

        new = []
        for entry in self.in_thread_order(wanted):
            comment = self.new_comment(entry, article)
            if comment is None:
                continue
            parent = self.parent_for(entry, placed, stored)
            comment.place(parent)
            placed[entry.id] = comment
            new.append((entry, comment))
        if new:
            Comment.objects.bulk_create_placed([comment for _, comment in new])
            ImportedItem.objects.bulk_create(
                [
                    ImportedItem(
                        source=self.source,
                        kind=Kind.COMMENT,
                        key=entry.id,
                        digest=self.comment_digest(entry),
                        comment=comment,
                    )  # fmt: skip
                    for entry, comment in new
                ],
                batch_size=500,
            )
            summary.count(Kind.COMMENT, "created", len(new))
        if self.update_comments(updates):
            Comment.objects.refresh_article(article.pk)  # counted again from the rows
        elif new:
            # As posting does: the count moved on by the published ones, and the cached HTML
            # of each thread that was already here and gained a reply.
            published = sum(comment.is_public for _, comment in new)
            grown = {comment.thread_id for _, comment in new} & stored.keys()
            Comment.objects.refresh_article(article.pk, published=published, threads=list(grown))

    def in_thread_order(self, wanted: dict[str, wxr.Comment]) -> list[wxr.Comment]:
        """Oldest first, each after its parent (whatever their dates say). A loop of replies
        (each the other's parent, in a broken export) is cut above its oldest comment, which
        then starts a thread; the replies below it keep their places."""
        for key, entry in list(wanted.items()):
            if self.dated(entry) is None:
                del wanted[key]
        children: dict[str, list[str]] = {}
        ready = []
        for key, entry in wanted.items():
            if entry.parent in wanted and entry.parent != key:
                children.setdefault(entry.parent, []).append(key)
            else:
                ready.append((entry.moment, int(key), key))
        heapq.heapify(ready)
        ordered, done = [], set()
        while len(done) < len(wanted):
            if not ready:
                oldest = min(
                    (e for k, e in wanted.items() if k not in done),
                    key=lambda e: (e.moment, int(e.id)),
                )
                oldest.parent = "0"
                ready.append((oldest.moment, int(oldest.id), oldest.id))
            _, _, key = heapq.heappop(ready)
            if key in done:
                continue
            done.add(key)
            ordered.append(wanted[key])
            for child in children.pop(key, []):
                if child not in done:
                    heapq.heappush(ready, (wanted[child].moment, int(child), child))
        return ordered

    def dated(self, entry: wxr.Comment):
        """When the comment was written (worked out once); None, reported, if it cannot be."""
        if entry.moment is None:
            try:
                entry.moment = _moment(entry.date_gmt, entry.date)
            except ValueError as error:
                self.summary.problem(f"comment {entry.id} (line {entry.line}): {error}; left out")
                self.summary.count(Kind.COMMENT, "failed")
        return entry.moment

    def comment_digest(self, entry: wxr.Comment) -> str:
        return _digest(
            entry.author, entry.email, entry.url, entry.ip, entry.content, entry.approved,
            entry.date, entry.date_gmt,
        )  # fmt: skip

    def prepared(self, entry: wxr.Comment) -> Prepared | None:
        """`prepare_comment`'s answer for the entry (worked out here if no process did);
        None, reported, for a comment that cannot be stored."""
        if entry.prepared is None:
            entry.prepared = prepare_comment(_raw(entry))
        if problem := entry.prepared[2]:
            self.summary.problem(f"comment {entry.id} (line {entry.line}): {problem}; left out")
            self.summary.count(Kind.COMMENT, "failed")
            return None
        return entry.prepared

    def new_comment(self, entry: wxr.Comment, article: Article) -> Comment | None:
        if (prepared := self.prepared(entry)) is None:
            return None
        fields, rendering, _ = prepared
        comment = Comment(
            article=article,
            created=entry.moment,
            status=comment_status(entry),
            status_reasons=[f"imported from WordPress ({entry.approved.strip() or 'no status'})"],
            **fields,
        )
        comment.take_rendering(rendering)
        return comment

    def parent_for(self, entry, placed: dict[str, Comment], stored: dict[int, Comment]):
        """Where a reply goes: under its parent, or under the deepest ancestor that may still
        take replies; at the top of the discussion when its parent was not imported or is
        spam (WordPress, too, shows a reply to a comment it does not show as a comment of its
        own)."""
        if entry.parent in {"", "0"}:
            return None
        parent = placed.get(entry.parent)
        if parent is None or parent.status == Comment.Status.SPAM:
            self.summary.count(Kind.COMMENT, "replies made top-level")
            return None
        limit = self.settings.comment_depth
        if parent.depth >= limit:
            self.summary.count(Kind.COMMENT, "replies placed higher (depth limit)")
        while parent.depth >= limit:
            parent = stored[parent.parent_id] if parent.pk else parent.parent
        return parent

    def update_comments(self, updates) -> int:
        """Bring over what changed in WordPress since the last run; leave the rest (and what
        moderators did here since) alone."""
        changed = 0
        for entry, mapping in updates:
            digest = self.comment_digest(entry)
            if mapping.digest == digest:
                self.summary.count(Kind.COMMENT, "unchanged")
                continue
            if (prepared := self.prepared(entry)) is None:
                continue
            fields = prepared[0]
            comment = Comment.objects.get(pk=mapping.comment_id)
            for name, value in fields.items():
                setattr(comment, name, value)
            comment.save(update_fields=list(fields))
            status = comment_status(entry)
            if status != comment.status:
                comment.set_status(status, reason="changed in WordPress")
            mapping.digest = digest
            mapping.save(update_fields=["digest", "imported_at"])
            self.summary.count(Kind.COMMENT, "updated")
            changed += 1
        return changed


def comment_status(entry: wxr.Comment) -> str:
    """The status here of a comment with WordPress's `comment_approved` (held when unknown)."""
    return STATUSES.get(entry.approved.strip().lower(), Comment.Status.PENDING)
