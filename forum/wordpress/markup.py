"""WordPress's markup turned into this site's: a post's content into an article body, a
comment's HTML into a comment's text, titles and names into plain text.

WordPress stores a classic post as HTML whose paragraphs are blank lines (its `wpautop` filter
adds the <p> tags when the page is shown), with shortcodes such as [caption] for a picture and
its caption; the block editor stores finished HTML between <!-- wp:... --> comments. Both become
the article body an editor edits here: Markdown in which each block is a piece of HTML (raw HTML
blocks pass through Markdown untouched, so WordPress's asterisks and underscores stay
characters) and each picture found under the media directory is an attached image,
`![alt](image:N)`, rendered as a <figure> with its caption and credit. Everything passes
through `forum.core.html.sanitize_html` here, and again when the article renders its body.

A picture not found under the media directory is left out and reported, never linked to the
old site.
"""

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import lxml.html
from django.utils.text import Truncator
from lxml import etree

from forum.core.html import sanitize_html


@dataclass(frozen=True)
class Attachment:
    """A media library item of the export (a picture's address, its alt text, caption)."""

    url: str
    alt: str = ""
    caption: str = ""
    parent: str = ""


@dataclass
class FoundImage:
    position: int
    source: object  # what `find_image` returned for it (a path under the media directory)
    alt: str
    caption: str
    credit: str


@dataclass
class Body:
    text: str
    images: list[FoundImage] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # picture addresses not found
    shortcodes: set[str] = field(default_factory=set)  # unknown ones, removed


# --- Plain text ---------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def plain_text(markup: str) -> str:
    """A title, name or excerpt as the characters a reader saw: tags gone, entities decoded,
    whitespace run together."""
    text = markup or ""
    if "<" in text:
        root = _fragment(text)
        for code in list(root.iter("script", "style", "template")):
            code.drop_tree()  # code, not words a reader saw
        text = root.text_content()
    return _SPACE.sub(" ", html.unescape(text)).strip()


def standfirst(excerpt: str, body_html: str, *, limit: int = 300) -> str:
    """The article's introduction: the post's excerpt, or else the start of its first
    paragraph (WordPress, too, makes an excerpt from the content when there is none)."""
    text = plain_text(excerpt)
    if not text and body_html:
        first = re.search(r"<p\b[^>]*>(.*?)</p>", body_html, re.DOTALL | re.IGNORECASE)
        text = plain_text(first.group(1)) if first else ""
    return Truncator(text).chars(limit)


# --- Captions and credits --------------------------------------------------------------------

_CREDIT = re.compile(
    r"[\s(\[–—-]*((?:\b(?:photo(?:graph)?s?|pictures?|image|credit)\s*(?:by\b|:)|©)"
    r"\s*[^()\[\]]+?)[\s)\].]*$",
    re.IGNORECASE,
)


def split_credit(caption: str) -> tuple[str, str]:
    """("The M6 on the bench.", "Photo: Ada Lowe") from "The M6 on the bench. Photo: Ada Lowe":
    WordPress has no credit field, so magazines write it at the end of the caption."""
    caption = plain_text(caption)
    match = _CREDIT.search(caption)
    if not match:
        return caption, ""
    return caption[: match.start()].strip(), match.group(1).strip()[:120]


# --- Shortcodes ------------------------------------------------------------------------------

_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'\]]+))""")
_CAPTION = re.compile(
    r"\[(?:wp_)?caption\b(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/(?:wp_)?caption\]",
    re.DOTALL | re.IGNORECASE,
)
_CAPTION_IMAGE = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.IGNORECASE
)
_GALLERY = re.compile(r"\[gallery\b(?P<attrs>[^\]]*)\]", re.IGNORECASE)
_MEDIA = re.compile(
    r"\[(?P<name>embed|video|audio)\b(?P<attrs>[^\]]*)\](?:(?P<inner>[^\[]*)\[/(?P=name)\])?",
    re.IGNORECASE,
)
# Anything else that looks like a shortcode: a name and attributes, or a closing tag. "[sic]"
# and "[1]" are not shortcodes and stay as they are.
_OTHER = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)((?:\s[^\[\]]*)?)\]", re.IGNORECASE)


def _attributes(text: str) -> dict[str, str]:
    return {
        match.group(1).lower(): html.unescape(next(g for g in match.groups()[1:] if g is not None))
        for match in _ATTRIBUTE.finditer(text)
    }


def _figure(image_html: str, caption: str) -> str:
    caption_html = f"<figcaption>{caption.strip()}</figcaption>" if caption.strip() else ""
    return f'\n\n<figure class="wp-caption">{image_html}{caption_html}</figure>\n\n'


def _link_paragraph(url: str) -> str:
    url = html.escape(url.strip())
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n' if url else ""


def expand_shortcodes(
    content: str, *, attachments: Mapping[str, Attachment], post_id: str, unknown: set[str]
) -> str:
    """[caption] and [gallery] as figures, [embed], [video] and [audio] as links to what they
    showed; other shortcodes (a plugin's, which this site does not have) are removed, their
    enclosed text kept, and their names added to `unknown`."""

    def caption(match):
        attrs = _attributes(match.group("attrs"))
        parts = _CAPTION_IMAGE.match(match.group("inner"))
        if not parts:
            return match.group("inner")
        return _figure(parts.group(1), attrs.get("caption") or parts.group(2))

    def gallery(match):
        attrs = _attributes(match.group("attrs"))
        ids = [i.strip() for i in (attrs.get("ids") or attrs.get("include") or "").split(",")]
        if not any(ids):
            ids = [key for key, item in attachments.items() if item.parent == post_id]
        figures = []
        for key in ids:
            if item := attachments.get(key):
                image = f'<img src="{html.escape(item.url)}" alt="{html.escape(item.alt)}">'
                figures.append(_figure(image, html.escape(item.caption)))
        return "".join(figures)

    def media(match):
        attrs = _attributes(match.group("attrs"))
        url = (match.group("inner") or "").strip() or attrs.get("src") or attrs.get("url", "")
        if not url:
            url = next((v for k, v in attrs.items() if k in {"mp4", "webm", "mp3", "ogg"}), "")
        return _link_paragraph(url) if url.startswith(("http://", "https://")) else ""

    content = _CAPTION.sub(caption, content)
    content = _GALLERY.sub(gallery, content)
    content = _MEDIA.sub(media, content)

    closing = {name.lower() for name in re.findall(r"\[/([a-z][a-z0-9_-]*)\]", content, re.I)}

    def other(match):
        slash, name, attrs = match.groups()
        if slash or name.lower() in closing or "=" in attrs:
            unknown.add(name.lower())
            return ""
        return match.group(0)

    return _OTHER.sub(other, content)


# --- wpautop ---------------------------------------------------------------------------------

_BLOCK_NAMES = (
    r"(?:table|thead|tfoot|caption|colgroup|col|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    r"blockquote|address|style|script|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|"
    r"header|footer|nav|figure|figcaption|details|summary|noscript)"
)
_BLOCK_OPEN = re.compile(rf"(<{_BLOCK_NAMES}\b[^>]*>)", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</{_BLOCK_NAMES}>)", re.IGNORECASE)
_BLOCK_START = re.compile(rf"^</?{_BLOCK_NAMES}\b", re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")


def autop(text: str) -> str:
    """Paragraphs for a classic post, as WordPress shows it: text parted by blank lines becomes
    <p>s, a single line break a <br>, and block-level HTML is left as written. <pre> keeps its
    lines."""
    kept: list[str] = []

    def keep(match):
        kept.append(match.group(0))
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = _PRE.sub(keep, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    out = []
    for chunk in _PARAGRAPHS.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("\x00") or _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"[ \t]*\n\s*", "<br>\n", chunk) + "</p>")
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], "\n".join(out))


# --- The body --------------------------------------------------------------------------------

_BLOCK_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Blocks a body is made of: each is a raw HTML block to Markdown (CommonMark's kinds 1 and 6).
_OUTPUT_BLOCKS = frozenset(
    {"p", "blockquote", "ul", "ol", "dl", "table", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "pre"}
)  # fmt: skip
# Containers that only group blocks: their blocks stand on their own.
_UNWRAP = frozenset(
    {"div", "section", "article", "main", "header", "footer", "aside", "center", "font", "span"}
)
_PLACEHOLDER = "wp-image"


def _fragment(markup: str):
    return lxml.html.fragment_fromstring(markup, create_parent="div")


def _lone_url(element) -> str:
    text = element.text_content().strip()
    if re.fullmatch(r"https?://\S+", text) and len(element) <= 1:
        return text
    return ""


def _prepare(root) -> None:
    """Top-level containers unwrapped, embeds and lone addresses made links."""
    while unwrap := [child for child in root if child.tag in _UNWRAP]:
        for child in unwrap:
            child.drop_tag()
    for element in list(root.iter("figure", "p")):
        if (
            (element.tag == "figure" and "wp-block-embed" in element.get("class", ""))
            or (element.tag == "p" and element.getparent() is root)
        ) and (url := _lone_url(element)):
            # A URL alone in its paragraph or embed block: WordPress showed what it points at.
            element.getparent().replace(element, _fragment(_link_paragraph(url))[0])


_FRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>|<iframe\b([^>]*)/?>", re.DOTALL | re.IGNORECASE)


def _frames_as_links(text: str) -> str:
    """A frame (a video, a map) as a link to what it showed, in its place; one showing
    anything but a web page, dropped."""

    def link(match):
        src = _attributes(match.group(1) or match.group(2) or "").get("src", "").strip()
        if not src.startswith(("http://", "https://")):
            return ""
        src = html.escape(src)
        return f'<a href="{src}">{src}</a>'

    return _FRAME.sub(link, text)


def _top(root, element):
    while element.getparent() is not root:
        element = element.getparent()
    return element


def _only_holds(container, image) -> bool:
    """Whether `container` holds nothing but `image` (with a link around it and a caption)."""
    if len(container.findall(".//img")) > 1:
        return False
    text = container.text_content()
    for caption in container.iter("figcaption"):
        text = text.replace(caption.text_content(), "", 1)
    return not text.strip()


def _place_images(root, find_image: Callable, body: Body) -> None:
    """Each picture found becomes an attached image standing as a block of its own where it
    was; each picture not found is removed (with its caption) and reported."""
    after: dict = {}  # a top-level block → the last image taken out of it, to keep their order
    for image in list(root.iter("img")):
        src = (image.get("src") or "").strip()
        figure = next((a for a in image.iterancestors("figure")), None)
        if figure is not None and not _only_holds(figure, image):
            figure = None
        holder = figure
        if holder is None:
            link = image.getparent()
            holder = link if link.tag == "a" and _only_holds(link, image) else image
        source = find_image(src)
        if source is None:
            body.missing.append(src)
            holder.drop_tree()
            continue
        caption = ""
        if figure is not None and (figcaption := figure.find(".//figcaption")) is not None:
            caption = figcaption.text_content()
        caption, credit = split_credit(caption)
        position = len(body.images) + 1
        alt = plain_text(image.get("alt") or "")
        body.images.append(FoundImage(position, source, alt, caption[:300], credit))
        marker = etree.Element(_PLACEHOLDER, n=str(position))
        top = _top(root, holder)
        if top not in after and (top is holder or _only_holds(top, image)):
            marker.tail = top.tail
            root.replace(top, marker)
            after.pop(top, None)
            continue
        holder.drop_tree()
        anchor = after.get(top, top)
        anchor.addnext(marker)
        marker.tail, anchor.tail = anchor.tail, None if anchor is not top else anchor.tail
        after[top] = marker


def _markdown_image(image: FoundImage) -> str:
    alt = re.sub(r"([\\\[\]])", r"\\\1", image.alt.replace("\n", " "))
    return f"![{alt}](image:{image.position})"


# A link the allowlist took the address from (javascript:, say): its words stay, as words.
_DEAD_LINK = re.compile(r"<a(?=[\s>])(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)


def _html_block(markup: str) -> str:
    """One block of the (sanitised) body, on lines with no blank one between them (a blank
    line would end Markdown's raw HTML block), wrapped in <p> if it has no block tag."""
    clean = _DEAD_LINK.sub(r"\1", markup).strip()
    if not clean:
        return ""
    if not re.match(r"<pre\b", clean):
        clean = re.sub(r"\n\s*\n", "\n", clean)
    tag = re.match(r"<([a-z0-9]+)", clean)
    if not tag or tag.group(1) not in _OUTPUT_BLOCKS:
        clean = f"<p>{clean}</p>"
    return clean if plain_text(clean) or "<img" in clean or "<hr" in clean else ""


def post_body(
    content: str,
    *,
    find_image: Callable[[str], object | None],
    attachments: Mapping[str, Attachment] | None = None,
    post_id: str = "",
) -> Body:
    """A WordPress post's content as an article body (see the module's docstring).

    `find_image(url)` answers where the picture at `url` is on this machine, or None."""
    body = Body(text="")
    text = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks = "<!-- wp:" in text
    text = _BLOCK_COMMENT.sub("", text)
    text = expand_shortcodes(
        text, attachments=attachments or {}, post_id=post_id, unknown=body.shortcodes
    )
    text = _frames_as_links(text)
    if not blocks:
        text = autop(text)
    # Sanitised once, whole; the allowlist has no <h1> (the article's title is the page's).
    text = sanitize_html(re.sub(r"<(/?)h1\b", r"<\1h2", text, flags=re.IGNORECASE))
    if not text.strip():
        return body
    root = _fragment(text)
    _prepare(root)
    _place_images(root, find_image, body)

    parts: list[str] = []
    run: list[str] = []  # text and inline elements standing between blocks

    def flush():
        if block := _html_block("<p>" + "".join(run).strip() + "</p>") if run else "":
            parts.append(block)
        run.clear()

    if root.text and root.text.strip():
        run.append(html.escape(root.text))
    for child in root:
        if child.tag == _PLACEHOLDER:
            flush()
            parts.append(_markdown_image(body.images[int(child.get("n")) - 1]))
        elif isinstance(child.tag, str) and child.tag in _OUTPUT_BLOCKS:
            flush()
            if block := _html_block(lxml.html.tostring(child, encoding="unicode", with_tail=False)):
                parts.append(block)
        elif isinstance(child.tag, str):
            run.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
        if child.tail and child.tail.strip():
            run.append(html.escape(child.tail))
    flush()
    body.text = "\n\n".join(parts)
    return body


# --- Comments --------------------------------------------------------------------------------


def comment_text(markup: str) -> str:
    """A WordPress comment's HTML as the text a reader writes here: line breaks as they were,
    links as [text](address), <strong> and <em> as **…** and *…*, <code> as `…`, quotes as
    "> " lines; other tags dropped with their text kept, scripts and styles dropped whole,
    entities decoded."""
    markup = (markup or "").replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    root = _fragment(markup)
    text = "".join(_comment_parts(root)).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _comment_parts(element):
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _comment_element(child)
        if child.tail:
            yield child.tail


def _comment_element(element):
    tag = element.tag
    if tag in {"script", "style", "template"}:
        return
    inner = "".join(_comment_parts(element))
    if tag == "br":
        yield "\n"
    elif tag in {"p", "div"}:
        yield f"\n\n{inner.strip()}\n\n"
    elif tag == "blockquote":
        quoted = "\n".join(f"> {line}".rstrip() for line in inner.strip().split("\n"))
        yield f"\n\n{quoted}\n\n"
    elif tag in {"strong", "b"} and inner.strip():
        yield f"**{inner}**"
    elif tag in {"em", "i", "cite"} and inner.strip():
        yield f"*{inner}*"
    elif tag == "code" and inner.strip():
        yield f"`{inner}`"
    elif tag == "li":
        yield f"\n- {inner.strip()}"
    elif tag in {"ul", "ol"}:
        yield f"\n{inner}\n\n"
    elif tag == "a":
        href = (element.get("href") or "").strip()
        label = inner.strip()
        if not href.startswith(("http://", "https://", "mailto:")) or not label:
            yield inner
        elif label == href:
            yield href
        else:
            yield f"[{label}](<{href.replace('>', '%3E')}>)"
    else:
        yield inner
