"""Small WordPress exports written for the tests, shaped as Tools › Export writes them."""

from dataclasses import dataclass, field
from pathlib import Path

EXPORTS = Path(__file__).parent / "exports"
MAGAZINE = EXPORTS / "magazine.xml"
UPLOADS = EXPORTS / "uploads"

NAMESPACES = {
    "1.2": 'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"',
    "1.1": 'xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.1/"',
}


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class C:
    """A comment of a post."""

    id: int
    content: str = "A fine picture, and a fine piece."
    parent: int = 0
    approved: str = "1"
    author: str = "Reader"
    email: str = "reader@example.com"
    url: str = ""
    ip: str = "203.0.113.5"
    date: str = "2024-01-02 10:00:00"
    type: str = ""
    extra: str = ""

    def xml(self) -> str:
        return (
            "<wp:comment>"
            f"<wp:comment_id>{self.id}</wp:comment_id>"
            f"<wp:comment_author>{cdata(self.author)}</wp:comment_author>"
            f"<wp:comment_author_email>{cdata(self.email)}</wp:comment_author_email>"
            f"<wp:comment_author_url>{cdata(self.url)}</wp:comment_author_url>"
            f"<wp:comment_author_IP>{cdata(self.ip)}</wp:comment_author_IP>"
            f"<wp:comment_date>{cdata(self.date)}</wp:comment_date>"
            f"<wp:comment_date_gmt>{cdata(self.date)}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(self.content)}</wp:comment_content>"
            f"<wp:comment_approved>{cdata(self.approved)}</wp:comment_approved>"
            f"<wp:comment_type>{cdata(self.type)}</wp:comment_type>"
            f"<wp:comment_parent>{self.parent}</wp:comment_parent>"
            f"<wp:comment_user_id>0</wp:comment_user_id>{self.extra}"
            "</wp:comment>"
        )


@dataclass
class P:
    """A post (or, with `type`, another item)."""

    id: int
    title: str = "A post"
    slug: str = ""
    content: str = "A paragraph about film.\n\nAnother one about paper."
    excerpt: str = ""
    date: str = "2024-01-01 09:00:00"
    status: str = "publish"
    type: str = "post"
    creator: str = "editor"
    category: str = "film"
    tags: list[str] = field(default_factory=list)
    comments: list[C] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    extra: str = ""

    def xml(self) -> str:
        slug = self.slug or f"post-{self.id}"
        terms = (
            f'<category domain="category" nicename="{self.category}">{cdata(self.category)}</category>'
            if self.category
            else ""
        )
        terms += "".join(
            f'<category domain="post_tag" nicename="{tag}">{cdata(tag.title())}</category>'
            for tag in self.tags
        )
        meta = "".join(
            f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
            f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
            for k, v in self.meta.items()
        )
        return (
            "<item>"
            f"<title>{cdata(self.title)}</title>"
            f"<link>https://old.example/{self.date[:10].replace('-', '/')}/{slug}/</link>"
            f"<dc:creator>{cdata(self.creator)}</dc:creator>"
            f"<content:encoded>{cdata(self.content)}</content:encoded>"
            f"<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>"
            f"<wp:post_id>{self.id}</wp:post_id>"
            f"<wp:post_date>{cdata(self.date)}</wp:post_date>"
            f"<wp:post_date_gmt>{cdata(self.date)}</wp:post_date_gmt>"
            f"<wp:comment_status>{cdata('open')}</wp:comment_status>"
            f"<wp:post_name>{cdata(slug)}</wp:post_name>"
            f"<wp:status>{cdata(self.status)}</wp:status>"
            f"<wp:post_parent>0</wp:post_parent>"
            f"<wp:post_type>{cdata(self.type)}</wp:post_type>"
            f"<wp:post_password>{cdata('')}</wp:post_password>"
            f"{terms}{meta}{self.extra}"
            + "".join(comment.xml() for comment in self.comments)
            + "</item>\n"
        )


def export(
    *posts: P,
    version: str = "1.2",
    categories: list[tuple[str, str]] | None = None,  # (nicename, parent nicename)
    channel_extra: str = "",
    namespaces: str = "",
) -> str:
    categories = categories if categories is not None else [("film", "")]
    terms = "".join(
        "<wp:category>"
        f"<wp:term_id>{index}</wp:term_id>"
        f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(slug.title())}</wp:cat_name>"
        "</wp:category>\n"
        for index, (slug, parent) in enumerate(categories, start=10)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f'<rss version="2.0" {NAMESPACES[version]} {namespaces}>\n<channel>\n'
        "<title>The Old Magazine</title><link>https://old.example</link>\n"
        f"<wp:wxr_version>{version}</wp:wxr_version>\n"
        "<wp:base_site_url>https://old.example</wp:base_site_url>\n"
        "<wp:base_blog_url>https://old.example</wp:base_blog_url>\n"
        "<wp:author><wp:author_id>1</wp:author_id>"
        f"<wp:author_login>{cdata('editor')}</wp:author_login>"
        f"<wp:author_display_name>{cdata('Edie Tor')}</wp:author_display_name>"
        "</wp:author>\n"
        f"{terms}{channel_extra}" + "".join(post.xml() for post in posts) + "</channel>\n</rss>\n"
    )


def write(tmp_path: Path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
