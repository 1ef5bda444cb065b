"""The one place where user- or editor-written text becomes HTML.

Markdown is rendered by markdown-it-py and the result always passes through bleach with
an explicit allowlist, so nothing else in the project imports bleach or marks text safe
that did not come from here. Article bodies are rendered once, when the article is saved.
It also reads our own HTML back as the text a reader sees, for the moderation rules.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from html import escape
from html.parser import HTMLParser

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.token import Token

ARTICLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl",
        "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
        "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "srcset", "sizes", "alt", "title", "width", "height", "loading", "decoding"],
    "ol": ["start"],
    "td": ["colspan", "rowspan", "class"],
    "th": ["colspan", "rowspan", "scope", "class"],
    "span": ["class"],
    "code": ["class"],
    "figure": ["class"],
}
PROTOCOLS = frozenset({"http", "https", "mailto"})
# Elements whose content is code, not text: dropped whole rather than shown as words.
_CODE_ELEMENTS = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)

_cleaner = bleach.Cleaner(
    tags=ARTICLE_TAGS,
    attributes=ARTICLE_ATTRIBUTES,
    protocols=PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return `html` with every tag, attribute and URL outside the allowlist removed."""
    return _cleaner.clean(_CODE_ELEMENTS.sub("", html))


@dataclass(frozen=True)
class Figure:
    """An image an article body can place with `![alt](image:N)`."""

    url: str
    width: int | None = None
    height: int | None = None
    caption: str = ""
    credit: str = ""
    srcset: str = ""  # smaller renditions ("url 400w, url 800w"), offered for the column


# An article's reading column (.prose in site.css): 40rem wide, less the margins on a phone.
BODY_FIGURE_SIZES = "(min-width: 43rem) 40rem, calc(100vw - 2rem)"


def _figure_html(
    *, src: str, alt: str, caption: str, credit: str, size=(None, None), srcset: str = ""
) -> str:
    width, height = size
    dims = f' width="{width}" height="{height}"' if width and height else ""
    sources = f' srcset="{escape(srcset)}" sizes="{BODY_FIGURE_SIZES}"' if srcset else ""
    parts = [
        f'<figure class="body-figure"><img src="{escape(src)}"{sources} alt="{escape(alt)}"'
        f'{dims} loading="lazy" decoding="async">'
    ]
    if caption or credit:
        parts.append("<figcaption>")
        if caption:
            parts.append(escape(caption))
        if credit:
            parts.append(f' <span class="credit">{escape(credit)}</span>')
        parts.append("</figcaption>")
    parts.append("</figure>")
    return "".join(parts)


def _mark_lone_images(state) -> None:
    """A paragraph that holds nothing but one image becomes a <figure> of its own."""
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i : i + 3]
        if (
            opening.type == "paragraph_open"
            and inline.type == "inline"
            and closing.type == "paragraph_close"
            and inline.children
            and len(inline.children) == 1
            and inline.children[0].type == "image"
        ):
            opening.hidden = closing.hidden = True
            inline.children[0].meta["figure"] = True


def _alignment_as_classes(state) -> None:
    """Table alignment as classes: the Content Security Policy forbids inline styles."""
    for token in state.tokens:
        style = token.attrGet("style") if token.type in {"th_open", "td_open"} else None
        if style and style.startswith("text-align:"):
            token.attrs.pop("style")
            token.attrSet("class", "align-" + style.removeprefix("text-align:"))


def _markdown(*, html: bool, figures: Mapping[str, Figure] | None) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.core.ruler.push("lone_images", _mark_lone_images)
    md.core.ruler.push("table_alignment", _alignment_as_classes)
    figures = figures or {}
    default_image: Callable = md.renderer.rules.get("image") or md.renderer.renderToken

    def render_image(renderer, tokens: list[Token], idx: int, options, env) -> str:
        token = tokens[idx]
        src = token.attrGet("src") or ""
        alt = md.renderer.renderInlineAsText(token.children or [], options, env)
        if src.startswith("image:"):
            figure = figures.get(src.removeprefix("image:"))
            if figure is None:
                return ""  # an editor's reference to an image that is not attached
            if token.meta.get("figure"):
                return _figure_html(
                    src=figure.url,
                    alt=alt,
                    caption=str(token.attrGet("title") or figure.caption),
                    credit=figure.credit,
                    size=(figure.width, figure.height),
                    srcset=figure.srcset,
                )
            token.attrSet("src", figure.url)  # within running text: a plain inline image
        elif token.meta.get("figure"):
            title = str(token.attrGet("title") or "")
            return _figure_html(src=src, alt=alt, caption=title, credit="")
        return default_image(tokens, idx, options, env)

    md.add_render_rule("image", render_image)
    return md


def render_markdown(text: str, *, figures: Mapping[str, Figure] | None = None) -> str:
    """Render an editor's Markdown (raw HTML allowed, then sanitised) to safe HTML.

    `figures` maps the N of `![alt](image:N)` to an attached image, which is rendered as a
    <figure> with its caption and credit.
    """
    return sanitize_html(_markdown(html=True, figures=figures).render(text or ""))


# Reader comments: a small Markdown subset, raw HTML shown as text, links made inert.
COMMENT_TAGS = frozenset(
    {"a", "blockquote", "br", "code", "em", "li", "ol", "p", "pre", "strong", "ul"}
)
COMMENT_ATTRIBUTES = {"a": ["href", "rel"], "ol": ["start"]}
COMMENT_LINK_REL = "nofollow ugc noopener"
_comment_markdown = MarkdownIt("zero", {"html": False, "breaks": True, "typographer": True})
_comment_markdown.enable(
    ["emphasis", "link", "backticks", "blockquote", "code", "fence", "list", "newline", "escape"]
)
_comment_markdown.enable(["replacements", "smartquotes"])


def _comment_link(attrs: dict, new: bool = False) -> dict:
    """Every link in a comment: nofollow and ugc for search engines, and no opener."""
    attrs[(None, "rel")] = COMMENT_LINK_REL
    return attrs


_comment_cleaner = bleach.Cleaner(
    tags=COMMENT_TAGS,
    attributes=COMMENT_ATTRIBUTES,
    protocols=frozenset({"http", "https", "mailto"}),
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_comment_link], skip_tags={"pre", "code"})],
)


def render_comment(text: str) -> str:
    """Render a reader's comment to safe HTML.

    Paragraphs and line breaks, *emphasis*, [links](https://…), > quotes, `code`, fenced
    code and lists; anything that looks like HTML is shown as the characters typed. Bare
    URLs become links, and every link gets rel="nofollow ugc noopener".
    """
    return _comment_cleaner.clean(_comment_markdown.render(text or "")).strip()


# Elements that end a line of text where they open and close: the words on either side of one
# are separate words. Every other element of ARTICLE_TAGS and COMMENT_TAGS sits inside a line.
LINE_BREAKING_TAGS = frozenset(
    {
        "blockquote", "br", "caption", "dd", "dl", "dt", "figcaption", "figure", "h2", "h3",
        "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
# Runs of HTML whitespace, which a browser shows as one space outside <pre>. Not \s: a
# no-break space is shown as it is.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class _TextReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)  # entities become the characters they show
        self.parts: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in LINE_BREAKING_TAGS:
            self.parts.append("\n")
        if tag == "pre":
            self.in_pre += 1

    def handle_endtag(self, tag):
        if tag in LINE_BREAKING_TAGS:
            self.parts.append("\n")
        if tag == "pre" and self.in_pre:
            self.in_pre -= 1

    def handle_data(self, data):
        self.parts.append(data if self.in_pre else _HTML_SPACE.sub(" ", data))


def visible_text(html: str) -> str:
    """The text a reader sees in HTML this module produced, one line per line of the page.

    The moderation rules read it as well as what the writer typed, because the two differ:
    `&#99;asino`, `ca&shy;sino` and `ca**s**ino` do not spell "casino" as typed, but do on
    the page. Inline tags vanish (`ca<strong>s</strong>ino` reads "casino"); paragraphs, list
    items, line breaks and other blocks end a line, so the last word of one paragraph and the
    first of the next stay two words; attributes (link addresses, titles) are not text.
    Meant for our own sanitised HTML, not for HTML from elsewhere: script and style
    content, for one, would be read as text.
    """
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    lines = (line.strip(" ") for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)
