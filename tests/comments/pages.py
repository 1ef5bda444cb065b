"""Posting to and reading the comment section of the article page."""

import re
import time
from html import unescape
from html.parser import HTMLParser

from django.urls import reverse

from forum.comments.forms import new_token

GUEST = {"name": "Jo Bloggs", "email": "jo@example.com", "website": ""}
BODY = "The light meter disagreed with me all week."


def read_first_token(article_id: int) -> str:
    """The form's key as a reader has it: the page opened a minute ago (the form timer
    refuses forms sent within seconds)."""
    return new_token(article_id, issued=time.time() - 60)


def guest_data(article, **fields) -> dict:
    """What a guest's browser posts; a field given as None is left out."""
    data = {"body": BODY, **GUEST, "parent": "", "token": read_first_token(article.pk), **fields}
    return {key: value for key, value in data.items() if value is not None}


def member_data(article, **fields) -> dict:
    data = {"body": BODY, "parent": "", "token": read_first_token(article.pk), **fields}
    return {key: value for key, value in data.items() if value is not None}


def post(client, article, data, **extra):
    return client.post(reverse("comments:post", args=[article.pk]), data, **extra)


def section(response) -> str:
    html = response.content.decode()
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def comment_ids(response) -> list[int]:
    """Every comment on the page, in page order (placeholders included)."""
    return [int(pk) for pk in re.findall(r'<article id="comment-(\d+)"', response.content.decode())]


def numbers(response) -> list[int]:
    return [int(n) for n in re.findall(r'class="comment__number">#(\d+)<', section(response))]


def textarea(response) -> str:
    """The text in the comment box, as the reader will see it."""
    match = re.search(
        r'<textarea name="body"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    assert match, "no comment box on the page"
    return unescape(match.group(1)).removeprefix("\n")


def field_error(response, field: str) -> str:
    """The error shown beside `field` (Django ties it to the field by id)."""
    match = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return unescape(match.group(1)) if match else ""


def form_errors(response) -> str:
    """The errors shown above the form, not tied to one field."""
    match = re.search(r'<ul class="errorlist nonfield">(.*?)</ul>', response.content.decode(), re.S)
    return unescape(match.group(1)) if match else ""


def input_value(response, name: str) -> str | None:
    match = re.search(rf'<input [^>]*name="{name}"[^>]*>', response.content.decode())
    assert match, f"no {name} input"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else None


def has_input(response, name: str) -> bool:
    return (
        re.search(rf'<(input|textarea) [^>]*name="{name}"', response.content.decode()) is not None
    )


class _Shape(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items: list[dict] = []  # open <li>s, innermost last
        self.shape: dict[int, tuple[int | None, int]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li":
            self.items.append({"comment": "comment-item" in (attrs.get("class") or "")})
        elif tag == "article" and (attrs.get("id") or "").startswith("comment-"):
            pk = int(attrs["id"].removeprefix("comment-"))
            outer = [li["pk"] for li in self.items[:-1] if li["comment"] and "pk" in li]
            self.items[-1]["pk"] = pk
            self.shape[pk] = (outer[-1] if outer else None, int(attrs["data-depth"]))

    def handle_endtag(self, tag):
        if tag == "li":
            self.items.pop()


def thread_shape(response) -> dict[int, tuple[int | None, int]]:
    """Each comment on the page: (the comment it is nested under, its data-depth)."""
    parser = _Shape()
    parser.feed(section(response))
    return parser.shape


def comment_html(response, pk: int) -> str:
    """One comment as shown (its own <article>, without its replies)."""
    html = response.content.decode()
    start = html.index(f'<article id="comment-{pk}"')
    return html[start : html.index("</article>", start)]
