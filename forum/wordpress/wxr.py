"""Reading a WordPress export (WXR, "WordPress eXtended RSS", versions 1.1 and 1.2) as a stream.

Tools › Export writes one RSS document: a <channel> with the site's address, its authors,
categories and tags, then an <item> per post, page or attachment, each post carrying its
comments. Exports of a magazine with years of discussion run to gigabytes, so the file is read
with lxml's iterparse and each channel-level element is handed over as plain data and then
dropped from the tree: memory holds one post at a time, whatever the file's size.

Elements and namespaces this importer does not know are ignored. Entities are not expanded and
nothing is fetched from the network: the file is data, not a document to resolve.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

_WP = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
_EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message names the line."""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    line: int = 0


@dataclass
class Term:
    """A category or a tag of the channel."""

    kind: str  # "category" or "tag"
    term_id: str
    slug: str
    name: str
    parent: str = ""  # a category's parent, by its slug
    description: str = ""
    line: int = 0


@dataclass
class Comment:
    id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = "0"
    line: int = 0
    # Worked out by the importer: when it was written, and the comment it makes here.
    moment: datetime | None = None
    prepared: tuple | None = None


@dataclass
class Item:
    """A post, page, attachment or any other item of the channel."""

    id: str = ""
    type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    slug: str = ""
    date: str = ""
    date_gmt: str = ""
    password: str = ""
    comment_status: str = ""
    attachment_url: str = ""
    parent: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    comment_count: int = 0
    line: int = 0


@dataclass
class Channel:
    """What the export says of the site, filled in as the file is read."""

    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""

    @property
    def source(self) -> str:
        """The site's address, which keys everything imported from it."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


def _name(tag) -> str:
    """`wp:post_id`, `content:encoded`, `title`... for the element's tag; "" for a namespace
    this importer does not know."""
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if _WP.match(namespace):
        return f"wp:{local}"
    if _EXCERPT.match(namespace):
        return f"excerpt:{local}"
    prefix = _PREFIXES.get(namespace)
    return f"{prefix}:{local}" if prefix else ""


def _fields(element) -> dict[str, str]:
    return {_name(child.tag): child.text or "" for child in element}


_AUTHOR_FIELDS = {
    "wp:author_email": "email",
    "wp:author_display_name": "display_name",
    "wp:author_first_name": "first_name",
    "wp:author_last_name": "last_name",
}
_COMMENT_FIELDS = {
    "wp:comment_author": "author",
    "wp:comment_author_email": "email",
    "wp:comment_author_url": "url",
    "wp:comment_author_IP": "ip",
    "wp:comment_date": "date",
    "wp:comment_date_gmt": "date_gmt",
    "wp:comment_content": "content",
    "wp:comment_approved": "approved",
    "wp:comment_type": "type",
    "wp:comment_parent": "parent",
}
_ITEM_FIELDS = {
    "wp:post_id": "id",
    "wp:post_type": "type",
    "wp:status": "status",
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_name": "slug",
    "wp:post_date": "date",
    "wp:post_date_gmt": "date_gmt",
    "wp:post_password": "password",
    "wp:comment_status": "comment_status",
    "wp:attachment_url": "attachment_url",
    "wp:post_parent": "parent",
}


def _author(element) -> Author:
    values = _fields(element)
    author = Author(login=values.get("wp:author_login", "").strip(), line=element.sourceline)
    for name, attribute in _AUTHOR_FIELDS.items():
        setattr(author, attribute, values.get(name, "").strip())
    return author


def _term(element, kind: str) -> Term:
    values = _fields(element)
    if kind == "category":
        slug, name = values.get("wp:category_nicename", ""), values.get("wp:cat_name", "")
    else:
        slug, name = values.get("wp:tag_slug", ""), values.get("wp:tag_name", "")
    return Term(
        kind=kind,
        term_id=values.get("wp:term_id", "").strip(),
        slug=slug.strip(),
        name=name.strip(),
        parent=values.get("wp:category_parent", "").strip(),
        description=values.get("wp:category_description", "").strip(),
        line=element.sourceline,
    )


def _comment(element) -> Comment:
    comment = Comment(id="", line=element.sourceline)
    for child in element:
        name = _name(child.tag)
        if name == "wp:comment_id":
            comment.id = (child.text or "").strip()
        elif attribute := _COMMENT_FIELDS.get(name):
            setattr(comment, attribute, child.text or "")
    comment.parent = comment.parent.strip() or "0"
    return comment


def _item(element, *, comments: bool) -> Item:
    item = Item(line=element.sourceline)
    for child in element:
        name = _name(child.tag)
        if attribute := _ITEM_FIELDS.get(name):
            setattr(item, attribute, child.text or "")
        elif name == "category":
            slug, label = child.get("nicename", ""), (child.text or "").strip()
            domain = child.get("domain", "")
            if domain == "category":
                item.categories.append((slug, label))
            elif domain == "post_tag":
                item.tags.append((slug, label))
        elif name == "wp:postmeta":
            values = _fields(child)
            item.meta[values.get("wp:meta_key", "")] = values.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comment_count += 1
            if comments:
                item.comments.append(_comment(child))
    item.id, item.type, item.status = item.id.strip(), item.type.strip(), item.status.strip()
    return item


_CHANNEL_FIELDS = {
    "wp:wxr_version": "version",
    "title": "title",
    "link": "link",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}


def read(path, channel: Channel, *, comments: bool = True) -> Iterator[Author | Term | Item]:
    """The export's authors, categories, tags and items, in the file's order; what it says of
    the site goes into `channel` as it is read. Items carry their comments, or with
    `comments=False` only how many they have. Raises WXRError for a file that is not
    well-formed XML (naming the line) or not a WordPress export."""
    parser = etree.iterparse(
        str(path),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        # A post with a picture pasted into it as data can hold a text node over libxml2's
        # 10 MB limit; with entities left unexpanded, lifting the limit costs only memory
        # for that one post.
        huge_tree=True,
    )
    seen_channel = False
    try:
        for _event, element in parser:
            parent = element.getparent()
            if parent is None:
                if element.tag != "rss" or not seen_channel:
                    raise WXRError(
                        "This is not a WordPress export: it has no RSS <channel>. Export the "
                        "site from WordPress's Tools › Export."
                    )
                break
            if parent.tag != "channel" or parent.getparent() is None:
                continue
            seen_channel = True
            name = _name(element.tag)
            if name == "item":
                yield _item(element, comments=comments)
            elif name == "wp:author":
                yield _author(element)
            elif name == "wp:category":
                yield _term(element, "category")
            elif name == "wp:tag":
                yield _term(element, "tag")
            elif attribute := _CHANNEL_FIELDS.get(name):
                setattr(channel, attribute, (element.text or "").strip())
            # Done with it: drop it and everything before it, so the tree stays one item big.
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0)
        raise WXRError(f"The file is not well-formed XML at line {line}: {error.msg}") from None
    if not channel.version:
        raise WXRError(
            "This is not a WordPress export: the channel has no wp:wxr_version. Export the site "
            "from WordPress's Tools › Export."
        )
